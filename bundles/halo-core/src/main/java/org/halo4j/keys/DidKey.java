package org.halo4j.keys;

/**
 * The {@code did:key} method for Ed25519 keys: {@code did:key:z} + base58btc(multicodec 0xed01 || key), and
 * multibase forms of the derived X25519 key (multicodec 0xec01). The parser is strict: the prefix, the
 * multibase letter, the base58 alphabet, the multicodec and the length are each checked, with an error that
 * names which one failed.
 */
public final class DidKey {

    /** The DID prefix, including the multibase letter for base58btc. */
    public static final String PREFIX = "did:key:z";
    /** Varint of multicodec 0xed (ed25519-pub). */
    static final byte[] ED25519_CODEC = {(byte) 0xed, 0x01};
    /** Varint of multicodec 0xec (x25519-pub). */
    static final byte[] X25519_CODEC = {(byte) 0xec, 0x01};

    /** Longest did:key text accepted: far above the 56 characters of a valid one, to bound the work. */
    static final int MAX_LENGTH = 128;

    private DidKey() {
    }

    static String format(PublicKey key) {
        return PREFIX + base58(ED25519_CODEC, key.rawBytes()); // PREFIX already ends in the multibase letter z
    }

    /** The multibase ({@code z…}) form of an Ed25519 key, as used in DID fragments. */
    public static String multibaseEd25519(PublicKey key) {
        return multibase(ED25519_CODEC, key.rawBytes());
    }

    /** The multibase ({@code z6LS…}) form of a 32-byte X25519 public key. */
    public static String multibaseX25519(byte[] x25519PublicKey) {
        if (x25519PublicKey.length != X25519.LENGTH) {
            throw new IllegalArgumentException("an X25519 key is 32 bytes, found " + x25519PublicKey.length);
        }
        return multibase(X25519_CODEC, x25519PublicKey);
    }

    private static String multibase(byte[] codec, byte[] key) {
        return "z" + base58(codec, key);
    }

    private static String base58(byte[] codec, byte[] key) {
        byte[] b = new byte[codec.length + key.length];
        System.arraycopy(codec, 0, b, 0, codec.length);
        System.arraycopy(key, 0, b, codec.length, key.length);
        return Base58.encode(b);
    }

    static PublicKey parse(CharSequence did) throws KeyFormatException {
        if (did == null) {
            throw new KeyFormatException(KeyFormatException.Problem.WRONG_LENGTH, "expected a did:key, found none");
        }
        if (did.length() > MAX_LENGTH) {
            throw new KeyFormatException(KeyFormatException.Problem.TOO_LONG,
                    "a did:key is at most " + MAX_LENGTH + " characters, found " + did.length());
        }
        if (did.length() < PREFIX.length() || !PREFIX.contentEquals(did.subSequence(0, PREFIX.length()))) {
            throw new KeyFormatException(KeyFormatException.Problem.NOT_DID_KEY,
                    "expected text starting with '" + PREFIX + "' (did:key, base58btc multibase)");
        }
        byte[] decoded;
        try {
            decoded = Base58.decode(did.subSequence(PREFIX.length(), did.length()), MAX_LENGTH);
        } catch (IllegalArgumentException e) {
            throw new KeyFormatException(KeyFormatException.Problem.NOT_BASE58, "did:key: " + e.getMessage());
        }
        if (decoded.length < 2 || decoded[0] != ED25519_CODEC[0] || decoded[1] != ED25519_CODEC[1]) {
            String found = decoded.length < 2 ? "nothing" : String.format("0x%02x%02x", decoded[0], decoded[1]);
            throw new KeyFormatException(KeyFormatException.Problem.WRONG_MULTICODEC,
                    "did:key: expected multicodec 0xed01 (ed25519-pub), found " + found);
        }
        if (decoded.length != 2 + PublicKey.LENGTH) {
            throw new KeyFormatException(KeyFormatException.Problem.WRONG_LENGTH,
                    "did:key: expected a 32-byte ed25519 key, found " + (decoded.length - 2) + " bytes");
        }
        byte[] key = new byte[PublicKey.LENGTH];
        System.arraycopy(decoded, 2, key, 0, PublicKey.LENGTH);
        return PublicKey.of(key);
    }
}
