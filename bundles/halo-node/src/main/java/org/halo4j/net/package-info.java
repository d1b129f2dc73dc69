/**
 * Peer channels: encrypted, mutually authenticated connections between devices and nodes (Noise XX over
 * WebSocket, each side's device proof bound to the handshake hash), the WebSocket server and client they run
 * on, and the relay that pairs peers meeting on a topic without seeing their plaintext. See docs/net.md.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.halo4j.net;
