package org.halo4j.node.service;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.halo4j.io.AtomicFileWriter;
import org.halo4j.keys.Argon2Settings;
import org.halo4j.net.ChannelLimits;
import org.halo4j.net.PeerException;
import org.halo4j.net.PeerServer;
import org.halo4j.node.agent.Agent;
import org.halo4j.node.agent.AgentException;
import org.halo4j.node.agent.IdentitySummary;
import org.halo4j.node.agent.NewIdentity;
import org.halo4j.node.agent.Wallet;
import org.halo4j.node.invitations.InvitationHost;

/**
 * A node runtime in this JVM: it opens one identity of the wallet under {@link Settings#home()} (creating the
 * identity on first start when the wallet is empty), unlocks its keyring with the passphrase kept in
 * {@link Settings#passphraseFile()} (made, readable by the owner only, on first start), and listens for peers:
 * members' devices syncing, guests accepting invitations, members fetching membership claims. {@link #close()}
 * stops the listener (every thread it started) and closes the feeds and keyring.
 *
 * <p>The passphrase file sits beside the keyring it unlocks, as any unattended service's secret must: whoever
 * reads the data directory can act as the node. Keep the directory private, or point {@code passphraseFile} at
 * a secret mounted from elsewhere.
 */
public final class LocalNode implements NodeRuntime, AutoCloseable {

    /** Passphrase files longer than this are refused before they are read. */
    static final long MAX_PASSPHRASE_FILE = 4096;

    /**
     * How a node runs.
     *
     * @param home           the wallet's directory (made, private, if missing)
     * @param identity       the DID to act for; empty: the wallet's only (or current) identity, or a new one
     * @param passphraseFile the keyring's passphrase; empty: {@code home/node.passphrase}
     * @param name           the display name of an identity made on first start
     * @param deviceName     this device's name in that identity's HALO
     * @param host           the peer listener's address ({@code 127.0.0.1}: this machine only)
     * @param port           the peer listener's port; 0: any free port; -1: do not listen
     * @param argon2         the key derivation cost of a keyring made on first start
     */
    public record Settings(Path home, Optional<String> identity, Optional<Path> passphraseFile, String name,
                           String deviceName, String host, int port, Argon2Settings argon2) {
        public Settings {
            Objects.requireNonNull(home, "home");
            Objects.requireNonNull(identity, "identity");
            Objects.requireNonNull(passphraseFile, "passphraseFile");
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(argon2, "argon2");
            if (name == null || name.isBlank() || deviceName == null || deviceName.isBlank()) {
                throw new IllegalArgumentException("name and device name must not be blank");
            }
            if (port < -1 || port > 65535) {
                throw new IllegalArgumentException("port must be -1 (do not listen), 0 (any free port) or 1 to 65535, not "
                        + port);
            }
        }

        /** A node on {@code home} listening on {@code 127.0.0.1:port}, with the defaults for the rest. */
        public static Settings of(Path home, int port) {
            return new Settings(home, Optional.empty(), Optional.empty(), "halo4j node", "container", "127.0.0.1", port,
                    Argon2Settings.DEFAULTS);
        }

        Path passphrase() {
            return passphraseFile.orElse(home.resolve("node.passphrase"));
        }
    }

