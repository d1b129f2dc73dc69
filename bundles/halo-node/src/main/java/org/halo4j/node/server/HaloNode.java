package org.halo4j.node.server;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.halo4j.net.ChannelLimits;
import org.halo4j.net.LocalDevice;
import org.halo4j.net.PeerChannel;
import org.halo4j.net.PeerException;
import org.halo4j.net.PeerServer;
import org.halo4j.net.Relay;
import org.halo4j.net.Transport;
import org.halo4j.credentials.CredentialVerifier;
import org.halo4j.node.agent.Agent;
import org.halo4j.node.agent.AgentException;
import org.halo4j.node.agent.SyncReport;

/**
 * A running node: one identity's agent served to its peers over WebSocket, and a relay.
 *
 * <ul>
 *   <li>{@value #PEER_PATH}: a peer channel to this node's device; the peer replicates the spaces it shares with
 *       the node's identity (its HALO too, for a device of the same identity), or, on a channel opened for
 *       {@code claim}, asks for membership claims ({@link Claims}).</li>
 *   <li>{@value #RELAY_PATH}{@code TOPIC}: paired with the next connection on the same topic; the node passes
 *       ciphertext between them ({@link Relay}).</li>
 * </ul>
 * Every connection and refusal is logged as one line ({@link Log}). {@link #stop} closes every connection and
 * waits for running sessions; every entry a session stored was durable before it was acknowledged.
 */
public final class HaloNode implements AutoCloseable {

    /** Where peers open a channel to the node itself. */
    public static final String PEER_PATH = "/halo/v1/peer";
    /** Where peers meet on a topic: {@code /halo/v1/relay/<64 hex>}. */
    public static final String RELAY_PATH = "/halo/v1/relay/";
    /** Where members' devices meet on a space's topic, roles told by the relay: {@code /halo/v1/meet/<64 hex>}. */
    public static final String MEET_PATH = "/halo/v1/meet/";
    /** The port a node listens on unless told otherwise. */
    public static final int DEFAULT_PORT = 4256;

    /** One line per connection and per refusal: who, which space, why. */
    @FunctionalInterface
    public interface Log {
        void line(String line);
    }

    private final Agent agent;
    private final Log log;
    private final Clock clock;
    private final Relay relay;
    private final Instant started;
    private final AtomicLong syncs = new AtomicLong();
    private final AtomicLong refusals = new AtomicLong();
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();
    private final ChannelLimits limits;
    private PeerServer server;

    private HaloNode(Agent agent, ChannelLimits limits, Duration relayWait, Log log, Clock clock) {
        this.agent = agent;
        this.limits = limits;
        this.log = log;
        this.clock = clock;
        this.relay = new Relay(relayWait, (topic, m) -> { });
        this.started = clock.instant();
    }

    /**
     * Starts serving {@code agent} (unlocked: the node signs its device proofs and carries admissions) on
     * {@code host:port}.
     */
    public static HaloNode start(Agent agent, String host, int port, ChannelLimits limits, Duration relayWait, Log log)
            throws PeerException {
        HaloNode node = new HaloNode(agent, limits, relayWait, log, Clock.systemUTC());
        node.server = PeerServer.start(host, port, limits, Map.of(
                PEER_PATH, node::peer,
                RELAY_PATH + "*", (t, path) -> node.relay(t, path, false),
                MEET_PATH + "*", (t, path) -> node.relay(t, path, true)));
        node.log("listening on ws://" + host + ":" + node.server.address().getPort() + " as " + agent.did()
                + " (device " + agent.device().shortId() + ")");
        return node;
    }

    private void peer(Transport t, String path) {
        String who = t.remote();
        PeerChannel channel;
        try {
            LocalDevice me;
            CredentialVerifier verifier;
            synchronized (agent) {
                me = agent.localDevice();
                verifier = agent.verifier();
            }
            channel = PeerChannel.accept(t, me, verifier, limits);
        } catch (PeerException | AgentException e) {
            refused(who, code(e), e.getMessage());
            return;
        }
        who = channel.remote().describe();
        if ("claim".equals(channel.remote().purpose())) {
            try (channel) {
                log(Claims.serve(agent, channel));
            } catch (PeerException e) {
                refused(who, e.code(), e.getMessage());
            }
            return;
        }
        try (channel) {
            SyncReport r = agent.sync(channel, false);
            if (r.peerRefused()) {
                refused(who, "peer.not_member", "served nothing: not a member of any space kept here, removed, or "
                        + "its device revoked");
                return;
            }
            syncs.incrementAndGet();
            received.addAndGet(r.received());
            sent.addAndGet(r.sent());
            log("sync " + who + ": received " + r.received() + ", sent " + r.sent() + " entries in " + r.turns()
                    + " turns" + (r.notes().isEmpty() ? "" : "; " + String.join("; ", r.notes())));
        } catch (PeerException | AgentException e) {
            refused(who, code(e), e.getMessage());
        }
    }

    private void relay(Transport t, String path, boolean meet) {
        String topic = path.substring(path.lastIndexOf('/') + 1);
        if (!Relay.isTopic(topic)) {
            refused(t.remote(), "relay.topic", "not a relay topic");
            return;
        }
        log("relay " + t.remote() + " on topic " + topic.substring(0, 8) + "…");
        try {
            if (meet) {
                relay.meet(topic, t);
            } else {
                relay.join(topic, t);
            }
            log("relay " + t.remote() + " on topic " + topic.substring(0, 8) + "… ended");
        } catch (PeerException e) {
            refused(t.remote(), e.code(), e.getMessage());
        }
    }

    private void refused(String who, String code, String why) {
        refusals.incrementAndGet();
        log("refused " + who + ": " + code + ": " + why);
    }

    private static String code(Exception e) {
        return e instanceof PeerException p ? p.code() : e instanceof AgentException a ? a.code() : "error";
    }

    private void log(String line) {
        log.line(clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS) + " " + line);
    }

    /** Where the node listens. */
    public InetSocketAddress address() {
        return server.address();
    }

    /** The node's counters now. */
    public NodeStatus status() {
        return new NodeStatus(ProcessHandle.current().pid(), "ws://" + address().getHostString() + ":" + address().getPort(),
                agent.did(), started, clock.instant(), server.activeConnections(), syncs.get(), refusals.get(),
                relay.pairs(), received.get(), sent.get());
    }

    /** Stops accepting, ends every connection, and waits up to {@code grace} for sessions to finish storing. */
    public void stop(Duration grace) {
        server.stop(grace);
        log("stopped");
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(5));
    }
}
