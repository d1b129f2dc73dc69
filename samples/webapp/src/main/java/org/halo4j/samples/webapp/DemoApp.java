package org.halo4j.samples.webapp;

import jakarta.servlet.DispatcherType;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.halo4j.invitations.HostedInvitation;
import org.halo4j.io.AtomicFileWriter;
import org.halo4j.keys.PublicKey;
import org.halo4j.net.ChannelLimits;
import org.halo4j.net.PeerServer;
import org.halo4j.node.agent.Agent;
import org.halo4j.node.agent.AgentException;
import org.halo4j.node.agent.IdentitySummary;
import org.halo4j.node.agent.SpaceSummary;
import org.halo4j.node.agent.Wallet;
import org.halo4j.node.invitations.InvitationHost;
import org.halo4j.proto.v1.InvitationAuth;
import org.halo4j.proto.v1.InvitationKind;
import org.halo4j.proto.v1.SpaceRole;
import org.halo4j.servlet.HaloFilter;
import org.halo4j.servlet.HaloWebConfig;
import org.halo4j.servlet.IdentityMapper;
import org.halo4j.servlet.ClaimsMembership;
import org.halo4j.servlet.MembershipSource;
import org.halo4j.servlet.PeerMembership;

/**
 * The halo4j demo: a web app whose people log in with their HALO wallet and see pages by their role in the
 * demo's space. It runs with embedded defaults — Jetty 12 on {@code --port}, the site's own identity and space
 * kept under {@code --home}, and an in-process peer on {@code --peer-port} (default: port + 1) where wallets
 * join the space and sync.
 *
 * <pre>
 * java -jar samples/webapp/target/halo-demo.jar [--port 8080] [--home DIR] [--peer-port N] [--admin DID]... [--claims]
 * </pre>
 */
public final class DemoApp implements AutoCloseable {

    static final String SPACE_NAME = "halo4j demo";
    static final ChannelLimits LIMITS = ChannelLimits.DEFAULT;
    private static final Duration JOIN_LIFETIME = Duration.ofDays(30);

    /** Options of the command line. */
    record Options(String host, int port, Optional<Integer> peerPort, Path home, List<String> admins, boolean claims) {
        static Options parse(String[] args) {
            String host = "127.0.0.1";
            int port = 8080;
            Optional<Integer> peerPort = Optional.empty();
            Path home = Path.of(System.getProperty("user.home"), ".halo4j-demo");
            List<String> admins = new ArrayList<>();
            boolean claims = false;
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                String v = i + 1 < args.length ? args[i + 1] : null;
                switch (a) {
                    case "--port" -> { port = port(v, "--port"); i++; }
                    case "--peer-port" -> { peerPort = Optional.of(port(v, "--peer-port")); i++; }
                    case "--home" -> { home = Path.of(required(v, "--home")); i++; }
                    case "--admin" -> { admins.add(required(v, "--admin")); i++; }
                    case "--claims" -> claims = true;
                    case "--help", "-h" -> throw new IllegalArgumentException("");
                    default -> throw new IllegalArgumentException("unknown option " + a);
                }
            }
            return new Options(host, port, peerPort, home, admins, claims);
        }

        private static String required(String v, String name) {
            if (v == null) {
                throw new IllegalArgumentException(name + " needs a value");
            }
            return v;
        }

