package org.halo4j.benchmarks;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
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
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
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
 * The HTTP benchmarks run {@value #CLIENTS} client threads, the verify floor two (one per core). The HTTP client
 * runs in the same JVM and on the same two cores as the server, in every HTTP benchmark alike; the presentations are signed before the measurement (a wallet signs on
 * its own device), and each login's challenge is opened again after it, so each login also pays one
 * challenge-store put, as a real one pays the put of its challenge request.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
@Threads(2)
public class WebLoginBenchmark {

    static final int USERS = 1024;
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
        HttpClient client;
        String origin;
        InMemoryChallengeStore store;
        Challenge[] challenges = new Challenge[USERS];
        String[] headers = new String[USERS];
        final AtomicInteger threads = new AtomicInteger();

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
            server = new Server();
            ServerConnector connector = new ServerConnector(server);
            connector.setHost("127.0.0.1");
            connector.setPort(0);
            server.addConnector(connector);
            ServletContextHandler context = new ServletContextHandler("/");
            server.setHandler(context);
            server.start();
            origin = "http://127.0.0.1:" + connector.getLocalPort();
            store = new InMemoryChallengeStore(4 * USERS);
            HaloWebConfig config = HaloWebConfig.builder(origin).protect("/members", space, SpaceRole.SPACE_ROLE_READER)
                    .challengeStore(store).challengeTtl(Duration.ofHours(1)).requestsPerMinute(Integer.MAX_VALUE).build();
            context.getServletHandler().addFilterWithMapping(new FilterHolder(new HaloFilter(config,
                    new PeerMembership(site), IdentityMapper.DID)), "/*", EnumSet.of(DispatcherType.REQUEST));
            context.getServletHandler().addServletWithMapping(new ServletHolder(new Page()), "/*");
            client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            for (int i = 0; i < USERS; i++) {
                HttpResponse<String> c = client.send(HttpRequest.newBuilder(URI.create(origin
                        + "/.well-known/halo/challenge")).GET().build(), HttpResponse.BodyHandlers.ofString());
                String hex = c.body().replaceAll(".*\"challenge\":\"([0-9a-f]{64})\".*", "$1");
                challenges[i] = store.find(HexFormat.of().parseHex(hex)).orElseThrow();
                headers[i] = "HALO " + Base64.getUrlEncoder().withoutPadding()
                        .encodeToString(HaloFixtures.presentation(devices[i], challenges[i]));
            }
            // every login must succeed (a benchmark of a refusal would be worthless), and it warms the chain cache
            for (int i = 0; i < USERS; i++) {
                login(i);
            }
        }

        void login(int i) throws IOException, InterruptedException, org.halo4j.presentations.ChallengeStoreFullException {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(origin + "/members"))
                    .header("Authorization", headers[i]).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("login " + i + " refused: " + r.statusCode() + " " + r.body());
            }
            store.put(challenges[i]); // opened again for the next round of the pool
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

    /** Each client thread logs in its own share of the members, so that no challenge is used by two at once. */
    @State(Scope.Thread)
    public static class Half {
        int offset;
        int cursor;

        @Setup(Level.Trial)
        public void setUp(HaloSite site) {
            offset = site.threads.getAndIncrement() % CLIENTS;
        }

        int next() {
            int i = CLIENTS * cursor + offset;
            cursor = (cursor + 1) % (USERS / CLIENTS);
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
        HttpClient client;
        String origin;
        String[] forms = new String[ACCOUNTS];
        final AtomicInteger cursor = new AtomicInteger();

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            SecureRandom random = new SecureRandom();
            java.util.Map<String, String> hashes = new java.util.HashMap<>();
            for (int i = 0; i < ACCOUNTS; i++) {
                byte[] salt = new byte[16];
                random.nextBytes(salt);
                String password = "correct horse battery staple " + i;
                hashes.put("user" + i, OpenBSDBCrypt.generate("2y", password.toCharArray(), salt, 10));
                forms[i] = "username=user" + i + "&password=" + password.replace(' ', '+');
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
            origin = "http://127.0.0.1:" + connector.getLocalPort();
            client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            for (int i = 0; i < ACCOUNTS; i++) {
                login(i);
            }
            HttpResponse<String> wrong = post("username=user0&password=wrong");
            if (wrong.statusCode() == 302) {
                throw new IllegalStateException("a wrong password logged in");
            }
        }

        HttpResponse<String> post(String form) throws IOException, InterruptedException {
            return client.send(HttpRequest.newBuilder(URI.create(origin + "/login"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form, StandardCharsets.US_ASCII)).build(),
                    HttpResponse.BodyHandlers.ofString());
        }

        void login(int i) throws IOException, InterruptedException {
            HttpResponse<String> r = post(forms[i]);
            if (r.statusCode() != 302) {
                throw new IllegalStateException("form login " + i + " refused: " + r.statusCode());
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() throws Exception {
            server.stop();
        }
    }

    @Benchmark
    @Threads(CLIENTS)
    public void haloLoginOverHttp(HaloSite site, Half half) throws Exception {
        site.login(half.next());
    }

    /**
     * The HTTP floor of the same server and client: one unprotected {@code GET} through the same Jetty, filter
     * and page, with no login — what any request costs here before a signature is looked at.
     */
    @Benchmark
    @Threads(CLIENTS)
    public int httpRequestFloor(HaloSite site) throws Exception {
        HttpResponse<String> r = site.client.send(HttpRequest.newBuilder(URI.create(site.origin + "/open")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("the open page answered " + r.statusCode());
        }
        return r.body().length();
    }

    /** The same login, its latency distribution (p50, p99, …) instead of its throughput. */
    @Benchmark
    @Threads(CLIENTS)
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public void haloLoginLatency(HaloSite site, Half half) throws Exception {
        site.login(half.next());
    }

    @Benchmark
    public boolean ed25519VerifyFloor(Floor f) {
        int i = f.cursor;
        f.cursor = (i + 1) & (USERS - 1);
        return Ed25519.verify(f.signatures[i], 0, f.points[i], f.messages[i], 0, 256);
    }

    @Benchmark
    @Threads(CLIENTS)
    public void shiroFormLoginBcrypt10(ShiroFormSite site) throws Exception {
        site.login(site.cursor.getAndIncrement() & (ShiroFormSite.ACCOUNTS - 1));
    }
}
