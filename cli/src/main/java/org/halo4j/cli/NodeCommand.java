package org.halo4j.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.halo4j.internal.json.Json;
import org.halo4j.io.AtomicFileWriter;
import org.halo4j.net.ChannelLimits;
import org.halo4j.node.server.HaloNode;
import org.halo4j.node.server.NodeStatus;

/**
 * {@code halo node}: runs this identity as a node in the foreground (replicas of its spaces, and a relay), until
 * SIGTERM or Ctrl-C; {@code halo node status} reads the state a running node keeps in {@code HOME/node.json}.
 */
final class NodeCommand {

    static final String STATUS_FILE = "node.json";
    /** How often a running node rewrites its status file. */
    static final Duration STATUS_EVERY = Duration.ofSeconds(2);

    final HaloCommand halo;

    NodeCommand(HaloCommand halo) {
        this.halo = halo;
    }

    static Cmd spec(HaloCommand halo) {
        NodeCommand c = new NodeCommand(halo);
        return Cmd.command("node", l -> c.run(l.value("--host").orElse("127.0.0.1"),
                                l.value("--port").isPresent() ? Args.port(l.value("--port").get()) : HaloNode.DEFAULT_PORT),
                        "Run this identity as a node: serve replicas of its spaces to their members' devices and relay "
                                + "peers that meet on a topic. Runs until stopped (SIGTERM, Ctrl-C); logs one line per "
                                + "connection and per refusal on stdout.",
                        "Unattended: give the keyring passphrase with --passphrase-file.")
                .option(Cmd.Opt.value("--host", "HOST", "Address to listen on (default 127.0.0.1; 0.0.0.0 for every "
                        + "interface)."))
                .option(Cmd.Opt.value("--port", "PORT", "Port to listen on (default " + HaloNode.DEFAULT_PORT + "; 0 for "
                        + "any free port)."))
                .sub(Cmd.command("status", l -> c.status(),
                        "Show the state of the node running on this wallet: address, connections, syncs, refusals."));
    }

    int run(String host, int port) throws Exception {
        Path statusFile = halo.home().resolve(STATUS_FILE);
        CountDownLatch stopped = new CountDownLatch(1);
        CountDownLatch closed = new CountDownLatch(1);
        int code = halo.withAgent(agent -> {
            HaloNode node = HaloNode.start(agent, host, port, ChannelLimits.DEFAULT, Duration.ofMinutes(10), line -> {
                synchronized (halo.io.stdout()) {
                    halo.io.stdout().println(line);
                    halo.io.stdout().flush();
                }
            });
            ScheduledExecutorService writer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "halo-node-status");
                t.setDaemon(true);
                return t;
            });
            writer.scheduleAtFixedRate(() -> writeStatus(statusFile, node.status(), true), 0,
                    STATUS_EVERY.toMillis(), TimeUnit.MILLISECONDS);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                writer.shutdownNow();
                node.stop(Duration.ofSeconds(10)); // sessions finish storing: every stored entry is durable
                writeStatus(statusFile, node.status(), false);
                stopped.countDown();
                try {
                    // the agent's files are closed before the JVM ends; then a clean stop exits 0, not 143
                    if (closed.await(10, TimeUnit.SECONDS)) {
                        halo.io.stdout().flush();
                        Runtime.getRuntime().halt(ExitCode.OK);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "halo-node-stop"));
            stopped.await();
            return ExitCode.OK;
        });
        closed.countDown();
        return code;
    }

    private static void writeStatus(Path file, NodeStatus s, boolean running) {
        Map<String, Object> o = Json.object();
        toJson(s).forEach((k, v) -> o.put(k, String.valueOf(v))); // a flat document of strings
        o.put("running", String.valueOf(running));
        try {
            java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
            java.io.PrintStream p = new java.io.PrintStream(b, true, StandardCharsets.UTF_8);
            Json.write(p, o);
            p.println();
            AtomicFileWriter.DEFAULT.write(file, b.toByteArray());
        } catch (IOException | RuntimeException e) {
            // the status file is a convenience: the node keeps serving
        }
    }

    static Map<String, Object> toJson(NodeStatus s) {
        Map<String, Object> o = Json.object();
        o.put("pid", s.pid());
        o.put("address", s.address());
        o.put("identity", s.identity());
        o.put("startedAt", s.startedAt().toString());
        o.put("at", s.at().toString());
        o.put("connections", s.connections());
        o.put("syncs", s.syncs());
        o.put("refusals", s.refusals());
        o.put("relayPairs", s.relayPairs());
        o.put("received", s.received());
        o.put("sent", s.sent());
        return o;
    }

    int status() throws Exception {
        Path file = halo.home().resolve(STATUS_FILE);
        if (!Files.isRegularFile(file)) {
            throw new CliException("node.not_found", "no node has run on " + halo.home() + " (no " + STATUS_FILE + ")",
                    ExitCode.NOT_FOUND);
        }
        Map<String, Object> o = Json.object();
        try {
            if (Files.size(file) > Json.MAX_FLAT_LENGTH) {
                throw new IOException("larger than " + Json.MAX_FLAT_LENGTH + " bytes");
            }
            for (Map.Entry<String, String> e : Json.readFlat(Files.readString(file, StandardCharsets.UTF_8)).entrySet()) {
                boolean number = e.getValue().matches("[0-9]{1,18}") && !e.getKey().equals("identity");
                o.put(e.getKey(), number ? (Object) Long.parseLong(e.getValue()) : e.getValue());
            }
        } catch (IOException | RuntimeException e) {
            throw new CliException("storage.corrupt", file + " is not a node status file: " + e.getMessage(),
                    ExitCode.STORAGE);
        }
        Object pid = o.get("pid");
        boolean alive = "true".equals(o.get("running")) && pid instanceof Long n
                && ProcessHandle.of(n).map(ProcessHandle::isAlive).orElse(false);
        o.put("running", alive);
        halo.print(o, () -> {
            halo.out((alive ? "running" : "not running") + " — " + o.get("identity"));
            halo.out("address:     " + o.get("address") + (alive ? "" : " (when it last ran)"));
            halo.out("started:     " + o.get("startedAt"));
            halo.out("as of:       " + o.get("at"));
            halo.out("connections: " + o.get("connections"));
            halo.out("syncs:       " + o.get("syncs") + " (entries received " + o.get("received") + ", sent "
                    + o.get("sent") + ")");
            halo.out("relayed:     " + o.get("relayPairs") + " pairs");
            halo.out("refusals:    " + o.get("refusals"));
        });
        return alive ? ExitCode.OK : ExitCode.FAILED;
    }
}
