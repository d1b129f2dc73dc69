/**
 * Durable, verified storage of HALO feeds on local files (DESIGN §2, §8, §9): one append-only file per feed,
 * every entry verified before it is written and again when the file is opened and read, an append acknowledged
 * only once it is forced to disk, a torn tail after a crash cut and reported, corruption anywhere else refused,
 * and fork proofs kept beside the feed so a forked feed stays dropped from the fork position after a restart.
 * The format is in {@code docs/feeds.md}.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.halo4j.node.storage;
