/**
 * HALO feeds (DESIGN §2, §3, §4 rule 7): hash-linked, signed, append-only logs with a single writer. A
 * {@link org.halo4j.feeds.FeedWriter} signs the next entry through a {@link org.halo4j.keys.Keyring}; the
 * {@link org.halo4j.feeds.FeedVerifier} decodes an entry strictly, checks its signature by the feed key and its
 * link to the previous entry; a {@link org.halo4j.feeds.ForkProof} holds two different signed entries at one
 * position, which every peer keeps and from which it drops the feed. Pure logic: no I/O, no threads.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.halo4j.feeds;
