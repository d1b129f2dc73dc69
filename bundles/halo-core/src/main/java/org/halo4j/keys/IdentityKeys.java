package org.halo4j.keys;

/**
 * The identity key of a recovery phrase (DESIGN §2): the BIP39 seed of the 24 words with the empty passphrase,
 * then SLIP-0010 ed25519 at {@value #DERIVATION_PATH}. This derivation is fixed forever: changing any part of
 * it would give every existing phrase a different identity, and recovery would silently fail.
 *
 * <p>The private key never leaves this package except into a {@link Keyring}; intermediate secrets are wiped.
 */
public final class IdentityKeys {

    /** The SLIP-0010 derivation path of the identity key; both indices are hardened. */
    public static final String DERIVATION_PATH = "m/4256'/0'";

    /** {@link #DERIVATION_PATH} as indices, before the hardened bit is added. */
    static final int[] PATH = {4256, 0};

    private IdentityKeys() {
    }

    /**
     * Derives the identity key of {@code phrase} and adds it to {@code keyring}. The phrase stays usable; the
     * caller destroys it when the backup is confirmed.
     *
     * @return the identity's public key, whose {@link PublicKey#toDidKey()} is the identity's DID
     * @throws IllegalStateException if the phrase has been destroyed
     */
    public static PublicKey importIdentity(Keyring keyring, RecoveryPhrase phrase) throws KeyringException {
        byte[] seed = phrase.deriveIdentitySeed();
        try {
            return keyring.importSeed(seed);
        } finally {
            Ed25519.wipe(seed);
        }
    }

    /**
     * The identity's public key for {@code phrase}, without keeping the private key anywhere: for checking that
     * a phrase given for recovery belongs to the expected identity.
     *
     * @throws IllegalStateException if the phrase has been destroyed
     */
    public static PublicKey publicKeyOf(RecoveryPhrase phrase) {
        byte[] seed = phrase.deriveIdentitySeed();
        try {
            return Ed25519.publicKey(seed);
        } finally {
            Ed25519.wipe(seed);
        }
    }
}
