package org.halo4j.keys;

import java.security.SecureRandom;
import java.util.Set;

/**
 * A keyring that lives only in memory: for tests, and for short-lived signers. Thread-safe.
 */
public final class InMemoryKeyring implements Keyring {

    private final SecureRandom random;
    private final SeedStore seeds = new SeedStore();

    public InMemoryKeyring() {
        this(new SecureRandom());
    }

    public InMemoryKeyring(SecureRandom random) {
        this.random = random;
    }

    @Override
    public PublicKey generate() {
        byte[] seed = Ed25519.generateSeed(random);
        PublicKey key = Ed25519.publicKey(seed);
        seeds.add(key, seed);
        return key;
    }

    @Override
    public PublicKey importSeed(byte[] seed) {
        PublicKey key = Ed25519.publicKey(seed);
        seeds.add(key, seed.clone());
        return key;
    }

    @Override
    public boolean contains(PublicKey key) {
        return seeds.contains(key);
    }

    @Override
    public Set<PublicKey> keys() {
        return seeds.keys();
    }

    @Override
    public byte[] sign(PublicKey key, SignatureDomain domain, byte[] payload) throws UnknownKeyException {
        return seeds.sign(key, domain, payload);
    }

    @Override
    public byte[] agree(PublicKey key, byte[] peerX25519PublicKey) throws UnknownKeyException {
        return seeds.agree(key, peerX25519PublicKey);
    }

    @Override
    public void destroy(PublicKey key) {
        Ed25519.wipe(seeds.remove(key));
    }
}
