package org.halo4j.feeds;

import java.util.Objects;
import org.halo4j.keys.PublicKey;

/**
 * A position in a feed: the feed's key and a sequence number (0 for the first entry).
 *
 * @param feedKey the key of the feed's single writer
 * @param seq     the position, 0 or more
 */
public record FeedPosition(PublicKey feedKey, long seq) {

    /**
     * @throws IllegalArgumentException if {@code seq} is negative
     */
    public FeedPosition {
        Objects.requireNonNull(feedKey, "feedKey");
        if (seq < 0) {
            throw new IllegalArgumentException("a feed position is 0 or more, found " + seq);
        }
    }

    /** For messages: {@code feed 1a2b3c4d at 17}. */
    @Override
    public String toString() {
        return "feed " + feedKey.shortId() + " at " + seq;
    }
}
