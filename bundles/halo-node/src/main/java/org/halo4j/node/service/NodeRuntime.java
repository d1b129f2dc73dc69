package org.halo4j.node.service;

import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import org.halo4j.node.agent.Agent;
import org.halo4j.node.agent.AgentException;

/**
 * A running node: one identity of a wallet, its keyring unlocked, its feeds open, and (unless switched off) a
 * peer listener on which other devices sync, guests accept invitations and members fetch membership claims. The
 * other services of this package act through it; so can an application that needs more of the
 * {@link Agent} than they offer.
 */
public interface NodeRuntime {

    /** What {@link #call} runs with the agent. */
    @FunctionalInterface
    interface AgentCall<T> {
        T call(Agent agent) throws AgentException;
    }

    /** The DID of the identity the node acts for. */
    String did();

    /** The wallet's home directory (keyring, feeds, invitations). */
    Path home();

    /** Where peers reach this node ({@code ws://host:port}), or empty when it does not listen. */
    Optional<URI> address();

    /**
     * Runs {@code call} with the agent, serialized with every other use of it (the peer listener's included),
     * so that {@code call} sees and makes one consistent state. Keep calls short: they hold up replication.
     *
     * @throws AgentException what {@code call} threw, or {@code node.stopped} once the runtime is stopped
     */
    <T> T call(AgentCall<T> call) throws AgentException;
}
