package org.halo4j.feeds;

import com.google.protobuf.ByteString;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 of an entry's body bytes: what the next entry's {@code prev_hash} must hold. */
final class BodyHash {

    /** Length of a SHA-256 hash. */
    static final int LENGTH = 32;

    private static final MessageDigest PROTOTYPE = newSha256();

    private BodyHash() {
    }

    static ByteString of(ByteString body) {
        MessageDigest sha = fresh();
        body.asReadOnlyByteBufferList().forEach(sha::update);
        return ByteString.copyFrom(sha.digest());
    }

    /** The first 8 hex digits, for messages; {@code (none)} for an empty hash. */
    static String shortId(ByteString hash) {
        return hash.isEmpty() ? "(none)" : HexFormat.of().formatHex(hash.substring(0, Math.min(4, hash.size())).toByteArray());
    }

    private static MessageDigest fresh() {
        try {
            return (MessageDigest) PROTOTYPE.clone();
        } catch (CloneNotSupportedException e) {
            return newSha256();
        }
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
