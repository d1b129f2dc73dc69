package org.halo4j.keys;

import java.security.SecureRandom;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A keyring that lives only in memory: for tests, and for short-lived signers. Thread-safe.
 */
public final class InMemoryKeyring implements Keyring {

    private final SecureRandom random;
    private final Map<PublicKey, byte[]> seeds = new TreeMap<>();

    public InMemoryKeyring() {
        this(new SecureRandom());
    }

    public InMemoryKeyring(SecureRandom random) {
        this.random = random;
    }

    @Override
    public synchronized PublicKey generate() {
        byte[] seed = Ed25519.generateSeed(random);
        PublicKey key = Ed25519.publicKey(seed);
        byte[] old = seeds.put(key, seed);
        Ed25519.wipe(old);
        return key;
    }

    @Override
    public synchronized PublicKey importSeed(byte[] seed) {
        PublicKey key = Ed25519.publicKey(seed);
        byte[] old = seeds.put(key, seed.clone());
        Ed25519.wipe(old);
        return key;
    }

    @Override
    public synchronized boolean contains(PublicKey key) {
        return seeds.containsKey(key);
    }

    @Override
    public synchronized Set<PublicKey> keys() {
        return Set.copyOf(seeds.keySet());
    }

    @Override
    public byte[] sign(PublicKey key, SignatureDomain domain, byte[] payload) throws UnknownKeyException {
        byte[] seed = seedOf(key);
        try {
            return Ed25519.sign(seed, domain, payload);
        } finally {
            Ed25519.wipe(seed);
        }
    }

    @Override
    public byte[] agree(PublicKey key, byte[] peerX25519PublicKey) throws UnknownKeyException {
        byte[] seed = seedOf(key);
        try {
            return X25519.agree(seed, peerX25519PublicKey);
        } finally {
            Ed25519.wipe(seed);
        }
    }

    @Override
    public synchronized void destroy(PublicKey key) {
        Ed25519.wipe(seeds.remove(key));
    }

    private synchronized byte[] seedOf(PublicKey key) throws UnknownKeyException {
        byte[] seed = seeds.get(key);
        if (seed == null) {
            throw new UnknownKeyException(key);
        }
        return seed.clone();
    }
}
