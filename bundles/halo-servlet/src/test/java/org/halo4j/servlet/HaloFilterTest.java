package org.halo4j.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import jakarta.servlet.DispatcherType;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.halo4j.invitations.HostedInvitation;
import org.halo4j.keys.Argon2Settings;
import org.halo4j.keys.PublicKey;
import org.halo4j.net.ChannelLimits;
import org.halo4j.net.PeerChannel;
import org.halo4j.net.PeerConnector;
import org.halo4j.net.PeerServer;
import org.halo4j.node.agent.Agent;
import org.halo4j.node.agent.NewIdentity;
import org.halo4j.node.agent.SpaceSummary;
import org.halo4j.node.agent.Wallet;
import org.halo4j.node.invitations.InvitationGuest;
import org.halo4j.node.invitations.InvitationHost;
import org.halo4j.node.server.Claims;
import org.halo4j.node.server.HaloNode;
import org.halo4j.presentations.InMemoryChallengeStore;
import org.halo4j.proto.v1.InvitationAuth;
import org.halo4j.proto.v1.InvitationKind;
import org.halo4j.proto.v1.SpaceRole;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The filter in a real Jetty 12 (Servlet 6) on loopback, with a real site identity that owns a space and real
 * wallets that log in: by WWW-Authenticate and Authorization, by the login endpoint and the cookie, refused with
 * a reason for each way a login can be wrong, and cut off on the next request after a removal or a revocation.
 */
class HaloFilterTest {

    private static final char[] PASS = "correct horse battery staple".toCharArray();
    private static final ChannelLimits LIMITS = ChannelLimits.DEFAULT;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The filter's one clock, moved by the tests. */
    static final class TestClock extends Clock {
        volatile Instant now = Instant.now();

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    @TempDir
    Path dir;

    private final List<AutoCloseable> open = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();
    private final TestClock clock = new TestClock();
    private Agent site;
    private Agent alice;
    private SpaceSummary club;
    private Server server;
    private String origin;
    private HaloFilter filter;

    @BeforeEach
    void aSiteThatOwnsASpace() throws Exception {
        site = agent("site");
        alice = agent("alice");
        club = site.createSpace("club");
        site.setRole(club.spaceId(), alice.identity(), SpaceRole.SPACE_ROLE_EDITOR);
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
    }

    private Agent agent(String name) throws Exception {
        Wallet w = Wallet.open(dir.resolve(name), Argon2Settings.forTests());
        NewIdentity id = w.create(Optional.of(name), name + "'s laptop", PASS);
        Agent a = w.open(Optional.of(id.did()), PASS);
        open.add(a);
        return a;
    }

    /** Protects /members (READER) and /admin (ADMIN) of the club; the origin is known only once Jetty listens. */
    private void startSite() throws Exception {
        startWith(b -> b, IdentityMapper.DID);
    }

    private interface Tweak {
        HaloWebConfig.Builder apply(HaloWebConfig.Builder b);
    }

    private void startWith(Tweak tweak, IdentityMapper mapper) throws Exception {
        startWith(tweak, mapper, new PeerMembership(site));
    }

