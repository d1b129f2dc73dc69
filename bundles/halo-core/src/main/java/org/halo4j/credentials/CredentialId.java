package org.halo4j.credentials;

import com.google.protobuf.ByteString;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A credential's id: SHA-256 of its serialized body (DESIGN §3). Always recomputed from the body, never read
 * from the wire. Text form: lowercase hex.
 */
public final class CredentialId implements Comparable<CredentialId> {

    /** Length of an id in bytes. */
    public static final int LENGTH = 32;

    private static final HexFormat HEX = HexFormat.of();

    private final byte[] bytes;
    private final int hash;

    private CredentialId(byte[] bytes) {
        this.bytes = bytes;
        this.hash = Arrays.hashCode(bytes);
    }

    /** The id of a credential whose serialized body is {@code body}. */
    public static CredentialId ofBody(ByteString body) {
        MessageDigest sha = sha256();
        body.asReadOnlyByteBufferList().forEach(sha::update);
        return new CredentialId(sha.digest());
    }

    /**
     * An id given as 32 bytes (for example a parent reference).
     *
     * @throws IllegalArgumentException if not 32 bytes
     */
    public static CredentialId of(byte[] bytes) {
        if (bytes == null || bytes.length != LENGTH) {
            throw new IllegalArgumentException("a credential id is " + LENGTH + " bytes, found "
                    + (bytes == null ? "none" : bytes.length));
        }
        return new CredentialId(bytes.clone());
    }

    /**
     * Parses the hex form.
     *
     * @throws IllegalArgumentException if not 64 hex digits
     */
    public static CredentialId fromHex(CharSequence hex) {
        if (hex == null || hex.length() != 2 * LENGTH) {
            throw new IllegalArgumentException("a credential id is " + (2 * LENGTH) + " hex digits");
        }
        return new CredentialId(HEX.parseHex(hex));
    }

    private static final MessageDigest SHA256_PROTOTYPE = newSha256();

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** A fresh SHA-256 digest: a clone of one prototype, cheaper than a provider look-up per id. */
    static MessageDigest sha256() {
        try {
            return (MessageDigest) SHA256_PROTOTYPE.clone();
        } catch (CloneNotSupportedException e) {
            return newSha256();
        }
    }

    /** A copy of the 32 bytes. */
    public byte[] toBytes() {
        return bytes.clone();
    }

    /** The 32 bytes as a ByteString, for building messages. */
    public ByteString toByteString() {
        return ByteString.copyFrom(bytes);
    }

    /** True if {@code other} holds the same 32 bytes, compared in constant time. */
    public boolean matches(ByteString other) {
        return other.size() == LENGTH && MessageDigest.isEqual(bytes, other.toByteArray());
    }

    public String toHex() {
        return HEX.formatHex(bytes);
    }

    /** The first 8 hex digits, for messages. */
    public String shortId() {
        return HEX.formatHex(bytes, 0, 4);
    }

    @Override
    public int compareTo(CredentialId o) {
        return Arrays.compareUnsigned(bytes, o.bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CredentialId other && Arrays.equals(bytes, other.bytes);
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
