package org.halo4j.presentations;

import java.util.Optional;

/**
 * Where open login challenges wait (DESIGN §3: "issued by it, short-lived, consumed atomically"). A cluster
 * implements it over shared storage, using {@link Challenge#toJson()}.
 */
public interface ChallengeStore {

    /** Stores an open challenge until it is consumed or expires. */
    void put(Challenge challenge);

    /**
     * Removes and returns the challenge with this nonce, atomically: for one nonce this returns a value at
     * most once, even when called concurrently. Expired challenges may or may not be returned; the verifier
     * checks expiry itself.
     */
    Optional<Challenge> consume(byte[] nonce);
}