    private void startWith(Tweak tweak, IdentityMapper mapper, MembershipSource membership) throws Exception {
        // bind first to learn the port, then build the configuration for that origin
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        server.setHandler(context);
        server.start();
        origin = "http://127.0.0.1:" + connector.getLocalPort();
        HaloWebConfig.Builder b = HaloWebConfig.builder(origin).clock(clock)
                .protect("/members/*", club.spaceId(), SpaceRole.SPACE_ROLE_READER)
                .protect("/admin/*", club.spaceId(), SpaceRole.SPACE_ROLE_ADMIN);
        filter = new HaloFilter(tweak.apply(b).build(), membership, mapper);
        FilterHolder holder = new FilterHolder(filter);
        context.getServletHandler().addFilterWithMapping(holder, "/*", EnumSet.of(DispatcherType.REQUEST));
        context.getServletHandler().addServletWithMapping(new ServletHolder(new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                resp.setContentType("text/plain");
                resp.getWriter().print("user=" + req.getRemoteUser() + " editor="
                        + req.isUserInRole("space:" + club.spaceId() + ":EDITOR") + " admin="
                        + req.isUserInRole("space:" + club.spaceId() + ":ADMIN"));
            }
        }), "/*");
    }

    private HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(origin + path)).GET();
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String type, byte[] body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(origin + path))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).header("Content-Type", type);
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * The status line the site answers to a login that announces a body of {@code length} bytes and sends none:
     * a refusal by length alone, before any byte of the body is read (a client that sends it anyway can race the
     * refusal and see the connection closed).
     */
    private String statusOfAnnouncedBody(String path, int length) throws IOException {
        URI uri = URI.create(origin);
        try (java.net.Socket socket = new java.net.Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("POST " + path + " HTTP/1.1\r\nHost: " + uri.getAuthority()
                    + "\r\nContent-Type: " + HaloFilter.PRESENTATION_TYPE + "\r\nContent-Length: " + length
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            return new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                    StandardCharsets.US_ASCII)).readLine();
        }
    }

    private static JsonNode json(HttpResponse<String> r) throws IOException {
        return JSON.readTree(r.body());
    }

    private static String error(HttpResponse<String> r) throws IOException {
        return json(r).get("error").asText();
    }

    /** A fresh challenge's nonce, from the endpoint. */
    private byte[] challenge() throws Exception {
        HttpResponse<String> r = get("/.well-known/halo/challenge");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(json(r).get("audience").asText()).isEqualTo(origin);
        return HexFormat.of().parseHex(json(r).get("challenge").asText());
    }

    private byte[] present(Agent who, byte[] nonce) throws Exception {
        return who.signPresentation(origin, nonce, List.of()).toByteArray();
    }

    private String loginToken(Agent who) throws Exception {
        HttpResponse<String> r = post("/.well-known/halo/login", HaloFilter.PRESENTATION_TYPE, present(who, challenge()));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return json(r).get("token").asText();
    }

    @Test
    void anApiClientAnswersWwwAuthenticateAndThenUsesItsBearerToken() throws Exception {
        startSite();
        HttpResponse<String> first = get("/members/list");
        assertThat(first.statusCode()).isEqualTo(401);
        assertThat(error(first)).isEqualTo("session.none");
        String www = first.headers().firstValue("WWW-Authenticate").orElseThrow();
        assertThat(www).startsWith("HALO challenge=\"").contains("audience=\"" + origin + "\"");
        byte[] nonce = HexFormat.of().parseHex(www.substring(16, 80));

        String presentation = Base64.getUrlEncoder().withoutPadding().encodeToString(present(alice, nonce));
        HttpResponse<String> in = get("/members/list", "Authorization", "HALO " + presentation);
        assertThat(in.statusCode()).as(in.body()).isEqualTo(200);
        assertThat(in.body()).isEqualTo("user=" + alice.did() + " editor=true admin=false");
        String info = in.headers().firstValue("Authentication-Info").orElseThrow();
        String token = info.substring(info.indexOf('"') + 1, info.lastIndexOf('"'));

        assertThat(get("/members/list", "Authorization", "Bearer " + token).statusCode()).isEqualTo(200);
        HttpResponse<String> admin = get("/admin/", "Authorization", "Bearer " + token);
        assertThat(admin.statusCode()).isEqualTo(403);
        assertThat(error(admin)).isEqualTo("space.role");
        // an unprotected page sees the principal too, and anonymous requests pass
        assertThat(get("/", "Authorization", "Bearer " + token).body()).startsWith("user=" + alice.did());
        assertThat(get("/").body()).startsWith("user=null");
        HttpResponse<String> unknown = get("/members/", "Authorization", "Bearer " + "x".repeat(43));
        assertThat(error(unknown)).isEqualTo("session.unknown");
        // the rules see the path the container maps: no parameter or escape walks around /admin/*
        for (String around : List.of("/admin;x/", "/%61dmin/", "/admin/./", "/members/../admin/")) {
            HttpResponse<String> r = get(around, "Authorization", "Bearer " + token);
            assertThat(r.statusCode()).as(around + ": " + r.body()).isIn(400, 403);
        }
    }

    @Test
    void aBrowserStyleLoginSetsAnHttpOnlyCookieThatLogoutEnds() throws Exception {
        startSite();
        HttpResponse<String> r = post("/.well-known/halo/login", HaloFilter.PRESENTATION_TYPE, present(alice, challenge()),
                "Origin", origin);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(json(r).get("did").asText()).isEqualTo(alice.did());
        String setCookie = r.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(setCookie).startsWith("halo_session=").contains("HttpOnly", "SameSite=Lax", "Path=/");
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));
        assertThat(get("/members/", "Cookie", cookie).statusCode()).isEqualTo(200);
        assertThat(json(get("/.well-known/halo/session", "Cookie", cookie)).get("did").asText()).isEqualTo(alice.did());

        assertThat(json(post("/.well-known/halo/logout", "application/json", new byte[0], "Cookie", cookie))
                .get("loggedOut").asBoolean()).isTrue();
        assertThat(get("/members/", "Cookie", cookie).statusCode()).isEqualTo(401);
        assertThat(filter.sessionCount()).isZero();
    }

    @Test
    void everyWayALoginCanBeWrongIsRefusedWithItsReason() throws Exception {
        startSite();
        String login = "/.well-known/halo/login";
        // replayed: the same presentation twice
        byte[] once = present(alice, challenge());
        assertThat(post(login, HaloFilter.PRESENTATION_TYPE, once).statusCode()).isEqualTo(200);
        HttpResponse<String> replay = post(login, HaloFilter.PRESENTATION_TYPE, once);
        assertThat(replay.statusCode()).isEqualTo(401);
        assertThat(error(replay)).isEqualTo("presentation.replayed");
        // for another site
        byte[] elsewhere = alice.signPresentation("https://evil.example.com", challenge(), List.of()).toByteArray();
        assertThat(error(post(login, HaloFilter.PRESENTATION_TYPE, elsewhere))).isEqualTo("presentation.audience_mismatch");
        // for a challenge this site never issued
        byte[] made = new byte[32];
        assertThat(error(post(login, HaloFilter.PRESENTATION_TYPE, present(alice, made))))
                .isEqualTo("presentation.challenge_unknown");
        // an expired challenge
        byte[] nonce = challenge();
        clock.now = clock.now.plus(HaloWebConfig.DEFAULT_CHALLENGE_TTL).plusSeconds(1);
        assertThat(error(post(login, HaloFilter.PRESENTATION_TYPE, present(alice, nonce))))
                .isEqualTo("presentation.challenge_expired");
        // garbage, too big, the wrong content type, another origin
        assertThat(error(post(login, HaloFilter.PRESENTATION_TYPE, new byte[] {1, 2, 3}))).isEqualTo("malformed");
        assertThat(statusOfAnnouncedBody(login, 64 * 1024 + 1)).startsWith("HTTP/1.1 413 ");
        HttpResponse<String> form = post(login, "application/x-www-form-urlencoded", "a=b".getBytes(StandardCharsets.US_ASCII));
        assertThat(form.statusCode()).isEqualTo(415);
        HttpResponse<String> cross = post(login, HaloFilter.PRESENTATION_TYPE, present(alice, challenge()),
                "Origin", "https://evil.example.com");
        assertThat(cross.statusCode()).isEqualTo(403);
        assertThat(error(cross)).isEqualTo("request.origin");
        // a stranger logs in (anyone can), and is no member
        Agent eve = agent("eve");
        String eves = loginToken(eve);
        HttpResponse<String> members = get("/members/", "Authorization", "Bearer " + eves);
        assertThat(members.statusCode()).isEqualTo(403);
        assertThat(error(members)).isEqualTo("space.not_member");
        // every 401 offers a new challenge
        assertThat(replay.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("HALO "));
    }

    @Test
    void aRemovedMemberIsRefusedOnTheNextRequest() throws Exception {
        startSite();
        String token = loginToken(alice);
        assertThat(get("/members/", "Authorization", "Bearer " + token).statusCode()).isEqualTo(200);
        site.remove(club.spaceId(), alice.identity());
        HttpResponse<String> next = get("/members/", "Authorization", "Bearer " + token);
        assertThat(next.statusCode()).isEqualTo(403);
        assertThat(error(next)).isEqualTo("space.not_member");
        // and she is back when an admin adds her again
        site.setRole(club.spaceId(), alice.identity(), SpaceRole.SPACE_ROLE_ADMIN);
        assertThat(get("/admin/", "Authorization", "Bearer " + token).statusCode()).isEqualTo(200);
    }

    @Test
    void aRevokedDeviceIsRefusedOnTheNextRequestOnceTheRevocationArrives() throws Exception {
        startSite();
        // the site listens for its members' devices (invitations and sync), as the node runtime in an app does
        InvitationHost siteHost = new InvitationHost(site, Clock.systemUTC(), LIMITS);
        PeerServer siteServer = siteHost.listen("127.0.0.1", 0, (k, i, g, c, m) -> { });
        open.add(siteServer);
        URI siteAt = URI.create("ws://127.0.0.1:" + siteServer.address().getPort());
        PeerConnector connector = new PeerConnector(LIMITS);
        open.add(connector);
        // Alice joins the space from her laptop, then adds her phone
        Agent laptop = agent("laptop");
        HostedInvitation intoClub = siteHost.create(new InvitationHost.Request(InvitationKind.INVITATION_KIND_SPACE,
                Optional.of(club.spaceId()), SpaceRole.SPACE_ROLE_READER, false, Duration.ofMinutes(5),
                InvitationAuth.INVITATION_AUTH_SHARED_SECRET, Optional.empty(), Optional.empty(), Optional.of(siteAt)));
        InvitationGuest.joinSpace(laptop, intoClub.invitation(), intoClub.code(), connector, LIMITS, Clock.systemUTC());
        InvitationHost laptopHost = new InvitationHost(laptop, Clock.systemUTC(), LIMITS);
        PeerServer laptopServer = laptopHost.listen("127.0.0.1", 0, (k, i, g, c, m) -> { });
        open.add(laptopServer);
        HostedInvitation phoneInvite = laptopHost.create(new InvitationHost.Request(InvitationKind.INVITATION_KIND_DEVICE,
                Optional.empty(), SpaceRole.SPACE_ROLE_READER, false, Duration.ofMinutes(5),
                InvitationAuth.INVITATION_AUTH_SHARED_SECRET, Optional.empty(), Optional.empty(),
                Optional.of(URI.create("ws://127.0.0.1:" + laptopServer.address().getPort()))));
        Wallet phoneWallet = Wallet.open(dir.resolve("phone"), Argon2Settings.forTests());
        String did = InvitationGuest.joinDevice(phoneWallet, phoneInvite.invitation(), phoneInvite.code(), "phone", PASS,
                connector, LIMITS, Clock.systemUTC()).did();
        Agent phone = phoneWallet.open(Optional.of(did), PASS);
        open.add(phone);

        String token = loginToken(phone);
        assertThat(get("/members/", "Authorization", "Bearer " + token).statusCode()).isEqualTo(200);
        laptop.revokeDevice(phone.device());
        // not known to the site yet: the revocation travels with the space
        assertThat(get("/members/", "Authorization", "Bearer " + token).statusCode()).isEqualTo(200);
        try (PeerChannel c = PeerChannel.initiate(connector.connect(siteAt.resolve(HaloNode.PEER_PATH)),
                laptop.localDevice(), "sync", laptop.verifierForSync(), LIMITS)) {
            laptop.sync(c, true);
        }
        HttpResponse<String> next = get("/", "Authorization", "Bearer " + token); // an open page, too
        assertThat(next.statusCode()).as(next.body()).isEqualTo(401);
        assertThat(error(next)).isEqualTo("device.revoked");
        // the session is gone, and the phone cannot log in again
        assertThat(error(get("/members/", "Authorization", "Bearer " + token))).isEqualTo("session.unknown");
        HttpResponse<String> again = post("/.well-known/halo/login", HaloFilter.PRESENTATION_TYPE, present(phone, challenge()));
        assertThat(again.statusCode()).isEqualTo(401);
        assertThat(error(again)).isEqualTo("device.revoked");
        // the laptop still can
        assertThat(get("/members/", "Authorization", "Bearer " + loginToken(laptop)).statusCode()).isEqualTo(200);
    }

    @Test
    void aFloodOfChallengesGets503AndNeverEvictsAPendingOne() throws Exception {
        startWith(b -> b.challengeStore(new InMemoryChallengeStore(5)), IdentityMapper.DID);
        byte[] first = challenge();
        for (int i = 0; i < 4; i++) {
            challenge();
        }
        HttpResponse<String> full = get("/.well-known/halo/challenge");
        assertThat(full.statusCode()).isEqualTo(503);
        assertThat(full.headers().firstValue("Retry-After")).isPresent();
        assertThat(error(full)).isEqualTo("challenge.busy");
        // the person who asked first still logs in
        assertThat(post("/.well-known/halo/login", HaloFilter.PRESENTATION_TYPE, present(alice, first)).statusCode())
                .isEqualTo(200);
    }

    @Test
    void oneClientPastItsRateIsToldWhenToComeBack() throws Exception {
        startWith(b -> b.requestsPerMinute(3), IdentityMapper.DID);
        for (int i = 0; i < 3; i++) {
            challenge();
        }
        HttpResponse<String> limited = get("/.well-known/halo/challenge");
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(error(limited)).isEqualTo("request.rate");
        assertThat(Long.parseLong(limited.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 60L);
        clock.now = clock.now.plusSeconds(60);
        challenge();
    }

    @Test
    void everyChallengeHandedOutWithA401IsCountedAgainstTheClient() throws Exception {
        startWith(b -> b.requestsPerMinute(3), IdentityMapper.DID);
        for (int i = 0; i < 3; i++) {
            assertThat(get("/members/").statusCode()).isEqualTo(401);
        }
        HttpResponse<String> limited = get("/members/");
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("WWW-Authenticate")).isEmpty();
        assertThat(error(limited)).isEqualTo("request.rate");
    }

    @Test
    void oneClientCannotFillTheTableOfWaitingBrowserLogins() throws Exception {
        startSite();
        for (int i = 0; i < 5; i++) {
            assertThat(post("/.well-known/halo/code", "application/json", "{}".getBytes(), "Origin", origin).statusCode())
                    .isEqualTo(200);
        }
        HttpResponse<String> sixth = post("/.well-known/halo/code", "application/json", "{}".getBytes(), "Origin", origin);
        assertThat(sixth.statusCode()).isEqualTo(503);
        assertThat(error(sixth)).isEqualTo("challenge.busy");
    }

    @Test
    void anExactPathRuleWinsOverAPrefixRuleOfTheSameLength() {
        HaloWebConfig c = HaloWebConfig.builder("https://app.example.com")
                .protect("/api/*", "ab".repeat(32), SpaceRole.SPACE_ROLE_READER)
                .protect("/api/x", "ab".repeat(32), SpaceRole.SPACE_ROLE_ADMIN).build();
        assertThat(c.ruleFor("/api/x").orElseThrow().role()).isEqualTo(SpaceRole.SPACE_ROLE_ADMIN);
        assertThat(c.ruleFor("/api/y").orElseThrow().role()).isEqualTo(SpaceRole.SPACE_ROLE_READER);
        assertThat(c.ruleFor("/apix")).isEmpty();
    }

    @Test
    void anIdentityMapperLinksTheDidToAnAccountAndRefusesTheUnlinked() throws Exception {
        startWith(b -> b, did -> did.equals(alice.did()) ? Optional.of("alice@example.com") : Optional.empty());
        String token = loginToken(alice);
        assertThat(get("/members/x", "Authorization", "Bearer " + token).body()).startsWith("user=alice@example.com ");
        Agent eve = agent("eve");
        HttpResponse<String> r = post("/.well-known/halo/login", HaloFilter.PRESENTATION_TYPE, present(eve, challenge()));
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(error(r)).isEqualTo("account.unknown");
    }

    @Test
    void aSessionEndsWhenItsLifetimeIsOver() throws Exception {
        startSite();
        String token = loginToken(alice);
        clock.now = clock.now.plus(HaloWebConfig.DEFAULT_SESSION_TTL).plusSeconds(1);
        HttpResponse<String> r = get("/members/", "Authorization", "Bearer " + token);
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(error(r)).isEqualTo("session.unknown");
    }

    // ---- claims mode (decision 0008): the app runs no peer; the space's node vouches -----------------------

    /** The site's identity serves its space as a node; the web app trusts its claims and replicates nothing. */
    private URI startClaimsSite() throws Exception {
        HaloNode node = HaloNode.start(site, "127.0.0.1", 0, LIMITS, Duration.ofSeconds(5), line -> { });
        open.add(node);
        startWith(b -> b, IdentityMapper.DID, ClaimsMembership.builder().trust(club.spaceId(), site.did()).clock(clock)
                .build());
        return URI.create("ws://127.0.0.1:" + node.address().getPort());
    }

    private byte[] presentWithClaim(Agent who, URI node, byte[] nonce) throws Exception {
        Claims.Answer answer = Claims.fetch(who, node, List.of(club.spaceKey()), LIMITS);
        assertThat(answer.refused()).isEmpty();
        return who.present(origin, nonce, answer.claims()).toByteArray();
    }

    @Test
    void inClaimsModeTheChallengeNamesTheSpaceAndAFreshClaimFromTheNodeLogsIn() throws Exception {
        URI node = startClaimsSite();
        HttpResponse<String> c = get("/.well-known/halo/challenge");
        assertThat(json(c).get("spaces").asText()).isEqualTo(club.spaceId());
        HttpResponse<String> first = get("/members/");
        assertThat(first.headers().firstValue("WWW-Authenticate").orElseThrow())
                .contains("spaces=\"" + club.spaceId() + "\"");
        // without a claim the app knows nothing of the space: refused with the reason
        HttpResponse<String> bare = post("/.well-known/halo/login", HaloFilter.PRESENTATION_TYPE, present(alice, challenge()));
        assertThat(bare.statusCode()).isEqualTo(401);
        assertThat(error(bare)).isEqualTo("claim.missing");
        // with the node's claim: the EDITOR alice reads the members page and is kept out of the admin page
        HttpResponse<String> in = post("/.well-known/halo/login", HaloFilter.PRESENTATION_TYPE,
                presentWithClaim(alice, node, challenge()));
        assertThat(in.statusCode()).as(in.body()).isEqualTo(200);
        String token = json(in).get("token").asText();
        assertThat(get("/members/", "Authorization", "Bearer " + token).body())
                .isEqualTo("user=" + alice.did() + " editor=true admin=false");
        assertThat(error(get("/admin/", "Authorization", "Bearer " + token))).isEqualTo("space.role");
        // a stranger gets no claim from the node, and cannot tell the node's space from one it does not keep
        Agent mallory = agent("mallory");
        PublicKey elsewhere = agent("elsewhere").createSpace("elsewhere").spaceKey();
        Claims.Answer none = Claims.fetch(mallory, node, List.of(club.spaceKey(), elsewhere), LIMITS);
        assertThat(none.claims()).isEmpty();
        assertThat(none.refused()).hasSize(2).allSatisfy(r -> assertThat(r.getCode()).isEqualTo("claim.not_member"));
        assertThat(none.refused().get(0).getMessage().replace(club.spaceKey().shortId(), "S"))
                .isEqualTo(none.refused().get(1).getMessage().replace(elsewhere.shortId(), "S"));
    }

    @Test
    void inClaimsModeARemovedMemberKeepsAccessForAtMostTheWindowAndNeverLonger() throws Exception {
        URI node = startClaimsSite();
        Instant start = clock.now;
        String token = json(post("/.well-known/halo/login", HaloFilter.PRESENTATION_TYPE,
                presentWithClaim(alice, node, challenge()))).get("token").asText();
        site.remove(club.spaceId(), alice.identity());
        // the app cannot know yet: the claim stands for its window (the revocation delay of this mode) ...
        clock.now = start.plus(Duration.ofMinutes(4));
        assertThat(get("/members/", "Authorization", "Bearer " + token).statusCode()).isEqualTo(200);
        // ... and not a moment after: the session ended with the claim's window
        clock.now = start.plus(Duration.ofMinutes(5)).plusSeconds(30);
        HttpResponse<String> after = get("/members/", "Authorization", "Bearer " + token);
        assertThat(after.statusCode()).isEqualTo(401);
        assertThat(error(after)).isEqualTo("session.unknown");
        // and the node gives the removed member no new claim
        Claims.Answer refused = Claims.fetch(alice, node, List.of(club.spaceKey()), LIMITS);
        assertThat(refused.claims()).isEmpty();
        assertThat(refused.refused()).singleElement().satisfies(r -> assertThat(r.getCode()).isEqualTo("claim.not_member"));
    }

    @Test
    void inClaimsModeAClaimFromAnIssuerTheAppDoesNotTrustIsRefused() throws Exception {
        HaloNode node = HaloNode.start(site, "127.0.0.1", 0, LIMITS, Duration.ofSeconds(5), line -> { });
        open.add(node);
        Agent other = agent("other");
        startWith(b -> b, IdentityMapper.DID, ClaimsMembership.builder().trust(club.spaceId(), other.did()).clock(clock)
                .build());
        HttpResponse<String> r = post("/.well-known/halo/login", HaloFilter.PRESENTATION_TYPE,
                presentWithClaim(alice, URI.create("ws://127.0.0.1:" + node.address().getPort()), challenge()));
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(error(r)).isEqualTo("claim.untrusted_issuer");
    }

    private static String cookieFrom(HttpResponse<String> r, String name) {
        return r.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith(name + "="))
                .map(c -> c.substring(0, c.indexOf(';'))).findFirst().orElseThrow();
    }

    @Test
    void aBrowserShowsACodeAndTheWalletThatConfirmsItLogsThatBrowserIn() throws Exception {
        startSite();
        HttpResponse<String> page = get("/members/?x=1", "Accept", "text/html");
        assertThat(page.statusCode()).isEqualTo(303);
        assertThat(page.headers().firstValue("Location")).contains("/.well-known/halo/page?next=%2Fmembers%2F%3Fx%3D1");
        HttpResponse<String> html = get("/.well-known/halo/page?next=%2Fmembers%2F");
        assertThat(html.statusCode()).isEqualTo(200);
        assertThat(html.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(v -> assertThat(v)
                .contains("frame-ancestors 'none'"));
        assertThat(get("/.well-known/halo/login.js").body()).contains("code-status");

        HttpResponse<String> noOrigin = post("/.well-known/halo/code?next=/members/", "application/json", "{}".getBytes());
        assertThat(noOrigin.statusCode()).isEqualTo(403);
        HttpResponse<String> started = post("/.well-known/halo/code?next=/members/", "application/json", "{}".getBytes(),
                "Origin", origin, "User-Agent", "Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0 Safari/537.36");
        assertThat(started.statusCode()).as(started.body()).isEqualTo(200);
        String code = json(started).get("code").asText();
        assertThat(code).matches("[0-9A-Z]{4}-[0-9A-Z]{4}");
        assertThat(json(started).get("qr").asText()).startsWith("<svg");
        String pending = cookieFrom(started, "halo_pending");
        assertThat(json(get("/.well-known/halo/code-status", "Cookie", pending)).get("state").asText()).isEqualTo("waiting");

        // the wallet reads what it is about to log in, then signs for that login's own challenge
        JsonNode waiting = json(get("/.well-known/halo/code/" + code.toLowerCase()));
        assertThat(waiting.get("audience").asText()).isEqualTo(origin);
        assertThat(waiting.get("browser").asText()).startsWith("Chrome on Linux, from 127.0.0.1, at ");
        byte[] other = present(alice, challenge());
        assertThat(error(post("/.well-known/halo/login?code=" + code, HaloFilter.PRESENTATION_TYPE, other)))
                .isEqualTo("code.challenge");
        byte[] nonce = HexFormat.of().parseHex(waiting.get("challenge").asText());
        HttpResponse<String> done = post("/.well-known/halo/login?code=" + code, HaloFilter.PRESENTATION_TYPE,
                present(alice, nonce));
        assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
        assertThat(json(done).get("did").asText()).isEqualTo(alice.did());
        assertThat(json(done).has("token")).isFalse(); // the session is the browser's, not the wallet's
        assertThat(done.headers().allValues("Set-Cookie")).isEmpty();

        HttpResponse<String> polled = get("/.well-known/halo/code-status", "Cookie", pending);
        assertThat(json(polled).get("state").asText()).isEqualTo("done");
        assertThat(json(polled).get("next").asText()).isEqualTo("/members/");
        String session = cookieFrom(polled, "halo_session");
        assertThat(get("/members/", "Cookie", session).statusCode()).isEqualTo(200);
        // the code is spent, and only the browser that asked could take the session
        assertThat(error(get("/.well-known/halo/code/" + code))).isEqualTo("code.unknown");
        assertThat(json(get("/.well-known/halo/code-status", "Cookie", pending)).get("state").asText()).isEqualTo("expired");
    }

    @Test
    void aLoginCodeExpiresAfterTwoMinutesAndNeverLeadsToAnotherSite() throws Exception {
        startSite();
        HttpResponse<String> started = post("/.well-known/halo/code?next=//evil.example.com/", "application/json",
                "{}".getBytes(), "Origin", origin);
        String code = json(started).get("code").asText();
        byte[] nonce = HexFormat.of().parseHex(json(get("/.well-known/halo/code/" + code)).get("challenge").asText());
        clock.now = clock.now.plusSeconds(121);
        assertThat(error(get("/.well-known/halo/code/" + code))).isEqualTo("code.unknown");
        assertThat(error(post("/.well-known/halo/login?code=" + code, HaloFilter.PRESENTATION_TYPE, present(alice, nonce))))
                .isEqualTo("code.unknown");
        clock.now = clock.now.minusSeconds(121);
        HttpResponse<String> again = post("/.well-known/halo/code?next=https://evil.example.com/", "application/json",
                "{}".getBytes(), "Origin", origin);
        String pending = cookieFrom(again, "halo_pending");
        String code2 = json(again).get("code").asText();
        byte[] nonce2 = HexFormat.of().parseHex(json(get("/.well-known/halo/code/" + code2)).get("challenge").asText());
        assertThat(post("/.well-known/halo/login?code=" + code2, HaloFilter.PRESENTATION_TYPE, present(alice, nonce2))
                .statusCode()).isEqualTo(200);
        assertThat(json(get("/.well-known/halo/code-status", "Cookie", pending)).get("next").asText()).isEqualTo("/");
    }
}
