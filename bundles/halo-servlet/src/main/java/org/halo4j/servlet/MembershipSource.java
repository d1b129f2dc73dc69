package org.halo4j.servlet;

import java.util.Optional;
import org.halo4j.credentials.DeviceStatus;
import org.halo4j.keys.PublicKey;
import org.halo4j.proto.v1.SpaceRole;

/**
 * Where the filter learns, on every request, who is a member of a space with which role, and which devices are
 * revoked. {@link PeerMembership} answers from the spaces the app replicates as a peer (the default: a removal
 * or revocation counts from the next request). Implementations are thread-safe and answer from local state:
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

    /** {@link #version()} of a source that cannot tell when its state changes. */
    long UNVERSIONED = Long.MIN_VALUE;
}
