package org.halo4j.feeds;

import com.google.protobuf.ByteString;
import java.time.Instant;
import org.halo4j.keys.PublicKey;
import org.halo4j.proto.v1.FeedEntry;

/**
 * A feed entry that passed {@link FeedVerifier}: strictly decoded, fields of the right lengths, signed by its
 * feed key. Whether it links to a previous entry is checked separately ({@link FeedVerifier#verifyNext}).
 *
 * @param feedKey   the feed's key, which signed the entry
 * @param seq       the entry's position, 0 for the first
 * @param prevHash  SHA-256 of the previous entry's body; empty for seq 0
 * @param payload   what the entry carries (e.g. a serialized Credential)
 * @param writtenAt when the writer says it wrote the entry (never used as a clock)
 * @param hash      SHA-256 of this entry's body, recomputed: the next entry's {@code prev_hash}
 * @param entry     the entry exactly as received
 */
public record VerifiedEntry(PublicKey feedKey, long seq, ByteString prevHash, ByteString payload, Instant writtenAt,
                            ByteString hash, FeedEntry entry) {

    /** Where the entry is: its feed and seq. */
    public FeedPosition position() {
        return new FeedPosition(feedKey, seq);
    }

    /** The signed body bytes. */
    public ByteString body() {
        return entry.getBody();
    }

    /** True when {@code other} has the same body: the same entry, whatever its signature bytes. */
    public boolean sameBody(VerifiedEntry other) {
        return hash.equals(other.hash);
    }

    /** The encoded {@code halo.v1.FeedEntry}. */
    public byte[] toBytes() {
        return entry.toByteArray();
    }

    /** The first 8 hex digits of {@link #hash()}, for messages. */
    public String shortId() {
        return BodyHash.shortId(hash);
    }

    /** For messages and logs: position and short hash, never the payload. */
    @Override
    public String toString() {
        return "VerifiedEntry[" + position() + ", " + shortId() + "]";
    }
}
