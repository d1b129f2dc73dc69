package org.halo4j.claims;

import com.google.protobuf.ByteString;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.halo4j.credentials.CredentialVerifier;
import org.halo4j.credentials.Limits;
import org.halo4j.credentials.VerifiedCredential;
import org.halo4j.errors.HaloRejectedException;
import org.halo4j.errors.RejectionCode;
import org.halo4j.keys.PublicKey;
import org.halo4j.presentations.LoginResult;
import org.halo4j.proto.v1.DeviceScope;
import org.halo4j.proto.v1.MembershipClaim;
import org.halo4j.spaces.Roles;

/**
 * Checks the membership claims a login carries (decision 0008), for a relying party that does not replicate the
 * spaces it authorizes by. Built with the spaces it takes claims for and, per space, the members it trusts to
 * state them. A claim is accepted only if all of these hold, else the login is refused with the first reason:
 * <ol>
 *   <li>it is for a configured space ({@code claim.other_space});</li>
 *   <li>its issuer is trusted for that space ({@code claim.untrusted_issuer});</li>
 *   <li>it was issued no longer ago than the freshness window, is not past its own expiry (five minutes after
 *       issue), and is not dated in the future beyond the clock skew ({@code claim.stale}); it counts until the
 *       earlier of its time plus the window and its expiry;</li>
 *   <li>it is signed by a device that may speak for its issuer: not one with READ scope
 *       ({@code claim.untrusted_issuer});</li>
 *   <li>it was issued to the device that signs the presentation ({@code claim.device});</li>
 *   <li>its evidence leads from the space's genesis to its issuer: the genesis of that space key first, then
 *       SpaceMember grants of that space, each issued by the space key or by the subject of an earlier grant who
 *       could grant it — OWNER or ADMIN, and at least the granted role ({@code claim.evidence});</li>
 *   <li>by that evidence, the issuer could grant the claimed role: it is OWNER or ADMIN there, and the role is not
 *       above its own ({@code claim.role}).</li>
 * </ol>
 * The signatures of the claim and of the presenting device were checked by the login already; the evidence's
 * are checked here, once per distinct credential (a small cache), with no clock and no revocation source: it
 * only shows what the issuer was granted, the trust in the issuer is the relying party's configuration.
 * Thread-safe.
 */
public final class ClaimVerifier {

    private static final int EVIDENCE_CACHE = 1024;

    private final Map<PublicKey, Set<PublicKey>> trusted;
    private final Duration window;
    private final Clock clock;
    private final CredentialVerifier evidenceVerifier = CredentialVerifier.builder().ignoreRevocation().build();
    private final Map<ByteString, VerifiedCredential> verifiedEvidence = new ConcurrentHashMap<>();

