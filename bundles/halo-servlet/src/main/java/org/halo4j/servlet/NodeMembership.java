package org.halo4j.servlet;

import java.util.Objects;
import java.util.Optional;
import org.halo4j.credentials.DeviceStatus;
import org.halo4j.keys.PublicKey;
import org.halo4j.node.agent.AgentException;
import org.halo4j.node.service.SpaceMembershipService;
import org.halo4j.proto.v1.SpaceRole;

/**
 * Peer-mode membership from a node runtime's {@link SpaceMembershipService} (in an OSGi container, the service
 * of the {@code org.halo4j.membership} component): every answer is the state of the node's replica now, so a
 * removal or a revocation counts from the next request. Spaces are named by id.
 */
public final class NodeMembership implements MembershipSource {

    private final SpaceMembershipService membership;

    public NodeMembership(SpaceMembershipService membership) {
        this.membership = Objects.requireNonNull(membership);
    }

    @Override
    public Optional<SpaceRole> roleOf(String spaceId, PublicKey identity) throws MembershipUnavailableException {
        try {
            return membership.roleOf(spaceId, identity);
        } catch (AgentException e) {
            throw new MembershipUnavailableException("could not read space " + spaceId + ": " + e.getMessage(), e);
        }
    }

    @Override
    public DeviceStatus deviceStatus() throws MembershipUnavailableException {
        try {
            return membership.deviceStatus();
        } catch (AgentException e) {
            throw new MembershipUnavailableException("could not read the device revocations: " + e.getMessage(), e);
        }
    }

    @Override
    public long version() throws MembershipUnavailableException {
        try {
            return membership.version();
        } catch (AgentException e) {
            throw new MembershipUnavailableException("could not read the feeds: " + e.getMessage(), e);
        }
    }
}
