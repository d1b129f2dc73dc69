package org.halo4j.benchmarks;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.shiro.authc.AuthenticationException;
import org.apache.shiro.authc.AuthenticationInfo;
import org.apache.shiro.authc.AuthenticationToken;
import org.apache.shiro.authc.SimpleAuthenticationInfo;
import org.apache.shiro.authc.UsernamePasswordToken;
import org.apache.shiro.authz.AuthorizationInfo;
import org.apache.shiro.authz.SimpleAuthorizationInfo;
import org.apache.shiro.realm.AuthorizingRealm;
import org.apache.shiro.subject.PrincipalCollection;
import org.apache.shiro.web.filter.authc.FormAuthenticationFilter;
import org.apache.shiro.web.filter.mgt.DefaultFilterChainManager;
import org.apache.shiro.web.filter.mgt.PathMatchingFilterChainResolver;
import org.apache.shiro.web.mgt.DefaultWebSecurityManager;
import org.apache.shiro.web.servlet.AbstractShiroFilter;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.halo4j.credentials.Signer;
import org.halo4j.keys.Argon2Settings;
import org.halo4j.keys.InMemoryKeyring;
import org.halo4j.node.agent.Agent;
import org.halo4j.node.agent.Wallet;
import org.halo4j.presentations.Challenge;
import org.halo4j.presentations.InMemoryChallengeStore;
import org.halo4j.proto.v1.SpaceRole;
import org.halo4j.servlet.HaloFilter;
import org.halo4j.servlet.HaloWebConfig;
import org.halo4j.servlet.IdentityMapper;
import org.halo4j.servlet.PeerMembership;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.ThreadParams;

