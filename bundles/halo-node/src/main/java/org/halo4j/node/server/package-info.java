/**
 * The node: a long-running peer that serves replication of the spaces its identity belongs to and relays
 * connections between peers that meet on a topic ({@code halo node}). See docs/node.md.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.halo4j.node.server;
