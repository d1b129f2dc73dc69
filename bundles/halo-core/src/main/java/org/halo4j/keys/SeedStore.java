package org.halo4j.keys;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/**
 * The decrypted Ed25519 seeds of a keyring, keyed by public key, and the operations that use them. Shared by
 * {@link InMemoryKeyring} and {@link FileKeyring} so that signing works the same in both and never touches disk.
 * Thread-safe. Once {@link #close() closed}, every seed has been overwritten and every method throws
 * {@link IllegalStateException}.
 */
final class SeedStore {

    private final Map<PublicKey, byte[]> seeds = new TreeMap<>();
    /** Word indices of a recovery phrase kept until its backup is confirmed; null when none. */
    private int[] phrase;
    private boolean closed;

    /** Keeps {@code words} (taking ownership) as the stored recovery phrase; returns the one it replaces. */
    synchronized int[] setPhrase(int[] words) {
        ensureOpen();
        int[] old = phrase;
        phrase = words;
        return old;
    }

    /** A copy of the stored phrase's word indices, or null. */
    synchronized int[] phrase() {
        ensureOpen();
        return phrase == null ? null : phrase.clone();
    }

    synchronized boolean contains(PublicKey key) {
        ensureOpen();
        return seeds.containsKey(key);
    }

    synchronized Set<PublicKey> keys() {
        ensureOpen();
        return Set.copyOf(seeds.keySet());
    }

    synchronized int size() {
        ensureOpen();
        return seeds.size();
    }

    /**
     * Adds {@code seed} under {@code key}, taking ownership of the array. If the key is already held, the given
     * array is wiped and nothing changes.
     *
     * @return true if the key was not held before
     */
    synchronized boolean add(PublicKey key, byte[] seed) {
        if (closed) {
            Ed25519.wipe(seed);
            ensureOpen();
        }
        if (seeds.containsKey(key)) {
            Ed25519.wipe(seed);
            return false;
        }
        seeds.put(key, seed);
        return true;
    }

    /** Removes the seed of {@code key} and hands the array to the caller, who wipes it; null if absent. */
    synchronized byte[] remove(PublicKey key) {
        ensureOpen();
        return seeds.remove(key);
    }

    /**
     * Calls {@code action} for every key and its seed, in key order. The seed arrays are the store's own: the
     * action copies what it needs and keeps no reference.
     */
    synchronized void forEach(BiConsumer<PublicKey, byte[]> action) {
        ensureOpen();
        seeds.forEach(action);
    }

    /** Signs {@code DOMAIN || 0x00 || payload} with the seed of {@code key}. */
    byte[] sign(PublicKey key, SignatureDomain domain, byte[] payload) throws UnknownKeyException {
        byte[] seed = copyOf(key);
        try {
            return Ed25519.sign(seed, domain, payload);
        } finally {
            Ed25519.wipe(seed);
        }
    }

    /** X25519 between the key derived from the seed of {@code key} and {@code peerX25519PublicKey}. */
    byte[] agree(PublicKey key, byte[] peerX25519PublicKey) throws UnknownKeyException {
        byte[] seed = copyOf(key);
        try {
            return X25519.agree(seed, peerX25519PublicKey);
        } finally {
            Ed25519.wipe(seed);
        }
    }

    /** Overwrites and forgets every seed; the store cannot be used afterwards. Idempotent. */
    synchronized void close() {
        for (byte[] seed : seeds.values()) {
            Ed25519.wipe(seed);
        }
        seeds.clear();
        if (phrase != null) {
            java.util.Arrays.fill(phrase, 0);
            phrase = null;
        }
        closed = true;
    }

    synchronized boolean isClosed() {
        return closed;
    }

    /** A copy of the seed, so that signing runs outside the lock; the caller wipes it. */
    private synchronized byte[] copyOf(PublicKey key) throws UnknownKeyException {
        ensureOpen();
        byte[] seed = seeds.get(key);
        if (seed == null) {
            throw new UnknownKeyException(key);
        }
        return seed.clone();
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the keyring is closed");
        }
    }
}
