package org.halo4j.presentations;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The default {@link ChallengeStore} for one JVM. Bounded, and O(1) per operation at any fill level:
 * challenges are kept in the order they were issued, which (with the one lifetime a verifier gives every
 * challenge) is the order in which they expire, so dropping the expired ones only ever looks at the oldest.
 * When the store is full of live challenges, a new one is refused ({@link ChallengeStoreFullException}) —
 * a flood of login starts can delay new logins, never evict a person's pending one.
 *
 * <p>The store reads no clock of its own: a challenge counts as expired when it expired before the newest
 * challenge was issued, so the verifier's clock is the only one.
 */
public final class InMemoryChallengeStore implements ChallengeStore {

    /** Default most open challenges. */
    public static final int DEFAULT_CAPACITY = 100_000;

    private final LinkedHashMap<ByteBuffer, Challenge> open = new LinkedHashMap<>();
    private final int capacity;

    /** A store of {@link #DEFAULT_CAPACITY} challenges. */
    public InMemoryChallengeStore() {
        this(DEFAULT_CAPACITY);
    }

    /** A store of at most {@code capacity} open challenges. */
    public InMemoryChallengeStore(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1");
        }
        this.capacity = capacity;
    }

    @Override
    public synchronized void put(Challenge challenge) throws ChallengeStoreFullException {
        Objects.requireNonNull(challenge);
        Instant now = challenge.issuedAt();
        dropExpired(now);
        if (open.size() >= capacity) {
            Challenge oldest = open.values().iterator().next();
            Duration wait = Duration.between(now, oldest.expiresAt());
            throw new ChallengeStoreFullException(capacity, wait.isNegative() ? Duration.ZERO : wait);
        }
        open.put(ByteBuffer.wrap(challenge.nonce()), challenge);
    }

    @Override
    public synchronized Optional<Challenge> find(byte[] nonce) {
        if (nonce == null || nonce.length != Challenge.NONCE_LENGTH) {
            return Optional.empty();
        }
        return Optional.ofNullable(open.get(ByteBuffer.wrap(nonce.clone())));
    }

    @Override
    public synchronized Optional<Challenge> consume(byte[] nonce) {
        if (nonce == null || nonce.length != Challenge.NONCE_LENGTH) {
            return Optional.empty();
        }
        return Optional.ofNullable(open.remove(ByteBuffer.wrap(nonce.clone())));
    }

    /** Number of open challenges (expired ones not yet dropped included). */
    public synchronized int size() {
        return open.size();
    }

    /** Drops expired challenges from the oldest on; stops at the first live one. Amortized O(1). */
    private void dropExpired(Instant now) {
        Iterator<Map.Entry<ByteBuffer, Challenge>> it = open.entrySet().iterator();
        while (it.hasNext() && it.next().getValue().expiresAt().isBefore(now)) {
            it.remove();
        }
    }
}
