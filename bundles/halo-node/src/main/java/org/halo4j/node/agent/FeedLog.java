package org.halo4j.node.agent;

import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.halo4j.keys.PublicKey;
import org.halo4j.proto.v1.Credential;
import org.halo4j.spaces.SpaceEntry;

/** Where an identity's feeds live: appends credentials as signed feed entries and reads them back. */
interface FeedLog extends AutoCloseable {

    /** Appends {@code credential} to {@code feed} (signed by the feed key); returns once durable, with its position. */
    long append(PublicKey feed, Credential credential) throws IOException;

    /** Every entry of {@code feeds}, verified, in feed order. */
    default List<SpaceEntry> entries(Collection<PublicKey> feeds) throws IOException {
        return entries(feeds, org.halo4j.spaces.ReplayProgress.NONE);
    }

    /** As {@link #entries(Collection)}, telling {@code progress} of the entries read and verified. */
    List<SpaceEntry> entries(Collection<PublicKey> feeds, org.halo4j.spaces.ReplayProgress progress) throws IOException;

    /** Entries {@code from} (inclusive) to the end of {@code feed}, verified, as a space replays them. */
    List<SpaceEntry> entriesFrom(PublicKey feed, long from) throws IOException;

    /** Entries the feed holds (0 if it holds none). */
    long length(PublicKey feed) throws IOException;

    /**
     * Entries {@code from} (inclusive) to {@code to} (exclusive) of {@code feed} as stored, checksums checked but
     * signatures not verified again: for sending to peers, which verify every entry themselves.
     */
    List<org.halo4j.proto.v1.FeedEntry> read(PublicKey feed, long from, long to) throws IOException;

    /**
     * Stores entries of {@code feed} replicated from a peer, each verified (signature, link, position) before it
     * is written; see {@code Feed#importEntries}.
     *
     * @throws org.halo4j.errors.HaloRejectedException at the first invalid entry (those before it stay stored)
     */
    org.halo4j.node.storage.ImportResult importEntries(PublicKey feed, List<org.halo4j.proto.v1.FeedEntry> entries)
            throws IOException, org.halo4j.errors.HaloRejectedException;

    /** The last position of every feed that has entries. */
    Map<PublicKey, Long> lastPositions() throws IOException;

    @Override
    void close() throws IOException;
}
