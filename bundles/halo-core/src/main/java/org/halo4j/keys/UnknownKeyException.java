package org.halo4j.keys;

/** The keyring does not hold the private key that was asked for. */
public class UnknownKeyException extends KeyringException {

    private static final long serialVersionUID = 1L;

    private final PublicKey key;

    public UnknownKeyException(PublicKey key) {
        super("keyring.unknown_key", "the keyring holds no private key for " + key.shortId());
        this.key = key;
    }

    public PublicKey key() {
        return key;
    }
}
