package org.halo4j.node.service;

/**
 * Register an object of this type as a service and the node tells it when membership may have changed: a role
 * set, a member removed, a device revoked, here or replicated from a peer. A new listener first hears the
 * current version. Calls come from one thread of the node, some time after the change (the membership
 * component's {@code poll.interval}); a listener that throws is logged and called again on the next look.
 */
@FunctionalInterface
public interface MembershipListener {

    /** Membership may have changed; {@code version} is {@link SpaceMembershipService#version()} now. */
    void membershipChanged(long version);
}
