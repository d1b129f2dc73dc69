package org.halo4j.claims;

import com.google.protobuf.ByteString;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.halo4j.credentials.Credentials;
import org.halo4j.credentials.Signer;
import org.halo4j.credentials.VerifiedCredential;
import org.halo4j.keys.KeyringException;
import org.halo4j.keys.PublicKey;
import org.halo4j.proto.v1.Credential;
import org.halo4j.proto.v1.DeviceScope;
import org.halo4j.proto.v1.MembershipClaim;
import org.halo4j.proto.v1.SpaceGenesis;
import org.halo4j.proto.v1.SpaceMember;
import org.halo4j.proto.v1.SpaceRole;
import org.halo4j.spaces.Roles;

/** Issuing membership claims (decision 0008), by a member's device for another member's device. */
public final class MembershipClaims {

    /** The freshness window a relying party applies unless configured otherwise, and the lifetime of a claim. */
    public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(5);

    private MembershipClaims() {
    }

    /**
     * The highest rank {@code evidence} shows for {@code issuer} in the space {@code spaceKey} (0 if none): the
     * space's genesis first, then SpaceMember grants of that space, each by the space key or by the subject of an
     * earlier grant who could grant it — OWNER or ADMIN, and at least the granted role — and none signed by a
     * READ-scope device. The one rule both the issuing node and {@link ClaimVerifier} apply.
     *
     * @param evidence verified credentials, in the order a claim carries them
     * @throws ClaimRejectedException {@code claim.evidence} naming the first credential that breaks the rule
     */
    public static int issuerRank(PublicKey spaceKey, PublicKey issuer, List<VerifiedCredential> evidence)
            throws ClaimRejectedException {
        VerifiedCredential genesis = evidence.isEmpty() ? null : evidence.get(0);
        ByteString space = ByteString.copyFrom(spaceKey.toBytes());
        if (genesis == null || !(genesis.assertion() instanceof SpaceGenesis g) || !g.getSpaceKey().equals(space)
                || !genesis.issuer().equals(spaceKey) || !genesis.subject().equals(spaceKey)) {
            throw ClaimVerifier.evidence("the first evidence credential is not the genesis of space " + spaceKey.shortId());
        }
        Map<PublicKey, Integer> rank = new HashMap<>();
        rank.put(spaceKey, Roles.SPACE_KEY_RANK);
        for (int i = 1; i < evidence.size(); i++) {
            VerifiedCredential link = evidence.get(i);
            if (!(link.assertion() instanceof SpaceMember grant) || !grant.getSpaceKey().equals(space)) {
                throw ClaimVerifier.evidence("evidence credential " + (i + 1) + " is not a SpaceMember grant of space "
                        + spaceKey.shortId());
            }
            if (link.signedBy().scope().orElse(DeviceScope.DEVICE_SCOPE_ADMIN) == DeviceScope.DEVICE_SCOPE_READ) {
                throw ClaimVerifier.evidence("evidence credential " + (i + 1) + " is signed by a READ-scope device, "
                        + "which a space refuses");
            }
            int granted = Roles.rank(grant.getRole());
            if (granted == 0 || rank.getOrDefault(link.issuer(), 0) < Roles.neededToGrant(grant.getRole())) {
                throw ClaimVerifier.evidence("evidence credential " + (i + 1) + " grants " + Roles.name(grant.getRole())
                        + " by " + link.issuer().shortId() + ", who by the evidence before it could not grant that");
            }
            rank.merge(link.subject(), granted, Math::max);
        }
        return rank.getOrDefault(issuer, 0);
    }

    /**
     * Signs a claim that {@code member} holds {@code role} in the space {@code spaceKey} as of now, for its device
     * {@code device}; it expires after {@link #DEFAULT_WINDOW}.
     *
     * @param signer   a device of the member vouching (the issuer), with its chain
     * @param evidence the space's genesis, then the SpaceMember grants from the space key to the issuer
     *                 ({@link ClaimVerifier} states what they must show)
     */
    public static Credential issue(Signer signer, PublicKey spaceKey, PublicKey member, PublicKey device, SpaceRole role,
                                   List<Credential> evidence, Clock clock) throws KeyringException {
        Objects.requireNonNull(clock, "clock");
        MembershipClaim.Builder claim = MembershipClaim.newBuilder()
                .setSpaceKey(ByteString.copyFrom(spaceKey.toBytes()))
                .setRole(role)
                .setDevice(ByteString.copyFrom(device.toBytes()));
        evidence.forEach(c -> claim.addEvidence(c.toByteString()));
        return Credentials.issue(signer).subject(member).assertion(claim.build())
                .expiresAt(clock.instant().plus(DEFAULT_WINDOW)).clock(clock).sign();
    }
}
