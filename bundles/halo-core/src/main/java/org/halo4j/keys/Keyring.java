package org.halo4j.keys;

import java.util.Set;

/**
 * Holds Ed25519 private keys and uses them; never hands a private key out. Signatures are always over
 * {@code DOMAIN || 0x00 || payload} (DESIGN §3); key agreement uses the X25519 key derived from the Ed25519
 * key. Implementations are thread-safe; a persistent one has made every change durable before a method
 * returns.
 */
public interface Keyring {

    /** Creates a new key from a CSPRNG and returns its public key. */
    PublicKey generate() throws KeyringException;

    /**
     * Adds the key with this 32-byte seed (for example the identity key derived from a recovery phrase) and
     * returns its public key. The keyring keeps its own copy; the caller still wipes {@code seed}.
     */
    PublicKey importSeed(byte[] seed) throws KeyringException;

    /** True if the keyring holds the private key of {@code key}. */
    boolean contains(PublicKey key);

    /** The public keys whose private keys this keyring holds. */
    Set<PublicKey> keys();

    /**
     * Signs {@code DOMAIN || 0x00 || payload} with the private key of {@code key}.
     *
     * @throws UnknownKeyException if the keyring does not hold that key
     */
    byte[] sign(PublicKey key, SignatureDomain domain, byte[] payload) throws KeyringException;

    /**
     * X25519 key agreement between the key derived from {@code key} and a peer's X25519 public key.
     * Returns the 32-byte shared secret, which the caller wipes after use.
     *
     * @throws UnknownKeyException if the keyring does not hold that key
     * @throws IllegalArgumentException if the peer key is not 32 bytes or of low order
     */
    byte[] agree(PublicKey key, byte[] peerX25519PublicKey) throws KeyringException;

    /** Removes the private key of {@code key} and overwrites it in memory. No-op if absent. */
    void destroy(PublicKey key) throws KeyringException;
}
