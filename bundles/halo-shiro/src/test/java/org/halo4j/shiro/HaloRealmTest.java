package org.halo4j.shiro;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.apache.shiro.SecurityUtils;
import org.apache.shiro.cache.MemoryConstrainedCacheManager;
import org.apache.shiro.config.Ini;
import org.apache.shiro.env.BasicIniEnvironment;
import org.apache.shiro.mgt.RealmSecurityManager;
import org.apache.shiro.mgt.SecurityManager;
import org.apache.shiro.subject.Subject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.apache.shiro.mgt.DefaultSecurityManager;
import org.halo4j.keys.PublicKey;
import org.halo4j.net.ChannelLimits;
import org.halo4j.node.server.Claims;
import org.halo4j.node.server.HaloNode;
import org.halo4j.servlet.ClaimsMembership;
import org.apache.shiro.web.filter.mgt.DefaultFilterChainManager;
import org.apache.shiro.web.filter.mgt.PathMatchingFilterChainResolver;
import org.apache.shiro.web.mgt.DefaultWebSecurityManager;
import org.apache.shiro.web.servlet.AbstractShiroFilter;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.halo4j.keys.Argon2Settings;
import org.halo4j.node.agent.Agent;
import org.halo4j.node.agent.NewIdentity;
import org.halo4j.node.agent.Wallet;
import org.halo4j.presentations.Challenge;
import org.halo4j.proto.v1.SpaceRole;
import org.halo4j.servlet.PeerMembership;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The realm with a real site identity and real wallets: programmatically behind Shiro's filter in a real Jetty 12
 * (login from {@code Authorization: HALO}, then Shiro's session; roles and permissions by role in the space; a
 * cached authorization dropped when the state changes), and from {@code shiro.ini}.
 */
class HaloRealmTest {

    private static final char[] PASS = "correct horse battery staple".toCharArray();

    @TempDir
    Path dir;

    private final List<AutoCloseable> open = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();
    private Agent site;
    private Agent alice;
    private String club;
    private Server server;
    private String origin;