    private final Settings settings;
    private final Agent agent;
    private final PeerServer listener;
    private final URI address;
    private volatile boolean stopped;
    /** The name of the thread every {@link #call} runs on. */
    public static final String AGENT_THREAD = "halo4j-agent";
    private volatile Thread worker;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, AGENT_THREAD);
        t.setDaemon(true);
        worker = t;
        return t;
    });

    private LocalNode(Settings settings, Agent agent, PeerServer listener, URI address) {
        this.settings = settings;
        this.agent = agent;
        this.listener = listener;
        this.address = address;
    }

    /**
     * Starts a node; {@code log} hears one line per notable event (identity made, listening, peers refused).
     *
     * @throws AgentException {@code node.passphrase} (the passphrase file is unreadable, empty or too large),
     *                        {@code identity.unknown} (no such identity in the wallet), {@code keyring.passphrase}
     *                        (the passphrase does not open the keyring), {@code peer.bind} (the port is taken), or
     *                        what opening the wallet reports
     */
    public static LocalNode start(Settings settings, Consumer<String> log) throws AgentException {
        Objects.requireNonNull(log, "log");
        try {
            AtomicFileWriter.createPrivateDirectories(settings.home());
        } catch (IOException e) {
            throw new AgentException("storage.io", "could not make the node's directory " + settings.home() + ": "
                    + e.getMessage(), e);
        }
        Wallet wallet = Wallet.open(settings.home(), settings.argon2());
        List<IdentitySummary> ids = wallet.identities();
        char[] passphrase = passphrase(settings, ids.isEmpty() && settings.identity().isEmpty());
        Agent agent = null;
        try {
            String did;
            if (settings.identity().isPresent()) {
                did = settings.identity().get();
            } else if (ids.isEmpty()) {
                NewIdentity made = wallet.create(Optional.of(settings.name()), settings.deviceName(), passphrase);
                made.phrase().close(); // kept in the keyring until an admin confirms the backup
                did = made.did();
                log.accept("made identity " + did + " (back its recovery phrase up: docs/admin-guide.md)");
            } else {
                did = wallet.current().orElse(ids.get(0).did());
            }
            agent = wallet.open(Optional.of(did), passphrase);
            InvitationHost invitations = new InvitationHost(agent, Clock.systemUTC(), ChannelLimits.DEFAULT);
            PeerServer listener = null;
            URI address = null;
            if (settings.port() >= 0) {
                Agent a = agent;
                listener = invitations.listen(settings.host(), settings.port(), (kind, inv, guest, code, message) ->
                        log.accept("invitation " + inv.id().substring(0, 8) + " " + kind + " " + guest.describe()
                                + (code.isEmpty() ? "" : " " + code) + (message.isEmpty() ? "" : ": " + message)));
                address = URI.create("ws://" + settings.host() + ":" + listener.address().getPort());
                log.accept("listening on " + address + " as " + a.did());
            }
            return new LocalNode(settings, agent, listener, address);
        } catch (PeerException e) {
            close(agent);
            throw new AgentException(e.code(), e.getMessage(), e);
        } catch (AgentException | RuntimeException e) {
            close(agent);
            throw e;
        } finally {
            Arrays.fill(passphrase, '\0');
        }
    }

    private static void close(Agent agent) {
        if (agent != null) {
            try {
                agent.close();
            } catch (AgentException ignored) {
                // the start failed; that failure is the one to report
            }
        }
    }

    /** The passphrase from its file; made (random, private) only when a new identity is about to be made. */
    private static char[] passphrase(Settings s, boolean makeIfMissing) throws AgentException {
        Path file = s.passphrase();
        try {
            if (Files.notExists(file)) {
                if (!makeIfMissing) {
                    throw new AgentException("node.passphrase", "the passphrase file " + file + " is missing; it "
                            + "unlocks the keyring of the identity in " + s.home());
                }
                byte[] raw = new byte[32];
                new SecureRandom().nextBytes(raw);
                AtomicFileWriter.DEFAULT.write(file, Base64.getUrlEncoder().withoutPadding().encodeToString(raw)
                        .getBytes(StandardCharsets.US_ASCII));
            }
            if (Files.size(file) > MAX_PASSPHRASE_FILE) {
                throw new AgentException("node.passphrase", "the passphrase file " + file + " is larger than "
                        + MAX_PASSPHRASE_FILE + " bytes");
            }
            String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8).strip();
            if (text.isEmpty()) {
                throw new AgentException("node.passphrase", "the passphrase file " + file + " is empty");
            }
            return text.toCharArray();
        } catch (IOException e) {
            throw new AgentException("node.passphrase", "could not read the passphrase file " + file + ": "
                    + e.getMessage(), e);
        }
    }

    @Override
    public String did() {
        return agent.did();
    }

    @Override
    public Path home() {
        return settings.home();
    }

    @Override
    public Optional<URI> address() {
        return Optional.ofNullable(address);
    }

    /**
     * Runs {@code call} on the node's own thread ({@value #AGENT_THREAD}), which nobody interrupts: an interrupt
     * during a file read closes the feeds' channels for every later use (Java's interruptible channels), so a
     * caller that is interrupted (a shell command cancelled with Ctrl-C, a web server stopping its threads) only
     * stops waiting, with {@code node.interrupted}; the call itself still completes. A call made from within a
     * call runs at once.
     */
    @Override
    public <T> T call(AgentCall<T> call) throws AgentException {
        if (Thread.currentThread() == worker) {
            return direct(call);
        }
        Future<T> f;
        try {
            f = thread.submit(() -> direct(call));
        } catch (RejectedExecutionException e) {
            throw new AgentException("node.stopped", "the node runtime is stopped");
        }
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AgentException("node.interrupted", "interrupted while waiting for the node; what was asked may "
                    + "still be done");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof AgentException a) {
                throw a;
            }
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new AgentException("node.failed", String.valueOf(cause), cause);
        }
    }

    private <T> T direct(AgentCall<T> call) throws AgentException {
        synchronized (agent) {
            if (stopped) {
                throw new AgentException("node.stopped", "the node runtime is stopped");
            }
            return call.call(agent);
        }
    }

    /**
     * Stops listening (ending every connection, waiting up to 5 s), lets a call under way finish, then closes
     * the feeds and the keyring.
     */
    @Override
    public void close() throws AgentException {
        try {
            if (listener != null) {
                listener.close();
            }
        } finally {
            thread.shutdown();
            try {
                if (!thread.awaitTermination(60, TimeUnit.SECONDS)) {
                    throw new AgentException("node.busy", "a call on the node did not end within 60 s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                synchronized (agent) {
                    stopped = true;
                    agent.close();
                }
            }
        }
    }
}
