package org.halo4j.presentations;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The default {@link ChallengeStore} for one JVM: a concurrent map whose {@code remove} makes consumption
 * atomic. Bounded: expired challenges are dropped as new ones arrive, and when the store is full the oldest
 * pending challenges are not kept (a flood of login starts cannot exhaust the heap).
 */
public final class InMemoryChallengeStore implements ChallengeStore {

    /** Default most open challenges. */
    public static final int DEFAULT_CAPACITY = 100_000;

    private final ConcurrentHashMap<ByteBuffer, Challenge> open = new ConcurrentHashMap<>();
    private final int capacity;
    private final Clock clock;

    public InMemoryChallengeStore() {
        this(DEFAULT_CAPACITY, Clock.systemUTC());
    }

    public InMemoryChallengeStore(int capacity, Clock clock) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1");
        }
        this.capacity = capacity;
        this.clock = clock;
    }

    @Override
    public void put(Challenge challenge) {
        if (open.size() >= capacity) {
            evict();
        }
        open.put(ByteBuffer.wrap(challenge.nonce()), challenge);
    }

    @Override
    public Optional<Challenge> consume(byte[] nonce) {
        if (nonce == null || nonce.length != Challenge.NONCE_LENGTH) {
            return Optional.empty();
        }
        return Optional.ofNullable(open.remove(ByteBuffer.wrap(nonce.clone())));
    }

    /** Number of open challenges. */
    public int size() {
        return open.size();
    }

    private void evict() {
        Instant now = clock.instant();
        open.values().removeIf(c -> c.expiresAt().isBefore(now));
        if (open.size() >= capacity) {
            open.values().stream()
                    .min(java.util.Comparator.comparing(Challenge::issuedAt))
                    .ifPresent(c -> open.remove(ByteBuffer.wrap(c.nonce()), c));
        }
    }
}