    @BeforeEach
    void aSiteThatOwnsASpace() throws Exception {
        site = agent("site");
        alice = agent("alice");
        club = site.createSpace("club").spaceId();
        site.setRole(club, alice.identity(), SpaceRole.SPACE_ROLE_EDITOR);
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.stop();
        }
        Collections.reverse(open);
        for (AutoCloseable c : open) {
            c.close();
        }
        SecurityUtils.setSecurityManager(null);
    }

    private Agent agent(String name) throws Exception {
        Wallet w = Wallet.open(dir.resolve(name), Argon2Settings.forTests());
        NewIdentity id = w.create(Optional.of(name), name + "'s laptop", PASS);
        Agent a = w.open(Optional.of(id.did()), PASS);
        open.add(a);
        return a;
    }

    private HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(origin + path)).GET();
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void behindShirosFilterAnApiClientLogsInAndIsAuthorizedByItsRoleAsItChanges() throws Exception {
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler(ServletContextHandler.SESSIONS);
        server.setHandler(context);
        server.start();
        origin = "http://127.0.0.1:" + connector.getLocalPort();

        HaloRealm realm = new HaloRealm(origin, new PeerMembership(site), club);
        DefaultWebSecurityManager security = new DefaultWebSecurityManager(realm);
        security.setCacheManager(new MemoryConstrainedCacheManager()); // authorizations are cached
        DefaultFilterChainManager chains = new DefaultFilterChainManager();
        chains.addFilter("halo", new HaloAuthenticationFilter(realm));
        chains.createChain("/notes/**", "halo, perms[space:write:" + club + "]");
        chains.createChain("/admin/**", "halo, roles[space:" + club + ":ADMIN]");
        PathMatchingFilterChainResolver resolver = new PathMatchingFilterChainResolver();
        resolver.setFilterChainManager(chains);
        AbstractShiroFilter shiro = new AbstractShiroFilter() {
            {
                setSecurityManager(security);
                setFilterChainResolver(resolver);
            }
        };
        context.getServletHandler().addFilterWithMapping(new FilterHolder(shiro), "/*", EnumSet.of(DispatcherType.REQUEST));
        context.getServletHandler().addServletWithMapping(new ServletHolder(new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                Subject s = SecurityUtils.getSubject();
                resp.getWriter().print("user=" + s.getPrincipal() + " reader=" + s.hasRole("space:" + club + ":READER"));
            }
        }), "/*");

        HttpResponse<String> first = get("/notes/1");
        assertThat(first.statusCode()).isEqualTo(401);
        String www = first.headers().firstValue("WWW-Authenticate").orElseThrow();
        assertThat(www).startsWith("HALO challenge=\"").endsWith("audience=\"" + origin + "\"");
        byte[] nonce = HexFormat.of().parseHex(www.substring(16, 80));
        String presentation = Base64.getUrlEncoder().withoutPadding()
                .encodeToString(alice.signPresentation(origin, nonce, List.of()).toByteArray());

        HttpResponse<String> in = get("/notes/1", "Authorization", "HALO " + presentation);
        assertThat(in.statusCode()).as(in.body()).isEqualTo(200);
        assertThat(in.body()).isEqualTo("user=" + alice.did() + " reader=true");
        String session = in.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("JSESSIONID="))
                .map(c -> c.substring(0, c.indexOf(';'))).findFirst().orElseThrow();
        assertThat(get("/notes/2", "Cookie", session).statusCode()).isEqualTo(200); // Shiro's session from now on
        assertThat(get("/admin/", "Cookie", session).statusCode()).isNotEqualTo(200); // EDITOR is not ADMIN

        HttpResponse<String> replay = get("/notes/1", "Authorization", "HALO " + presentation);
        assertThat(replay.statusCode()).isEqualTo(401);
        assertThat(replay.body()).contains("presentation.challenge_unknown");

        // the authorization was cached; a demotion changes the state, and the next request sees it
        site.setRole(club, alice.identity(), SpaceRole.SPACE_ROLE_READER);
        assertThat(get("/notes/3", "Cookie", session).statusCode()).isNotEqualTo(200);
        site.setRole(club, alice.identity(), SpaceRole.SPACE_ROLE_ADMIN);
        assertThat(get("/admin/", "Cookie", session).statusCode()).isEqualTo(200);
        site.remove(club, alice.identity());
        assertThat(get("/notes/4", "Cookie", session).statusCode()).isNotEqualTo(200);
    }

    @Test
    void fromShiroIniTheRealmOpensTheAppsWalletAndGrantsRolesAndPermissions() throws Exception {
        Path siteHome = dir.resolve("site");
        open.remove(site);
        site.close(); // the realm opens the app's wallet itself
        Path pass = Files.writeString(dir.resolve("site.passphrase"), new String(PASS));
        String origin = "https://app.example.com";
        Ini ini = new Ini();
        ini.load(String.join("\n", "[main]",
                "haloRealm = org.halo4j.shiro.HaloRealm",
                "haloRealm.audience = " + origin,
                "haloRealm.walletHome = " + siteHome,
                "haloRealm.passphraseFile = " + pass,
                "haloRealm.spaces = " + club,
                "securityManager.realms = $haloRealm"));
        SecurityManager security = new BasicIniEnvironment(ini).getSecurityManager();
        HaloRealm realm = (HaloRealm) ((RealmSecurityManager) security).getRealms().iterator().next();
        try {
            Challenge c = realm.startLogin();
            byte[] presentation = alice.signPresentation(origin, c.nonce(), List.of()).toByteArray();
            Subject subject = new Subject.Builder(security).buildSubject();
            subject.login(new HaloPresentationToken(presentation));
            assertThat(subject.getPrincipal()).isEqualTo(alice.did());
            assertThat(subject.hasRole("space:" + club + ":EDITOR")).isTrue();
            assertThat(subject.hasRole("space:" + club + ":READER")).isTrue();
            assertThat(subject.hasRole("space:" + club + ":ADMIN")).isFalse();
            assertThat(subject.isPermitted("space:write:" + club)).isTrue();
            assertThat(subject.isPermitted("space:admin:" + club)).isFalse();

            Subject again = new Subject.Builder(security).buildSubject();
            assertThatThrownBy(() -> again.login(new HaloPresentationToken(presentation)))
                    .isInstanceOf(HaloAuthenticationException.class)
                    .extracting(e -> ((HaloAuthenticationException) e).code()).isEqualTo("presentation.challenge_unknown");
            byte[] elsewhere = alice.signPresentation("https://evil.example.com", realm.startLogin().nonce(), List.of())
                    .toByteArray();
            assertThatThrownBy(() -> again.login(new HaloPresentationToken(elsewhere)))
                    .extracting(e -> ((HaloAuthenticationException) e).code()).isEqualTo("presentation.audience_mismatch");
        } finally {
            realm.close();
        }
    }

    @Test
    void withClaimsMembershipTheRealmTakesTheNodesFreshClaimAndLetsItGoWhenItIsStale() throws Exception {
        HaloNode node = HaloNode.start(site, "127.0.0.1", 0, ChannelLimits.DEFAULT, Duration.ofSeconds(5), line -> { });
        open.add(node);
        URI nodeAt = URI.create("ws://127.0.0.1:" + node.address().getPort());
        Instant start = Instant.now();
        Clock[] now = {Clock.fixed(start, ZoneOffset.UTC)};
        Clock moving = new Clock() {
            @Override
            public Instant instant() {
                return now[0].instant();
            }

            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }
        };
        String origin = "https://app.example.com";
        HaloRealm realm = new HaloRealm(origin, ClaimsMembership.builder().trust(club, site.did()).clock(moving).build(),
                club);
        realm.setClock(moving);
        DefaultSecurityManager security = new DefaultSecurityManager(realm);
        Subject bare = new Subject.Builder(security).buildSubject();
        byte[] noClaim = alice.signPresentation(origin, realm.startLogin().nonce(), List.of()).toByteArray();
        assertThatThrownBy(() -> bare.login(new HaloPresentationToken(noClaim)))
                .extracting(e -> ((HaloAuthenticationException) e).code()).isEqualTo("claim.missing");

        Claims.Answer answer = Claims.fetch(alice, nodeAt, List.of(PublicKey.fromHex(club)), ChannelLimits.DEFAULT);
        byte[] withClaim = alice.present(origin, realm.startLogin().nonce(), answer.claims()).toByteArray();
        Subject subject = new Subject.Builder(security).buildSubject();
        subject.login(new HaloPresentationToken(withClaim));
        assertThat(subject.hasRole("space:" + club + ":EDITOR")).isTrue();
        assertThat(realm.revoked(subject.getPrincipals())).isFalse();
        now[0] = Clock.fixed(start.plus(Duration.ofMinutes(5)).plusSeconds(30), ZoneOffset.UTC);
        assertThat(subject.hasRole("space:" + club + ":READER")).isFalse();
        assertThat(realm.revoked(subject.getPrincipals())).isTrue();
    }
}
