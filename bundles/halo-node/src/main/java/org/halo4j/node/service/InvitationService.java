package org.halo4j.node.service;

import java.time.Duration;
import java.util.List;
import org.halo4j.invitations.HostedInvitation;
import org.halo4j.node.agent.AgentException;
import org.halo4j.node.agent.SpaceSummary;
import org.halo4j.proto.v1.SpaceRole;

/**
 * Space invitations the node hosts on its peer listener (DESIGN §6): create, list, cancel; and joining another
 * identity's space with an invitation it received. An invitation and its code are shown once, to the admin who
 * creates it, and travel to the guest by separate channels (docs/invitations.md).
 */
public interface InvitationService {

    /**
     * Creates an invitation to {@code space} for {@code role}, guarded by a one-time code, reachable at the node's
     * address. {@code lifetime} empty: the component's configured default.
     *
     * @throws AgentException {@code invitation.not_admin} unless the node is an OWNER or ADMIN there,
     *                        {@code invitation.no_address} if the node does not listen and no address is set
     */
    HostedInvitation create(String space, SpaceRole role, boolean multiUse, Duration lifetime) throws AgentException;

    /** Every invitation the node hosts, newest first, with its state now. */
    List<HostedInvitation> list() throws AgentException;

    /** Cancels an open invitation (by id or unique prefix) and returns it as it is now. */
    HostedInvitation cancel(String idOrPrefix) throws AgentException;

    /**
     * Joins a space with an invitation another identity hosts ({@code text}: the invitation as printed by
     * {@code halo space invite}) and its code, and replicates it once.
     */
    SpaceSummary accept(String text, String code) throws AgentException;
}
