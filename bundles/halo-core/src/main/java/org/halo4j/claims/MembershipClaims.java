package org.halo4j.claims;

import com.google.protobuf.ByteString;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.halo4j.credentials.Credentials;
import org.halo4j.credentials.Signer;
import org.halo4j.keys.KeyringException;
import org.halo4j.keys.PublicKey;
import org.halo4j.proto.v1.Credential;
import org.halo4j.proto.v1.MembershipClaim;
import org.halo4j.proto.v1.SpaceRole;

/** Issuing membership claims (decision 0008), by a member's device for another member's device. */
public final class MembershipClaims {

    /** The freshness window a relying party applies unless configured otherwise, and the lifetime of a claim. */
    public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(5);

    private MembershipClaims() {
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
