package org.halo4j.feeds;

import org.halo4j.errors.HaloRejectedException;
import org.halo4j.errors.RejectionCode;

/**
 * A validly formed feed entry does not continue the feed it was offered to: another feed
 * ({@link RejectionCode#FEED_KEY}), not the next position ({@link RejectionCode#FEED_SEQUENCE}), or a
 * {@code prev_hash} that is not the previous entry's hash ({@link RejectionCode#FEED_LINK}).
 */
public class FeedLinkException extends HaloRejectedException {

    private static final long serialVersionUID = 1L;

    public FeedLinkException(RejectionCode code, String message) {
        super(code, message);
    }
}
