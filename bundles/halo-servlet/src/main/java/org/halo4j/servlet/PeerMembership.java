package org.halo4j.servlet;

import java.util.Objects;
import java.util.Optional;
import org.halo4j.credentials.DeviceStatus;
import org.halo4j.keys.PublicKey;
import org.halo4j.node.agent.Agent;
import org.halo4j.node.agent.AgentException;
import org.halo4j.proto.v1.SpaceRole;

/**
 * Membership from the spaces the app replicates as a peer (DESIGN §7, "peer" mode): the app's own identity,
 * opened as an {@link Agent}, owns or joined the spaces it authorizes by, and replicates them with the others'
 * devices or a node. Each answer comes from the agent's replayed state as it is at that moment, so a removal or
 * a device revocation that has arrived counts from the next request. Calls are serialized on the agent (the
 * node runtime does the same when it replicates).
 */
public final class PeerMembership implements MembershipSource {

    private final Agent agent;

    public PeerMembership(Agent agent) {
        this.agent = Objects.requireNonNull(agent);
    }

    @Override
    public Optional<SpaceRole> roleOf(String spaceId, PublicKey identity) throws MembershipUnavailableException {
        synchronized (agent) {
            try {
                return agent.roleOf(spaceId, identity);
            } catch (AgentException e) {
                if ("space.unknown".equals(e.code())) {
                    return Optional.empty(); // the app does not keep this space: nobody is a member here
                }
                throw new MembershipUnavailableException("could not read space " + spaceId + ": " + e.getMessage(), e);
            }
        }
    }

    /** Changes whenever the app's feeds grow: a change made here, or one replicated from a peer. */
    @Override
    public long version() throws MembershipUnavailableException {
        synchronized (agent) {
            try {
                return agent.stateVersion();
            } catch (AgentException e) {
                throw new MembershipUnavailableException("could not read the feeds: " + e.getMessage(), e);
            }
        }
    }

    @Override
    public DeviceStatus deviceStatus() throws MembershipUnavailableException {
        synchronized (agent) {
            try {
                return agent.deviceStatus();
            } catch (AgentException e) {
                throw new MembershipUnavailableException("could not read the device revocations: " + e.getMessage(), e);
            }
        }
    }
}
