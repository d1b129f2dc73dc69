package org.halo4j.spaces;

import java.util.Objects;
import org.halo4j.keys.PublicKey;
import org.halo4j.proto.v1.Credential;

/**
 * A credential as it stands in a control feed of a space: which feed, at which position.
 *
 * @param feed       the feed key
 * @param seq        the entry's position in the feed (0 for the first)
 * @param credential the credential the entry carries
 */
public record SpaceEntry(PublicKey feed, long seq, Credential credential) {

    public SpaceEntry {
        Objects.requireNonNull(feed);
        Objects.requireNonNull(credential);
        if (seq < 0) {
            throw new IllegalArgumentException("a feed position is >= 0");
        }
    }
}
