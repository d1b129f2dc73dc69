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

    /** The last position of every feed that has entries. */
    Map<PublicKey, Long> lastPositions() throws IOException;

    @Override
    void close() throws IOException;
}
