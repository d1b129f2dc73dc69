package org.halo4j.servlet;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.halo4j.claims.ClaimRejectedException;
import org.halo4j.claims.ClaimVerifier;
import org.halo4j.claims.VerifiedClaim;
import org.halo4j.credentials.DeviceStatus;
import org.halo4j.errors.RejectionCode;
import org.halo4j.keys.KeyFormatException;
import org.halo4j.keys.PublicKey;
import org.halo4j.presentations.LoginResult;
import org.halo4j.proto.v1.SpaceRole;

/**
 * Membership from fresh claims (decision 0008, "claims" mode), for an app that cannot run a peer: a serverless
 * function, a locked-down DMZ. The challenge names the configured spaces; the wallet fetches, from a node of each
 * space, a {@code MembershipClaim} signed by a member this app trusts for that space, and presents it with the
 * login. {@link ClaimVerifier} checks each (trusted issuer, configured space, freshness window, presenting
 * device, a role the issuer could grant by its evidence); a login that brings none is refused
 * ({@code claim.missing}).
 *
 * <p><b>The window is the revocation delay of this mode.</b> A role counts until the claim's time plus the window,
 * and the session ends then; logging in again needs a fresh claim, which the node refuses to a removed member or
 * a revoked device. So a removal or a revocation takes effect after at most the window (default 5 minutes), never
 * later — but not on the next request, as it does in peer mode. Device revocation is known only through the
 * claim (this source revokes no device itself).
 *
 * <p>Keeps the latest accepted claim per identity and space, in memory, at most {@code maxIdentities} (default 100 000;
 * expired ones are dropped first). Thread-safe.
 */
public final class ClaimsMembership implements MembershipSource {

    private final ClaimVerifier verifier;
    private final Clock clock;
    private final int maxIdentities;
    private final List<String> spaceIds;
    private final Map<PublicKey, Map<String, VerifiedClaim>> byIdentity = new LinkedHashMap<>(256, 0.75f, true);

    private ClaimsMembership(Builder b) {
        this.verifier = b.claims.clock(b.clock).window(b.window).build();
        this.clock = b.clock;
        this.maxIdentities = b.maxIdentities;
        this.spaceIds = verifier.spaces().stream().map(PublicKey::toHex).toList();
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public List<String> claimedSpaces() {
        return spaceIds;
    }

    /** The freshness window. */
    public Duration window() {
        return verifier.window();
    }

    @Override
    public Optional<Instant> admit(LoginResult login) throws ClaimRejectedException {
        Map<PublicKey, VerifiedClaim> accepted = verifier.check(login);
        if (accepted.isEmpty()) {
            throw new ClaimRejectedException(RejectionCode.CLAIM_MISSING, "this site authorizes by membership claims "
                    + "for space " + String.join(", ", spaceIds) + " and the login brings none: log in with a wallet "
                    + "that asks a node of the space for one (halo login does when the site names the spaces)");
        }
        Map<String, VerifiedClaim> claims = new HashMap<>();
        Instant until = Instant.MAX;
        for (VerifiedClaim c : accepted.values()) {
            claims.put(c.spaceId(), c);
            until = c.validUntil().isBefore(until) ? c.validUntil() : until;
        }
        synchronized (byIdentity) {
            // merged per space, the most recent claim wins: an older one re-presented (a role since lowered) does
            // not replace it, and a login with claims for one space leaves the claims for others
            Map<String, VerifiedClaim> kept = byIdentity.computeIfAbsent(login.identity(), k -> new HashMap<>());
            claims.forEach((space, c) -> kept.merge(space, c, (old, fresh) -> fresh.asOf().isBefore(old.asOf()) ? old : fresh));
            if (byIdentity.size() > maxIdentities) {
                Instant now = clock.instant();
                byIdentity.values().removeIf(m -> m.values().stream().noneMatch(c -> now.isBefore(c.validUntil())));
                Iterator<PublicKey> eldest = byIdentity.keySet().iterator();
                while (byIdentity.size() > maxIdentities && eldest.hasNext()) {
                    eldest.next();
                    eldest.remove(); // least recently used; its sessions lose their roles and log in again
                }
            }
        }
        return Optional.of(until);
    }

    /** The role of the identity's latest accepted claim for the space, while it is within the window. */
    @Override
    public Optional<SpaceRole> roleOf(String spaceId, PublicKey identity) {
        VerifiedClaim c;
        synchronized (byIdentity) {
            c = byIdentity.getOrDefault(identity, Map.of()).get(spaceId.toLowerCase(java.util.Locale.ROOT));
        }
        if (c == null || !clock.instant().isBefore(c.validUntil())) {
            return Optional.empty();
        }
        return Optional.of(c.role());
    }

    /** Revokes no device: in this mode a device's standing comes with each claim, issued to that device. */
    @Override
    public DeviceStatus deviceStatus() {
        return (identity, device) -> false;
    }

    /** Configures a {@link ClaimsMembership}. */
    public static final class Builder {
        private final ClaimVerifier.Builder claims = ClaimVerifier.builder();
        private Duration window = org.halo4j.claims.MembershipClaims.DEFAULT_WINDOW;
        private Clock clock = Clock.systemUTC();
        private int maxIdentities = 100_000;

        private Builder() {
        }

        /**
         * Takes claims for the space {@code spaceId} (64 hex digits) from these members ({@code did:key} or hex),
         * typically the space's always-on node.
         */
        public Builder trust(String spaceId, String... issuers) {
            List<PublicKey> keys = new ArrayList<>();
            for (String issuer : issuers) {
                keys.add(key(issuer, "trusted issuer"));
            }
            claims.trust(key(spaceId, "space id"), keys.toArray(PublicKey[]::new));
            return this;
        }

        /** How old a claim may be (default 5 minutes; 10 s to 1 hour): the revocation delay of this mode. */
        public Builder window(Duration window) {
            this.window = Objects.requireNonNull(window, "window");
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Identities whose claims are kept at once (default 100 000). */
        public Builder maxIdentities(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxIdentities must be at least 1");
            }
            this.maxIdentities = max;
            return this;
        }

        public ClaimsMembership build() {
            return new ClaimsMembership(this);
        }

        private static PublicKey key(String text, String what) {
            Objects.requireNonNull(text, what);
            try {
                return PublicKey.parse(text);
            } catch (KeyFormatException e) {
                throw new IllegalArgumentException(what + " '" + text + "' is neither a did:key nor 64 hex digits: "
                        + e.getMessage(), e);
            }
        }
    }
}
