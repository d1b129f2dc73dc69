package org.halo4j.servlet;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.halo4j.errors.HaloRejectedException;
import org.halo4j.presentations.LoginResult;
import org.halo4j.credentials.DeviceStatus;
import org.halo4j.keys.PublicKey;
import org.halo4j.proto.v1.SpaceRole;

/**
 * Where the filter learns, on every request, who is a member of a space with which role, and which devices are
 * revoked. {@link PeerMembership} answers from the spaces the app replicates as a peer (the default: a removal
 * or revocation counts from the next request); {@link ClaimsMembership} from the fresh membership claims logins
 * bring, for an app that cannot run a peer (a removal counts after at most its window). Implementations are thread-safe and answer from local state:
 * the filter asks on every protected request.
 */
public interface MembershipSource {

    /**
     * The role of {@code identity} in the space {@code spaceId} (lowercase hex of the space key); empty if it is
     * not a member (never was, or was removed).
     *
     * @throws MembershipUnavailableException if the state cannot be read now: the filter refuses (fails closed)
     */
    Optional<SpaceRole> roleOf(String spaceId, PublicKey identity) throws MembershipUnavailableException;

    /**
     * Device revocations as known now, for verifying presentations and re-checking sessions.
     *
     * @throws MembershipUnavailableException if the state cannot be read now: the filter refuses (fails closed)
     */
    DeviceStatus deviceStatus() throws MembershipUnavailableException;

    /**
     * A number that changes whenever a role or a revocation may have changed, so that what was derived from the
     * state (a cached authorization) can be dropped; {@link #UNVERSIONED} if the source cannot tell, and then
     * nothing derived from it may be cached.
     */
    default long version() throws MembershipUnavailableException {
        return UNVERSIONED;
    }

    /**
     * A {@link DeviceStatus} that asks this source again on every question, for a verifier kept across logins
     * (its chain cache then serves every login, and every answer is current). When the state cannot be read,
     * every device counts as revoked: it fails closed.
     */
    default DeviceStatus liveDeviceStatus() {
        MembershipSource source = this;
        return new DeviceStatus() {
            @Override
            public boolean isRevoked(org.halo4j.keys.PublicKey identity, org.halo4j.keys.PublicKey device) {
                try {
                    return source.deviceStatus().isRevoked(identity, device);
                } catch (MembershipUnavailableException e) {
                    return true;
                }
            }

            @Override
            public boolean keepsAuthorization(org.halo4j.keys.PublicKey identity, org.halo4j.keys.PublicKey issuingDevice,
                                              org.halo4j.credentials.CredentialId authorization) {
                try {
                    return source.deviceStatus().keepsAuthorization(identity, issuingDevice, authorization);
                } catch (MembershipUnavailableException e) {
                    return false;
                }
            }

            @Override
            public boolean revokedByRecovery(org.halo4j.keys.PublicKey identity, org.halo4j.keys.PublicKey rootDevice,
                                             java.time.Instant authorizedAt) {
                try {
                    return source.deviceStatus().revokedByRecovery(identity, rootDevice, authorizedAt);
                } catch (MembershipUnavailableException e) {
                    return true;
                }
            }
        };
    }

    /**
     * Spaces (lowercase hex keys) for which a login must bring membership claims (decision 0008): the challenge
     * names them, so the wallet fetches fresh claims from a node of each. Empty (the default) for a source that
     * knows membership itself, as {@link PeerMembership} does.
     */
    default List<String> claimedSpaces() {
        return List.of();
    }

    /**
     * Takes what a verified login brings before a session starts: a claims source checks the login's membership
     * claims and keeps them. Returns the time after which the session must end because what it stands on is no
     * longer fresh (claims: the claim's time plus the window); empty (the default) if the session may run its
     * full lifetime.
     *
     * @throws HaloRejectedException with the reason the login is refused ({@code claim.*})
     */
    default Optional<Instant> admit(LoginResult login) throws HaloRejectedException {
        return Optional.empty();
    }

    /** {@link #version()} of a source that cannot tell when its state changes. */
    long UNVERSIONED = Long.MIN_VALUE;
}
