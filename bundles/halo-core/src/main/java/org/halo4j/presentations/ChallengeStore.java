package org.halo4j.presentations;

import java.util.Optional;

/**
 * Where open login challenges wait (DESIGN §3: "issued by it, short-lived, consumed atomically"). A cluster
 * implements it over shared storage, using {@link Challenge#toJson()}.
 */
public interface ChallengeStore {

    /**
     * Stores an open challenge until it is consumed or expires. A store never drops a live challenge to make
     * room: when full of live challenges it refuses the new one.
     *
     * @throws ChallengeStoreFullException if the store is full of challenges that have not expired
     */
    void put(Challenge challenge) throws ChallengeStoreFullException;

    /**
     * The open challenge with this nonce, without consuming it: the verifier looks a challenge up before it
     * spends any signature verification on a presentation, and consumes it only after everything verified.
     * Expired challenges may or may not be returned; the verifier checks expiry itself.
     */
    Optional<Challenge> find(byte[] nonce);

    /**
     * Removes and returns the challenge with this nonce, atomically: for one nonce this returns a value at
     * most once, even when called concurrently. Expired challenges may or may not be returned; the verifier
     * checks expiry itself.
     */
    Optional<Challenge> consume(byte[] nonce);
}
