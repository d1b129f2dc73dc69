package org.halo4j.feeds;

import org.halo4j.errors.HaloRejectedException;
import org.halo4j.errors.RejectionCode;

/**
 * The feed's writer forked (DESIGN §4 rule 7): there are two different entries at one position, both signed by
 * the feed key. Carries the {@link ForkProof}; the feed is dropped from {@link ForkProof#position()} on.
 * Code {@link RejectionCode#FEED_FORK}.
 */
public class FeedForkException extends HaloRejectedException {

    private static final long serialVersionUID = 1L;

    private final transient ForkProof proof;

    public FeedForkException(ForkProof proof, String message) {
        super(RejectionCode.FEED_FORK, message);
        this.proof = proof;
    }

    /** The proof: two different entries at one position, both signed by the feed key. */
    public ForkProof proof() {
        return proof;
    }
}
