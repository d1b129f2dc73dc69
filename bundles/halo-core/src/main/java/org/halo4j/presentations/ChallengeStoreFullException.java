package org.halo4j.presentations;

import java.time.Duration;
import java.util.Objects;
import org.halo4j.errors.HaloProcessingException;

/**
 * The challenge store holds as many live challenges as it may, so a new login cannot start now. Nobody's
 * pending challenge was dropped to make room. A web layer answers 503 with {@code Retry-After:}
 * {@link #retryAfter()}. Code {@code challenge.store_full}.
 */
public class ChallengeStoreFullException extends HaloProcessingException {

    private static final long serialVersionUID = 1L;

    private final Duration retryAfter;

    public ChallengeStoreFullException(int capacity, Duration retryAfter) {
        super("challenge.store_full", "the challenge store holds " + capacity
                + " open challenges, its capacity; try again in " + Math.max(1, retryAfter.toSeconds()) + " s");
        this.retryAfter = Objects.requireNonNull(retryAfter);
    }

    /** When the oldest open challenge expires and makes room. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
