package org.halo4j.claims;

import java.time.Instant;
import org.halo4j.keys.PublicKey;
import org.halo4j.proto.v1.SpaceRole;

/**
 * An accepted membership claim.
 *
 * @param spaceKey   the space
 * @param identity   the member it is about
 * @param role       its role there, as of {@code asOf}
 * @param asOf       when the issuer stated it (the claim's issued_at)
 * @param validUntil {@code asOf} (or now, if it is later) plus the relying party's freshness window, and never past the
 *                   claim's own expiry: the role counts until then, never after
 * @param issuer     the trusted member who stated it
 */
public record VerifiedClaim(PublicKey spaceKey, PublicKey identity, SpaceRole role, Instant asOf, Instant validUntil,
                            PublicKey issuer) {

    /** Lowercase hex of the space key, as the servlet filter's rules name spaces. */
    public String spaceId() {
        return spaceKey.toHex();
    }
}
