/**
 * How halo4j writes its own files: {@link org.halo4j.io.AtomicFileWriter} — atomic, durable, mode 0600 from
 * creation, and never following a link planted in the directory. Shared by the keyring (halo-core) and the
 * node's storage and wallet (halo-node), so there is one implementation to get right.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.halo4j.io;
