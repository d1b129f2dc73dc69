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

/** {@code halo sync}: one replication with a node, both ways, of everything this device holds. */
final class SyncCommand {

    final HaloCommand halo;

    SyncCommand(HaloCommand halo) {
        this.halo = halo;
    }

    static Cmd spec(HaloCommand halo) {
        SyncCommand c = new SyncCommand(halo);
        return Cmd.command("sync", l -> c.sync(l.value("--node")),
                        "Replicate with a node, both ways: the HALO (with a node of this identity) and every space "
                                + "this identity shares with the node's. Ends when neither side has anything new.")
                .option(Cmd.Opt.value("--node", "URL", "The node, ws://HOST:PORT (default: 'halo config get node')."));
    }

    /** The node named by {@code --node}, else by the config; a usage error naming both ways if neither. */
    static URI node(HaloCommand halo, Optional<String> option) throws CliException {
        if (option.isPresent()) {
            return NodeAddress.parse(option.get());
        }
        Optional<String> configured = CliConfig.read(halo.home()).get(CliConfig.NODE);
        if (configured.isEmpty()) {
            throw new CliException("sync.no_node", "no node to sync with: give --node ws://HOST:PORT, or set one with "
                    + "'halo config set node ws://HOST:PORT'", ExitCode.USAGE);
        }
        return NodeAddress.parse(configured.get());
    }

    int sync(Optional<String> nodeOption) throws Exception {
        URI node = node(halo, nodeOption);
        SyncReport r = halo.withAgent(agent -> {
            try (PeerConnector connector = new PeerConnector(ChannelLimits.DEFAULT);
                 PeerChannel channel = PeerChannel.initiate(connector.connect(node.resolve(HaloNode.PEER_PATH)),
                         agent.localDevice(), "sync", agent.verifierForSync(), ChannelLimits.DEFAULT)) {
                return agent.sync(channel, true);
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
