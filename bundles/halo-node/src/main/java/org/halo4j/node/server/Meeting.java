package org.halo4j.node.server;

import java.net.URI;
import java.time.Clock;
import java.util.HexFormat;
import org.halo4j.net.ChannelLimits;
import org.halo4j.net.PeerChannel;
import org.halo4j.net.PeerConnector;
import org.halo4j.net.PeerException;
import org.halo4j.net.Relay;
import org.halo4j.net.Transport;
import org.halo4j.node.agent.Agent;
import org.halo4j.node.agent.AgentException;
import org.halo4j.node.agent.SpaceSummary;
import org.halo4j.node.agent.SyncReport;
import org.halo4j.spaces.SpaceTopics;

/**
 * Two members' devices meet on a node's relay, on their space's topic of the day ({@link SpaceTopics}), and
 * replicate with each other: for spaces the node itself does not keep. The node pairs them and passes ciphertext;
 * each side proves its device to the other and serves only what its own state says the other may have.
 */
public final class Meeting {

    private Meeting() {
    }

    /**
     * Waits (at most {@code limits.idleTimeout()}) for another device on {@code space}'s topic at {@code node},
     * then replicates with it.
     *
     * @throws PeerException {@code peer.timeout} if nobody came, or whatever the session failed with
     */
    public static SyncReport meet(Agent agent, String space, URI node, PeerConnector connector, ChannelLimits limits,
                                  Clock clock) throws PeerException, AgentException {
        SpaceSummary s = agent.space(space);
        String topic = HexFormat.of().formatHex(SpaceTopics.topic(s.spaceKey(), clock.instant()));
        Transport t = connector.connect(node.resolve(HaloNode.MEET_PATH + topic));
        byte[] role;
        try {
            role = t.receive(limits.idleTimeout());
        } catch (PeerException e) {
            t.close("nobody came");
            // the wait ran out here, or the connection idled out at the same moment: both mean nobody came
            throw new PeerException("peer.timeout", "no other device of " + s.name() + " came to " + node
                    + " within " + limits.idleTimeout().toSeconds() + " s", e);
        }
        if (role.length != 1 || (role[0] != Relay.RESPOND && role[0] != Relay.INITIATE)) {
            t.close("peer.protocol");
            throw new PeerException("peer.protocol", node + " is not a halo relay (it did not say who starts)");
        }
        boolean initiate = role[0] == Relay.INITIATE;
        try (PeerChannel channel = initiate
                ? PeerChannel.initiate(t, agent.localDevice(), "sync", agent.verifierForSync(), limits)
                : PeerChannel.accept(t, agent.localDevice(), agent.verifierForSync(), limits)) {
            return agent.sync(channel, initiate);
        }
    }
}
