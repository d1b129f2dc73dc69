package org.halo4j.node.service;

import java.util.List;
import java.util.Optional;
import org.halo4j.credentials.DeviceStatus;
import org.halo4j.keys.PublicKey;
import org.halo4j.node.agent.AgentException;
import org.halo4j.node.agent.MemberSummary;
import org.halo4j.node.agent.SpaceSummary;
import org.halo4j.proto.v1.SpaceRole;
import org.halo4j.spaces.Refusal;

/**
 * Membership of the spaces the node keeps (DESIGN §6 {@code SpaceMembership}): who is a member with which role,
 * from the state replayed from the feeds as they are now, and the changes an OWNER or ADMIN makes. Spaces are
 * named by id (hex space key, or a unique prefix of it) or by their local name. Changes, made here or replicated
 * from a peer, are announced to every {@link MembershipListener} service.
 */
public interface SpaceMembershipService {

    /** The spaces the node keeps. */
    List<SpaceSummary> spaces() throws AgentException;

    /** One space; {@code space.unknown} if the node does not keep it. */
    SpaceSummary space(String idOrName) throws AgentException;

    /** The role of {@code identity} in {@code space}, or empty if it is not a member (or the space not kept here). */
    Optional<SpaceRole> roleOf(String space, PublicKey identity) throws AgentException;

    /** The members of {@code space}, highest role first. */
    List<MemberSummary> members(String space) throws AgentException;

    /** Creates a space the node's identity owns. */
    SpaceSummary createSpace(String name) throws AgentException;

    /** Gives {@code member} a role in {@code space} (adding it if new), signed by the node's device. */
    void setRole(String space, PublicKey member, SpaceRole role) throws AgentException;

    /** Removes {@code member} from {@code space}. */
    void remove(String space, PublicKey member) throws AgentException;

    /** What the replay of {@code space} refused, and why. */
    List<Refusal> audit(String space) throws AgentException;

    /** A number that changes whenever the node's feeds grow; equal numbers mean the same membership. */
    long version() throws AgentException;

    /** The device revocations the node knows, for verifying presentations (a snapshot of this moment). */
    DeviceStatus deviceStatus() throws AgentException;
}