        private static int port(String v, String name) {
            try {
                int p = Integer.parseInt(required(v, name));
                if (p < 0 || p > 65535) {
                    throw new NumberFormatException();
                }
                return p;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + " is a port number, 0 to 65535 (0: any free port)");
            }
        }
    }

    private final Agent agent;
    private final InvitationHost invitations;
    private final PeerServer peer;
    private final Server web;
    private final String origin;
    private final Path home;
    private final String spaceId;
    private final URI peerAddress;

    private DemoApp(Options o) throws Exception {
        this.home = o.home();
        AtomicFileWriter.createPrivateDirectories(home);
        this.agent = openSite(home);
        this.spaceId = space(agent);
        for (String did : o.admins()) {
            PublicKey who = PublicKey.fromDidKey(did);
            if (agent.roleOf(spaceId, who).map(r -> r != SpaceRole.SPACE_ROLE_OWNER).orElse(true)) {
                agent.setRole(spaceId, who, SpaceRole.SPACE_ROLE_ADMIN);
            }
        }
        // the web server first: the site's origin (the audience of every login) needs its port
        web = new Server();
        // Jetty keeps a per-connection cache of header values up to this length; a HALO presentation in
        // Authorization is used once, and caching each one cost more than a tenth of a login (docs/web-login.md)
        HttpConfiguration httpConfig = new HttpConfiguration();
        httpConfig.setHeaderCacheSize(256);
        ServerConnector http = new ServerConnector(web, new HttpConnectionFactory(httpConfig));
        http.setHost(o.host());
        http.setPort(o.port());
        web.addConnector(http);
        ServletContextHandler context = new ServletContextHandler("/");
        web.setHandler(context);
        web.start();
        origin = "http://" + o.host() + ":" + http.getLocalPort();

        invitations = new InvitationHost(agent, Clock.systemUTC(), LIMITS);
        int peerPort = o.peerPort().orElse(o.port() == 0 ? 0 : o.port() + 1);
        peer = invitations.listen(o.host(), peerPort, (kind, inv, guest, code, message) ->
                log(kind + " " + guest.describe() + (code.isEmpty() ? "" : " " + code) + " " + message));
        peerAddress = URI.create("ws://" + o.host() + ":" + peer.address().getPort());

        HaloWebConfig config = HaloWebConfig.builder(origin)
                .protect("/members", spaceId, SpaceRole.SPACE_ROLE_READER)
                .protect("/admin/*", spaceId, SpaceRole.SPACE_ROLE_ADMIN)
                .build();
        // By default the site reads membership from the space it keeps (peer mode). With --claims it trusts
        // membership claims instead, as an app without a peer would, from the one member it knows vouches: its own
        // identity, whose peer above serves claims (decision 0008).
        MembershipSource membership = o.claims()
                ? ClaimsMembership.builder().trust(spaceId, agent.did()).build()
                : new PeerMembership(agent);
        HaloFilter filter = new HaloFilter(config, membership, IdentityMapper.DID);
        context.getServletHandler().addFilterWithMapping(new FilterHolder(filter), "/*",
                EnumSet.of(DispatcherType.REQUEST));
        context.getServletHandler().addServletWithMapping(new ServletHolder(new Pages(this)), "/*");
    }

    /** Starts the demo; returns once it serves. */
    public static DemoApp start(Options o) throws Exception {
        return new DemoApp(o);
    }

    public static void main(String[] args) throws Exception {
        Options o;
        try {
            o = Options.parse(args);
        } catch (IllegalArgumentException e) {
            if (!e.getMessage().isEmpty()) {
                System.err.println("halo-demo: " + e.getMessage());
            }
            System.err.println("usage: java -jar halo-demo.jar [--port 8080] [--peer-port N] [--home DIR] [--admin DID]... "
                    + "[--claims]");
            System.exit(e.getMessage().isEmpty() ? 0 : 2);
            return;
        }
        DemoApp app;
        try {
            app = start(o);
        } catch (IOException e) {
            String why;
            if (e instanceof java.net.BindException || e.getCause() instanceof java.net.BindException) {
                why = e.getMessage() + " (is the port taken? choose another with --port)";
            } else if (e instanceof java.nio.file.FileSystemException f) {
                why = f.getFile() + ": " + (f.getReason() != null ? f.getReason() : e.getClass().getSimpleName())
                        + " (choose another data directory with --home)";
            } else {
                why = e.getMessage();
            }
            System.err.println("halo-demo: could not start: " + why);
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                app.close();
            } catch (Exception e) {
                System.err.println("halo-demo: " + e.getMessage());
            }
            stopped.countDown();
        }, "halo-demo-stop"));
        System.out.println("halo4j demo at " + app.origin);
        System.out.println("  space '" + SPACE_NAME + "' " + app.spaceId + ", peer at " + app.peerAddress
                + ", data in " + app.home);
        if (o.claims()) {
            System.out.println("  membership by claims: log in with 'halo login " + app.origin + " --node "
                    + app.peerAddress + "'");
        }
        System.out.flush();
        stopped.await();
    }

    /** The site's identity: made on first start, its keyring under a passphrase kept next to it (demo only). */
    private static Agent openSite(Path home) throws Exception {
        Path passFile = home.resolve("site.passphrase");
        if (!Files.exists(passFile)) {
            byte[] raw = new byte[24];
            new SecureRandom().nextBytes(raw);
            AtomicFileWriter.DEFAULT.write(passFile, Base64.getUrlEncoder().withoutPadding().encodeToString(raw)
                    .getBytes(StandardCharsets.US_ASCII));
        }
        char[] passphrase = new String(Files.readAllBytes(passFile), StandardCharsets.US_ASCII).trim().toCharArray();
        Wallet wallet = Wallet.open(home.resolve("wallet"));
        List<IdentitySummary> ids = wallet.identities();
        String did = ids.isEmpty() ? wallet.create(Optional.of("halo4j demo site"), "demo server", passphrase).did()
                : ids.get(0).did();
        return wallet.open(Optional.of(did), passphrase);
    }

    private static String space(Agent agent) throws AgentException {
        for (SpaceSummary s : agent.spaces()) {
            if (s.name().equals(SPACE_NAME)) {
                return s.spaceId();
            }
        }
        return agent.createSpace(SPACE_NAME).spaceId();
    }

    /** The public demo invitation: open, or a new one when the last expired or was locked by wrong codes. */
    synchronized HostedInvitation joinInvitation() throws AgentException {
        Path idFile = home.resolve("join-invitation");
        try {
            if (Files.exists(idFile)) {
                String id = new String(Files.readAllBytes(idFile), StandardCharsets.US_ASCII).trim();
                HostedInvitation h = invitations.store().find(id, Clock.systemUTC().instant());
                if (h.state() == HostedInvitation.State.OPEN
                        && h.invitation().getAddresses(0).equals(peerAddress.toString())) {
                    return h;
                }
            }
            HostedInvitation h = invitations.create(new InvitationHost.Request(InvitationKind.INVITATION_KIND_SPACE,
                    Optional.of(spaceId), SpaceRole.SPACE_ROLE_READER, true, JOIN_LIFETIME,
                    InvitationAuth.INVITATION_AUTH_SHARED_SECRET, Optional.empty(), Optional.empty(),
                    Optional.of(peerAddress)));
            AtomicFileWriter.DEFAULT.write(idFile, h.id().getBytes(StandardCharsets.US_ASCII));
            return h;
        } catch (IOException e) {
            throw new AgentException("storage.io", "could not keep the demo invitation: " + e.getMessage(), e);
        }
    }

    Agent agent() {
        return agent;
    }

    String origin() {
        return origin;
    }

    String spaceId() {
        return spaceId;
    }

    URI peerAddress() {
        return peerAddress;
    }

    static void log(String line) {
        System.out.println(java.time.Instant.now().toString().substring(0, 19) + "Z " + line);
    }

    @Override
    public void close() throws IOException, AgentException {
        try {
            web.stop();
        } catch (Exception e) {
            throw new IOException("could not stop the web server: " + e.getMessage(), e);
        } finally {
            try {
                peer.close();
            } finally {
                synchronized (agent) {
                    agent.close();
                }
            }
        }
    }
}
