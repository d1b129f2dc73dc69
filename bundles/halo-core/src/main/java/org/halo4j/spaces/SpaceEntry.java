package org.halo4j.spaces;

import com.google.protobuf.ByteString;
import java.util.Objects;
import org.halo4j.keys.PublicKey;
import org.halo4j.proto.v1.Credential;

/**
 * An entry of a space's control feed as replay sees it: which feed, at which position, and the payload bytes
 * exactly as the feed holds them. Replay decodes the payload strictly itself, so a payload that is not a
 * canonical {@code halo.v1.Credential} is refused like any invalid credential (DESIGN §4 rule 6), never fatal
 * and never read with a different meaning than another parser would give it.
 *
 * @param feed    the feed key
 * @param seq     the entry's position in the feed (0 for the first)
 * @param payload the entry's payload as stored: normally an encoded credential
 */
public record SpaceEntry(PublicKey feed, long seq, ByteString payload) {

    public SpaceEntry {
        Objects.requireNonNull(feed);
        Objects.requireNonNull(payload);
        if (seq < 0) {
            throw new IllegalArgumentException("a feed position is >= 0");
        }
    }

    /** The entry that carries {@code credential}, encoded as halo4j writes it. */
    public static SpaceEntry of(PublicKey feed, long seq, Credential credential) {
        return new SpaceEntry(feed, seq, credential.toByteString());
    }
}