/**
 * Logins per second over HTTP on loopback, on both cores, in one run with their baselines:
 * <ul>
 *   <li>{@code haloLoginOverHttp} — one request {@code GET /members} with {@code Authorization: HALO
 *       <presentation>} to a real Jetty 12 with {@link HaloFilter}: presentation verify (the user's chain link
 *       cached, as for a returning user), revocation and membership lookup in the site's replicated space
 *       ({@link PeerMembership} over a real wallet on disk), a session, and the page; 1024 members;</li>
 *   <li>{@code httpRequestFloor} — the same server, filter, page and client without a login: what any request
 *       costs here;</li>
 *   <li>{@code ed25519VerifyFloor} — the floor of such a login: the one Ed25519 verify a returning user's login
 *       needs, against an already-decoded point, with nothing else around it;</li>
 *   <li>{@code shiroFormLoginBcrypt10} — what a Java app does today: Shiro 2's form login over HTTP against a
 *       realm holding bcrypt (cost 10) password hashes, each login a new session.</li>
 * </ul>
 * The HTTP benchmarks run {@value #CLIENTS} client threads, the verify floor two (one per core). Each client thread
 * has its own kept-alive {@link LoopbackHttp} connection; the client runs in the same JVM and on the same two cores
 * as the server, in every HTTP benchmark alike. The presentations are signed before the measurement (a wallet
 * signs on its own device), and each login's challenge is opened again after it, so each login also pays one
 * challenge-store put, as a real one pays the put of its challenge request. Each iteration also prints the CPU
 * time the server's threads used per request, and the floor threads' per verify ({@link ThreadCpu}).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 10, time = 3)
@Measurement(iterations = 5, time = 3)
@Threads(2)
public class WebLoginBenchmark {

    static final int USERS = 1024;
    /** Name (prefix) of the site server's threads, whose CPU time is counted. */
    static final String SERVER_THREADS = "halo-site";
    /**
     * Concurrent clients of the HTTP benchmarks: enough requests in flight to keep both cores of the server
     * busy (with two, each waits for its round trip and the cores idle); the verify floor runs on two threads,
     * one per core.
     */
    static final int CLIENTS = 8;

    /** A site with HaloFilter, its own wallet and space, 1024 members, and a signed presentation per member. */
    @State(Scope.Benchmark)
    public static class HaloSite {
        Path dir;
        Agent site;
        Server server;
        int port;
        String origin;
        InMemoryChallengeStore store;
        Challenge[] challenges = new Challenge[USERS];
        byte[][] requests = new byte[USERS][];
        byte[] openRequest;
        final AtomicLong served = new AtomicLong();
        long servedAtStart;
        long serverCpuAtStart;

        /** Server CPU per request in this iteration, counted from the server's threads, not from the throughput. */
        @Setup(Level.Iteration)
        public void startCounting() {
            servedAtStart = served.get();
            serverCpuAtStart = ThreadCpu.ofThreadsNamed(SERVER_THREADS);
        }

        @TearDown(Level.Iteration)
        public void report() {
            long n = served.get() - servedAtStart;
            long cpu = ThreadCpu.ofThreadsNamed(SERVER_THREADS) - serverCpuAtStart;
            if (n > 0) {
                System.out.printf("%n  server CPU: %.1f us per request (%d requests)%n", cpu / 1e3 / n, n);
            }
        }

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            dir = Files.createTempDirectory("halo-web-bench");
            Wallet wallet = Wallet.open(dir.resolve("site"), Argon2Settings.forTests());
            char[] pass = "benchmark passphrase".toCharArray();
            site = wallet.open(Optional.of(wallet.create(Optional.of("site"), "server", pass).did()), pass);
            String space = site.createSpace("members").spaceId();
            InMemoryKeyring keyring = new InMemoryKeyring();
            Signer[] devices = new Signer[USERS];
            for (int i = 0; i < USERS; i++) {
                devices[i] = HaloFixtures.deviceOfNewIdentity(keyring);
                site.setRole(space, devices[i].issuer(), SpaceRole.SPACE_ROLE_READER);
            }
            QueuedThreadPool pool = new QueuedThreadPool();
            pool.setName(SERVER_THREADS);
            pool.setIdleTimeout(3_600_000); // no server thread retires in a run: the CPU it used would not be counted
            server = new Server(pool);
            // as the demo and docs/web-login.md configure Jetty: one-shot presentations are kept out of its header cache
            HttpConfiguration http = new HttpConfiguration();
            http.setHeaderCacheSize(256);
            ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
            connector.setHost("127.0.0.1");
            connector.setPort(0);
            server.addConnector(connector);
            ServletContextHandler context = new ServletContextHandler("/");
            server.setHandler(context);
            server.start();
            port = connector.getLocalPort();
            origin = "http://127.0.0.1:" + port;
            store = new InMemoryChallengeStore(4 * USERS);
            HaloWebConfig config = HaloWebConfig.builder(origin).protect("/members", space, SpaceRole.SPACE_ROLE_READER)
                    .challengeStore(store).challengeTtl(Duration.ofHours(1)).requestsPerMinute(Integer.MAX_VALUE).build();
            context.getServletHandler().addFilterWithMapping(new FilterHolder(new HaloFilter(config,
                    new PeerMembership(site), IdentityMapper.DID)), "/*", EnumSet.of(DispatcherType.REQUEST));
            context.getServletHandler().addServletWithMapping(new ServletHolder(new Page()), "/*");
            openRequest = LoopbackHttp.prepareGet(port, "/open");
            try (LoopbackHttp client = new LoopbackHttp(port)) {
                byte[] challengeRequest = LoopbackHttp.prepareGet(port, "/.well-known/halo/challenge");
                for (int i = 0; i < USERS; i++) {
                    LoopbackHttp.Response c = client.send(challengeRequest);
                    String hex = c.body().replaceAll(".*\"challenge\":\"([0-9a-f]{64})\".*", "$1");
                    challenges[i] = store.find(HexFormat.of().parseHex(hex)).orElseThrow();
                    requests[i] = LoopbackHttp.prepareGet(port, "/members", "Authorization: HALO " + Base64.getUrlEncoder()
                            .withoutPadding().encodeToString(HaloFixtures.presentation(devices[i], challenges[i])));
                }
                // every login must succeed (a benchmark of a refusal would be worthless), and it warms the chain cache
                for (int i = 0; i < USERS; i++) {
                    login(client, i);
                }
                LoopbackHttp.Response open = client.send(openRequest);
                if (open.status() != 200) {
                    throw new IllegalStateException("the open page answered " + open.status());
                }
            }
        }

        void login(LoopbackHttp client, int i) throws IOException, org.halo4j.presentations.ChallengeStoreFullException {
            LoopbackHttp.Response r = client.send(requests[i]);
            if (r.status() != 200 || !r.body().startsWith("hello did:")) {
                throw new IllegalStateException("login " + i + " refused: " + r.status() + " " + r.body());
            }
            store.put(challenges[i]); // opened again for the next round of the pool
            served.incrementAndGet();
        }

        @TearDown(Level.Trial)
        public void tearDown() throws Exception {
            server.stop();
            site.close();
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /**
     * A client thread: its own kept-alive connection, and its own share of the members, so that no challenge is
     * used by two at once.
     */
    @State(Scope.Thread)
    public static class ClientThread {
        LoopbackHttp client;
        int offset;
        int stride;
        int cursor;

        @Setup(Level.Trial)
        public void setUp(HaloSite site, ThreadParams thread) throws IOException {
            offset = thread.getThreadIndex();
            stride = thread.getThreadCount();
            if (stride > USERS) {
                throw new IllegalStateException("more client threads than members: " + stride);
            }
            client = new LoopbackHttp(site.port);
        }

        @TearDown(Level.Trial)
        public void tearDown() throws IOException {
            client.close();
        }

        int next() {
            int i = offset + stride * cursor;
            cursor = i + stride < USERS ? cursor + 1 : 0;
            return i;
        }
    }

    static final class Page extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            resp.setContentType("text/plain");
            resp.getWriter().print("hello " + req.getRemoteUser());
        }

        @Override
        protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            doGet(req, resp);
        }
    }

    /** The one signature a returning user's login verifies, each thread its own 1024 keys and messages. */
    @State(Scope.Thread)
    public static class Floor {
        final byte[][] messages = new byte[USERS][];
        final byte[][] signatures = new byte[USERS][];
        final Ed25519.PublicPoint[] points = new Ed25519.PublicPoint[USERS];
        int cursor;
        long verified;
        long verifiedAtStart;
        long cpuAtStart;

        /** This thread's CPU per verify in this iteration (the floor's cost, counted like the server's). */
        @Setup(Level.Iteration)
        public void startCounting() {
            verifiedAtStart = verified;
            cpuAtStart = ThreadCpu.ofCurrentThread();
        }

        @TearDown(Level.Iteration)
        public void report() {
            long n = verified - verifiedAtStart;
            if (n > 0) {
                System.out.printf("%n  floor CPU: %.1f us per verify (%d verifies on %s)%n",
                        (ThreadCpu.ofCurrentThread() - cpuAtStart) / 1e3 / n, n, Thread.currentThread().getName());
            }
        }

        @Setup(Level.Trial)
        public void setUp() {
            SecureRandom random = new SecureRandom();
            for (int i = 0; i < USERS; i++) {
                byte[] sk = new byte[32];
                random.nextBytes(sk);
                byte[] pk = new byte[32];
                Ed25519.generatePublicKey(sk, 0, pk, 0);
                messages[i] = new byte[256];
                random.nextBytes(messages[i]);
                signatures[i] = new byte[64];
                Ed25519.sign(sk, 0, messages[i], 0, 256, signatures[i], 0);
                points[i] = Ed25519.validatePublicKeyPartialExport(pk, 0);
                if (!Ed25519.verify(signatures[i], 0, points[i], messages[i], 0, 256)) {
                    throw new IllegalStateException("signature " + i + " does not verify");
                }
            }
        }
    }

    /** Shiro 2 form login over HTTP, passwords checked against bcrypt cost-10 hashes. */
    @State(Scope.Benchmark)
    public static class ShiroFormSite {
        static final int ACCOUNTS = 64;
        Server server;
        int port;
        byte[][] forms = new byte[ACCOUNTS][];
        final AtomicInteger cursor = new AtomicInteger();

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            SecureRandom random = new SecureRandom();
            java.util.Map<String, String> hashes = new java.util.HashMap<>();
            String[] formTexts = new String[ACCOUNTS];
            for (int i = 0; i < ACCOUNTS; i++) {
                byte[] salt = new byte[16];
                random.nextBytes(salt);
                String password = "correct horse battery staple " + i;
                hashes.put("user" + i, OpenBSDBCrypt.generate("2y", password.toCharArray(), salt, 10));
                formTexts[i] = "username=user" + i + "&password=" + password.replace(' ', '+');
            }
            AuthorizingRealm realm = new AuthorizingRealm() {
                @Override
                protected AuthenticationInfo doGetAuthenticationInfo(AuthenticationToken token) {
                    String user = ((UsernamePasswordToken) token).getUsername();
                    String hash = hashes.get(user);
                    if (hash == null) {
                        throw new AuthenticationException("unknown account");
                    }
                    return new SimpleAuthenticationInfo(user, hash, getName());
                }

                @Override
                protected AuthorizationInfo doGetAuthorizationInfo(PrincipalCollection principals) {
                    return new SimpleAuthorizationInfo();
                }
            };
            realm.setCredentialsMatcher((token, info) -> OpenBSDBCrypt.checkPassword((String) info.getCredentials(),
                    ((UsernamePasswordToken) token).getPassword()));
            DefaultWebSecurityManager security = new DefaultWebSecurityManager(realm);
            FormAuthenticationFilter form = new FormAuthenticationFilter();
            form.setLoginUrl("/login");
            form.setSuccessUrl("/home");
            DefaultFilterChainManager chains = new DefaultFilterChainManager();
            chains.addFilter("form", form);
            chains.createChain("/login", "form");
            PathMatchingFilterChainResolver resolver = new PathMatchingFilterChainResolver();
            resolver.setFilterChainManager(chains);
            AbstractShiroFilter shiro = new AbstractShiroFilter() {
                {
                    setSecurityManager(security);
                    setFilterChainResolver(resolver);
                }
            };
            server = new Server();
            ServerConnector connector = new ServerConnector(server);
            connector.setHost("127.0.0.1");
            connector.setPort(0);
            server.addConnector(connector);
            ServletContextHandler context = new ServletContextHandler(ServletContextHandler.SESSIONS);
            server.setHandler(context);
            context.getServletHandler().addFilterWithMapping(new FilterHolder(shiro), "/*",
                    EnumSet.of(DispatcherType.REQUEST));
            context.getServletHandler().addServletWithMapping(new ServletHolder(new Page()), "/*");
            server.start();
            port = connector.getLocalPort();
            for (int i = 0; i < ACCOUNTS; i++) {
                forms[i] = LoopbackHttp.preparePostForm(port, "/login", formTexts[i]);
            }
            try (LoopbackHttp client = new LoopbackHttp(port)) {
                for (int i = 0; i < ACCOUNTS; i++) {
                    login(client, i);
                }
                LoopbackHttp.Response wrong = client.send(LoopbackHttp.preparePostForm(port, "/login",
                        "username=user0&password=wrong"));
                if (wrong.status() == 302) {
                    throw new IllegalStateException("a wrong password logged in");
                }
            }
        }

        void login(LoopbackHttp client, int i) throws IOException {
            LoopbackHttp.Response r = client.send(forms[i]);
            if (r.status() != 302) {
                throw new IllegalStateException("form login " + i + " refused: " + r.status());
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() throws Exception {
            server.stop();
        }
    }

    /** A client thread of the Shiro site: its own kept-alive connection. */
    @State(Scope.Thread)
    public static class ShiroClient {
        LoopbackHttp client;

        @Setup(Level.Trial)
        public void setUp(ShiroFormSite site) throws IOException {
            client = new LoopbackHttp(site.port);
        }

        @TearDown(Level.Trial)
        public void tearDown() throws IOException {
            client.close();
        }
    }

    @Benchmark
    @Threads(CLIENTS)
    public void haloLoginOverHttp(HaloSite site, ClientThread client) throws Exception {
        site.login(client.client, client.next());
    }

    /**
     * The HTTP floor of the same server and client: one unprotected {@code GET} through the same Jetty, filter
     * and page, with no login — what any request costs here before a signature is looked at.
     */
    @Benchmark
    @Threads(CLIENTS)
    public int httpRequestFloor(HaloSite site, ClientThread client) throws Exception {
        LoopbackHttp.Response r = client.client.send(site.openRequest);
        if (r.status() != 200) {
            throw new IllegalStateException("the open page answered " + r.status());
        }
        site.served.incrementAndGet();
        return r.body().length();
    }

    /** The same login, its latency distribution (p50, p99, …) instead of its throughput. */
    @Benchmark
    @Threads(CLIENTS)
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public void haloLoginLatency(HaloSite site, ClientThread client) throws Exception {
        site.login(client.client, client.next());
    }

    @Benchmark
    public boolean ed25519VerifyFloor(Floor f) {
        int i = f.cursor;
        f.cursor = (i + 1) & (USERS - 1);
        f.verified++;
        return Ed25519.verify(f.signatures[i], 0, f.points[i], f.messages[i], 0, 256);
    }

    @Benchmark
    @Threads(CLIENTS)
    public void shiroFormLoginBcrypt10(ShiroFormSite site, ShiroClient client) throws Exception {
        site.login(client.client, site.cursor.getAndIncrement() & (ShiroFormSite.ACCOUNTS - 1));
    }
}
