package org.halo4j.cli;

import java.net.URI;
import java.util.Map;
import java.util.Optional;
import org.halo4j.internal.json.Json;
import org.halo4j.net.ChannelLimits;
import org.halo4j.net.PeerChannel;
import org.halo4j.net.PeerConnector;
import org.halo4j.node.agent.SyncReport;
import org.halo4j.node.server.HaloNode;
import org.halo4j.node.server.Meeting;
import java.time.Clock;

/** {@code halo sync}: one replication with a node, both ways, of everything this device holds. */
final class SyncCommand {

    final HaloCommand halo;

    SyncCommand(HaloCommand halo) {
        this.halo = halo;
    }

    static Cmd spec(HaloCommand halo) {
        SyncCommand c = new SyncCommand(halo);
        return Cmd.command("sync", l -> c.sync(l.value("--node"), l.value("--meet"), l.value("--wait")),
                        "Replicate with a node, both ways: the HALO (with a node of this identity) and every space "
                                + "this identity shares with the node's. Ends when neither side has anything new.",
                        "With --meet SPACE: meet another member's device on the node's relay instead, for a space the "
                                + "node does not keep; both devices run the same command at about the same time.")
                .option(Cmd.Opt.value("--node", "URL", "The node, ws://HOST:PORT (default: 'halo config get node')."))
                .option(Cmd.Opt.value("--meet", "SPACE", "Replicate SPACE with another member's device met on the "
                        + "node's relay."))
                .option(Cmd.Opt.value("--wait", "DURATION", "With --meet: how long to wait for the other device "
                        + "(default 60s)."));
    }

    int sync(Optional<String> nodeOption, Optional<String> meet, Optional<String> wait) throws Exception {
        URI node = NodeAddress.given(halo, nodeOption, "sync.no_node", "no node to sync with");
        if (wait.isPresent() && meet.isEmpty()) {
            throw new CliException("argument.wait", "--wait goes with --meet SPACE", ExitCode.USAGE);
        }
        ChannelLimits limits = wait.isPresent()
                ? ChannelLimits.DEFAULT.withIdleTimeout(Args.duration(wait.get())) : ChannelLimits.DEFAULT;
        SyncReport r = halo.withAgent(agent -> {
            try (PeerConnector connector = new PeerConnector(limits)) {
                if (meet.isPresent()) {
                    return Meeting.meet(agent, meet.get(), node, connector, limits, Clock.systemUTC());
                }
                try (PeerChannel channel = PeerChannel.initiate(connector.connect(node.resolve(HaloNode.PEER_PATH)),
                        agent.localDevice(), "sync", agent.verifierForSync(), limits)) {
                    return agent.sync(channel, true);
                }
            }
        });
        Map<String, Object> o = Json.object();
        o.put("node", node.toString());
        o.put("received", r.received());
        o.put("sent", r.sent());
        o.put("turns", r.turns());
        o.put("complete", r.complete());
        o.put("notes", r.notes());
        halo.print(o, () -> {
            halo.out("Synced with " + node + ": received " + r.received() + ", sent " + r.sent() + " entries");
            r.notes().forEach(n -> halo.out("  " + n));
        });
        return r.complete() ? ExitCode.OK : ExitCode.FAILED;
    }
}
