package org.halo4j.keys;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * An Ed25519 public key: exactly 32 bytes. Immutable; equal when the bytes are equal; ordered by unsigned
 * byte comparison (the order DESIGN §4 rule 5 uses for tie-breaks).
 *
 * <p>Text forms: {@link #toHex()} (lowercase hex, safe in Shiro permission strings) for every key, and
 * {@link #toDidKey()} for an identity.
 */
public final class PublicKey implements Comparable<PublicKey> {

    /** Length of an Ed25519 public key in bytes. */
    public static final int LENGTH = 32;

    private static final HexFormat HEX = HexFormat.of();

    private final byte[] bytes;
    private final int hash;
    /** {@link #toDidKey()}, made on first use (a racy single check, as {@code String.hashCode}: the text is immutable). */
    private String didKey;

    private PublicKey(byte[] bytes) {
        this.bytes = bytes;
        this.hash = Arrays.hashCode(bytes);
    }

    /**
     * The key with these 32 bytes (copied).
     *
     * @throws IllegalArgumentException if {@code bytes} is not exactly 32 bytes long
     */
    public static PublicKey of(byte[] bytes) {
        if (bytes == null || bytes.length != LENGTH) {
            throw new IllegalArgumentException("an Ed25519 public key is " + LENGTH + " bytes, found "
                    + (bytes == null ? "none" : bytes.length));
        }
        return new PublicKey(bytes.clone());
    }

    /**
     * Parses the lowercase (or uppercase) hex form.
     *
     * @throws KeyFormatException if the text is not 64 hex digits, or they are not a valid Ed25519 public key
     */
    public static PublicKey fromHex(CharSequence hex) throws KeyFormatException {
        if (hex == null || hex.length() != 2 * LENGTH) {
            throw new KeyFormatException(KeyFormatException.Problem.WRONG_LENGTH,
                    "a public key in hex is " + (2 * LENGTH) + " digits, found " + (hex == null ? 0 : hex.length()));
        }
        PublicKey key;
        try {
            key = new PublicKey(HEX.parseHex(hex));
        } catch (IllegalArgumentException e) {
            throw new KeyFormatException(KeyFormatException.Problem.NOT_HEX, "a public key in hex has only the digits 0-9 and a-f");
        }
        return requirePoint(key);
    }

    /**
     * Parses a key as people and configuration files write it: its {@code did:key}, or 64 hex digits (either case).
     *
     * @throws KeyFormatException as {@link #fromDidKey} or {@link #fromHex}
     */
    public static PublicKey parse(CharSequence text) throws KeyFormatException {
        String s = text == null ? "" : text.toString().trim();
        return s.startsWith("did:") ? fromDidKey(s) : fromHex(s.toLowerCase(java.util.Locale.ROOT));
    }

    /**
     * A key typed or pasted by a person must be a point: 32 bytes that are not one cannot belong to anybody,
     * which catches about half of all one-character typos where they are entered.
     */
    static PublicKey requirePoint(PublicKey key) throws KeyFormatException {
        if (!Ed25519.isValidPoint(key)) {
            throw new KeyFormatException(KeyFormatException.Problem.NOT_A_POINT, "the key " + key.shortId()
                    + "… is not a valid Ed25519 public key (check it for a typo): nobody can hold its private key");
        }
        return key;
    }

    /**
     * Parses a {@code did:key} of an Ed25519 key ({@code did:key:z6Mk…}).
     *
     * @throws KeyFormatException naming what is wrong: prefix, base58, multicodec, length, or not a valid point
     */
    public static PublicKey fromDidKey(CharSequence did) throws KeyFormatException {
        return requirePoint(DidKey.parse(did));
    }

    /** A copy of the 32 bytes. */
    public byte[] toBytes() {
        return bytes.clone();
    }

    /** The bytes without a copy, for hot paths inside halo4j. Callers must not modify them. */
    byte[] rawBytes() {
        return bytes;
    }

    /** Writes the 32 bytes into {@code out} at {@code offset}. */
    public void copyTo(byte[] out, int offset) {
        System.arraycopy(bytes, 0, out, offset, LENGTH);
    }

    /** Lowercase hex: 64 digits. */
    public String toHex() {
        return HEX.formatHex(bytes);
    }

    /** The first 8 hex digits: for messages and logs, where the whole key is not needed. */
    public String shortId() {
        return HEX.formatHex(bytes, 0, 4);
    }

    /**
     * Short forms of two keys for one message, long enough to tell them apart: 8 hex digits each, or as many
     * more as their common prefix needs (the whole key when they are equal).
     */
    public static String[] distinctIds(PublicKey a, PublicKey b) {
        String x = a.toHex();
        String y = b.toHex();
        int common = 0;
        while (common < x.length() && x.charAt(common) == y.charAt(common)) {
            common++;
        }
        int n = Math.min(x.length(), Math.max(8, common + 4));
        return new String[] {x.substring(0, n), y.substring(0, n)};
    }

    /** The {@code did:key} form: {@code did:key:z} + base58btc(0xed 0x01 || key). */
    public String toDidKey() {
        String did = didKey;
        if (did == null) {
            did = DidKey.format(this);
            didKey = did;
        }
        return did;
    }

    /** True when {@code other} holds the same 32 bytes as this key. */
    public boolean matches(byte[] other) {
        return other != null && Arrays.equals(bytes, other);
    }

    @Override
    public int compareTo(PublicKey o) {
        return Arrays.compareUnsigned(bytes, o.bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PublicKey other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return toHex();
    }
}