    private ClaimVerifier(Builder b) {
        Map<PublicKey, Set<PublicKey>> t = new LinkedHashMap<>();
        b.trusted.forEach((space, issuers) -> t.put(space, Set.copyOf(issuers)));
        this.trusted = Map.copyOf(t);
        this.window = b.window;
        this.clock = b.clock;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The spaces claims are taken for. */
    public Set<PublicKey> spaces() {
        return trusted.keySet();
    }

    /** The freshness window. */
    public Duration window() {
        return window;
    }

    /**
     * The accepted claims of {@code login}, one per space (the most recent when several are presented); empty if
     * it carries none.
     *
     * @throws ClaimRejectedException if any presented claim is not accepted
     */
    public Map<PublicKey, VerifiedClaim> check(LoginResult login) throws ClaimRejectedException {
        Instant now = clock.instant();
        Map<PublicKey, VerifiedClaim> out = new HashMap<>();
        for (VerifiedCredential c : login.allPresented()) {
            if (!(c.assertion() instanceof MembershipClaim m)) {
                continue;
            }
            VerifiedClaim v = check(c, m, login, now);
            out.merge(v.spaceKey(), v, (a, b) -> a.asOf().isAfter(b.asOf()) ? a : b);
        }
        return out;
    }

    private VerifiedClaim check(VerifiedCredential c, MembershipClaim m, LoginResult login, Instant now)
            throws ClaimRejectedException {
        PublicKey space = PublicKey.of(m.getSpaceKey().toByteArray());
        Set<PublicKey> issuers = trusted.get(space);
        if (issuers == null) {
            throw new ClaimRejectedException(RejectionCode.CLAIM_OTHER_SPACE, "the claim is for space " + space.shortId()
                    + "; this site takes claims for " + String.join(", ", trusted.keySet().stream().map(PublicKey::shortId).toList()));
        }
        if (!issuers.contains(c.issuer())) {
            throw new ClaimRejectedException(RejectionCode.CLAIM_UNTRUSTED_ISSUER, "the claim is stated by "
                    + c.issuer().toDidKey() + ", whom this site does not trust for space " + space.shortId());
        }
        if (c.signedBy().scope().orElse(DeviceScope.DEVICE_SCOPE_ADMIN) == DeviceScope.DEVICE_SCOPE_READ) {
            throw new ClaimRejectedException(RejectionCode.CLAIM_UNTRUSTED_ISSUER, "the claim is signed by device "
                    + c.signedBy().signer().shortId() + ", which has READ scope: it cannot speak for its identity");
        }
        Instant asOf = c.issuedAt();
        // from the claim's time (never later than now) for the window, and never past the claim's own expiry
        Instant validUntil = (asOf.isAfter(now) ? now : asOf).plus(window);
        if (c.expiresAt().isPresent() && c.expiresAt().get().isBefore(validUntil)) {
            validUntil = c.expiresAt().get();
        }
        if (!now.isBefore(validUntil)) {
            throw new ClaimRejectedException(RejectionCode.CLAIM_STALE, "the claim is as of " + asOf + ", older than "
                    + "this site's window of " + window.toSeconds() + " s: ask the space's node for a fresh one");
        }
        if (asOf.isAfter(now.plus(Limits.CLOCK_SKEW))) {
            throw new ClaimRejectedException(RejectionCode.CLAIM_STALE, "the claim is as of " + asOf + ", after now ("
                    + now + ") plus the allowed skew");
        }
        if (!login.device().matches(m.getDevice().toByteArray())) {
            throw new ClaimRejectedException(RejectionCode.CLAIM_DEVICE, "the claim was issued to device "
                    + PublicKey.of(m.getDevice().toByteArray()).shortId() + ", the presentation is signed by "
                    + login.device().shortId());
        }
        int issuerRank = rankByEvidence(space, c.issuer(), m.getEvidenceList());
        int needed = Roles.neededToGrant(m.getRole());
        if (issuerRank < needed) {
            throw new ClaimRejectedException(RejectionCode.CLAIM_ROLE, "the claim states " + Roles.name(m.getRole())
                    + ", which its issuer could not grant: by its evidence it is " + Roles.describe(issuerRank));
        }
        return new VerifiedClaim(space, c.subject(), m.getRole(), asOf, validUntil, c.issuer());
    }

    /** The issuer's highest rank the evidence shows; 0 if it shows none. */
    private int rankByEvidence(PublicKey space, PublicKey issuer, List<ByteString> evidence)
            throws ClaimRejectedException {
        List<VerifiedCredential> links = new ArrayList<>(evidence.size());
        for (ByteString e : evidence) {
            links.add(verified(e));
        }
        return MembershipClaims.issuerRank(space, issuer, links);
    }

    private VerifiedCredential verified(ByteString encoded) throws ClaimRejectedException {
        VerifiedCredential known = verifiedEvidence.get(encoded);
        if (known != null) {
            return known;
        }
        VerifiedCredential v;
        try {
            v = evidenceVerifier.verifyForReplay(encoded);
        } catch (HaloRejectedException e) {
            throw evidence("an evidence credential does not verify: " + e.code().code() + ": " + e.getMessage());
        }
        if (verifiedEvidence.size() >= EVIDENCE_CACHE) {
            verifiedEvidence.clear(); // bounded; the same few grants serve every login, they come back at once
        }
        verifiedEvidence.put(encoded, v);
        return v;
    }

    static ClaimRejectedException evidence(String message) {
        return new ClaimRejectedException(RejectionCode.CLAIM_EVIDENCE, message);
    }

    /** Configures a {@link ClaimVerifier}. */
    public static final class Builder {
        private final Map<PublicKey, List<PublicKey>> trusted = new LinkedHashMap<>();
        private Duration window = MembershipClaims.DEFAULT_WINDOW;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /** Takes claims for {@code spaceKey} from these members (typically the space's always-on node). */
        public Builder trust(PublicKey spaceKey, PublicKey... issuers) {
            Objects.requireNonNull(spaceKey, "spaceKey");
            if (issuers.length == 0) {
                throw new IllegalArgumentException("name at least one member trusted to state claims for space "
                        + spaceKey.shortId());
            }
            trusted.computeIfAbsent(spaceKey, k -> new ArrayList<>()).addAll(List.of(issuers));
            return this;
        }

        /** How old a claim may be (default 5 minutes): the revocation delay of claims mode. 10 s to 1 hour. */
        public Builder window(Duration window) {
            if (window.compareTo(Duration.ofSeconds(10)) < 0 || window.compareTo(Duration.ofHours(1)) > 0) {
                throw new IllegalArgumentException("the claim window must be 10 s to 1 hour, found " + window);
            }
            this.window = window;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public ClaimVerifier build() {
            if (trusted.isEmpty()) {
                throw new IllegalArgumentException("name at least one space to take claims for (trust(spaceKey, issuer))");
            }
            return new ClaimVerifier(this);
        }
    }
}
