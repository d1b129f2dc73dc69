package org.halo4j.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.cleanCaches;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.CoreOptions.workingDirectory;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Dictionary;
import java.util.HexFormat;
import java.util.Hashtable;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import javax.inject.Inject;
import org.halo4j.credentials.CredentialVerifier;
import org.halo4j.invitations.HostedInvitation;
import org.halo4j.keys.Argon2Settings;
import org.halo4j.keys.Keyring;
import org.halo4j.keys.KeyringException;
import org.halo4j.keys.SignatureDomain;
import org.halo4j.node.agent.Agent;
import org.halo4j.node.agent.NewIdentity;
import org.halo4j.node.agent.Wallet;
import org.halo4j.node.service.IdentityService;
import org.halo4j.node.service.InvitationService;
import org.halo4j.node.service.MembershipListener;
import org.halo4j.node.service.NodeRuntime;
import org.halo4j.node.service.SpaceMembershipService;
import org.halo4j.proto.v1.SpaceRole;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerMethod;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.metatype.MetaTypeService;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The node's services as Declarative Services components in Apache Felix, configured through ConfigAdmin:
 * they resolve and work (identity, membership, invitations, the keyring's domains, the verifier), a
 * configuration change restarts the node on the new settings, web login runs through the Jakarta Servlet
 * Whiteboard (Felix HTTP Jetty 12), and stopping, starting and updating the bundle leaves no thread, socket or
 * open file behind. Each test gets a fresh framework and a fresh data directory.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class NodeServicesIT {

    private static final long WAIT = TimeUnit.SECONDS.toMillis(30);

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin configAdmin;

    private Path home;

    @org.ops4j.pax.exam.Configuration
    public Option[] config() {
        return options(
                workingDirectory(System.getProperty("paxexam.workdir", "target/paxexam") + "-services"),
                cleanCaches(true),
                systemProperty("org.ops4j.pax.logging.DefaultServiceLog.level").value("WARN"),
                systemProperty("org.slf4j.simpleLogger.defaultLogLevel").value("warn"),
                OsgiRuntime.core(),
                OsgiRuntime.components(),
                OsgiRuntime.logging(),
                OsgiRuntime.whiteboard(OsgiRuntime.freePort()),
                OsgiRuntime.jetty(),
                org.ops4j.pax.exam.CoreOptions.mavenBundle("com.google.zxing", "core").versionAsInProject(),
                bundle(OsgiRuntime.reactorBundle("halo.bundle.node")),
                bundle(OsgiRuntime.reactorBundle("halo.bundle.servlet")),
                junitBundles());
    }

    @Before
    public void configureNode() throws Exception {
        home = Files.createTempDirectory("halo-services-itest-");
        configure("org.halo4j.node", "home", home.toString(), "listen.port", 0, "name", "itest node");
    }

    @After
    public void deleteHome() throws Exception {
        for (Configuration c : Optional.ofNullable(configAdmin.listConfigurations(null)).orElse(new Configuration[0])) {
            c.delete();
        }
        waitUntil("the node stopped", () -> context.getServiceReference(NodeRuntime.class) == null);
        try (Stream<Path> files = Files.walk(home)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------

    @Test
    public void servicesResolveAndWork() throws Exception {
        NodeRuntime runtime = service(NodeRuntime.class);
        IdentityService identity = service(IdentityService.class);
        SpaceMembershipService membership = service(SpaceMembershipService.class);
        InvitationService invitations = service(InvitationService.class);
        Keyring unconfigured = service(Keyring.class);
        CredentialVerifier verifier = service(CredentialVerifier.class);

        // every halo4j component is active, and each has its metatype
        ServiceComponentRuntime scr = service(ServiceComponentRuntime.class);
        Bundle node = FrameworkUtil.getBundle(NodeRuntime.class);
        Set<String> active = new TreeSet<>();
        for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs(node)) {
            for (ComponentConfigurationDTO c : scr.getComponentConfigurationDTOs(d)) {
                if (c.state == ComponentConfigurationDTO.ACTIVE || c.state == ComponentConfigurationDTO.SATISFIED) {
                    active.add(d.configurationPid[0]);
                }
            }
        }
        assertEquals(Set.of("org.halo4j.node", "org.halo4j.identity", "org.halo4j.membership", "org.halo4j.invitations",
                "org.halo4j.keyring", "org.halo4j.verifier"), active);
        Set<String> described = new TreeSet<>(List.of(service(MetaTypeService.class).getMetaTypeInformation(node).getPids()));
        assertEquals(active, described);

        // the identity the node made on first start, under the configured name
        assertTrue(runtime.did().startsWith("did:key:z"));
        assertEquals(runtime.did(), identity.did());
        assertEquals(Optional.of("itest node"), identity.state().displayName());
        assertFalse("the recovery phrase waits for the admin's backup", identity.backupConfirmed());
        assertTrue(Files.isRegularFile(home.resolve("node.passphrase")));

        // spaces and roles
        String team = membership.createSpace("team").spaceId();
        assertEquals(Optional.of(SpaceRole.SPACE_ROLE_OWNER), membership.roleOf("team", identity.state().identity()));
        Path memberHome = Files.createTempDirectory("halo-member-");
        try (Agent ada = member(memberHome)) {
            membership.setRole(team, ada.identity(), SpaceRole.SPACE_ROLE_EDITOR);
            assertEquals(Optional.of(SpaceRole.SPACE_ROLE_EDITOR), membership.roleOf(team, ada.identity()));
            membership.remove("team", ada.identity());
            assertEquals(Optional.empty(), membership.roleOf(team, ada.identity()));
        } finally {
            delete(memberHome);
        }
        assertEquals(Optional.empty(), membership.roleOf("no-such-space", identity.state().identity()));

        // invitations at the node's address, listed and cancelled
        HostedInvitation inv = invitations.create("team", SpaceRole.SPACE_ROLE_READER, false, null);
        assertEquals(runtime.address().orElseThrow().toString(), inv.invitation().getAddresses(0));
        assertEquals(HostedInvitation.State.OPEN, invitations.list().get(0).state());
        assertEquals(HostedInvitation.State.CANCELLED, invitations.cancel(inv.id().substring(0, 8)).state());

        // the keyring signs nothing by default; allowed presentations (one value, separated by commas, as a
        // Karaf .cfg file gives it), it signs those only, and never hands out or takes keys
        try {
            unconfigured.sign(unconfigured.keys().iterator().next(), SignatureDomain.PRESENTATION, new byte[] {1});
            fail("signed with no domain allowed");
        } catch (KeyringException e) {
            assertEquals("keyring.domain", e.code());
        }
        configure("org.halo4j.keyring", "domains", "PRESENTATION, FEED_ADMIT");
        // the component may be re-made more than once (the node it stands on also settles), and a new instance
        // is not yet the configured one: wait until the registered keyring is the one that takes the new domains
        AtomicReference<Keyring> configured = new AtomicReference<>();
        AtomicReference<byte[]> signature = new AtomicReference<>();
        waitUntil("the keyring on its new configuration", () -> {
            Keyring k = serviceNow(Keyring.class);
            if (k == null || k == unconfigured) {
                return false;
            }
            signature.set(k.sign(k.keys().iterator().next(), SignatureDomain.PRESENTATION, new byte[] {1, 2, 3}));
            configured.set(k);
            return true;
        });
        Keyring keyring = configured.get();
        assertEquals(64, signature.get().length);
        try {
            keyring.sign(keyring.keys().iterator().next(), SignatureDomain.CREDENTIAL, new byte[] {1});
            fail("signed a credential without the domain being allowed");
        } catch (KeyringException e) {
            assertEquals("keyring.domain", e.code());
        }
        try {
            keyring.generate();
            fail("made a key");
        } catch (KeyringException e) {
            assertEquals("keyring.read_only", e.code());
        }

        // the verifier verifies what the node wrote, and refuses it changed
        var written = runtime.call(a -> a.credentials(Optional.of("team")).get(0));
        byte[] bytes = written.credential().toByteArray();
        assertEquals(written.issuer(), verifier.verify(bytes).issuer());
        bytes[bytes.length - 1] ^= 1;
        try {
            verifier.verify(bytes);
            fail("a changed credential verified");
        } catch (org.halo4j.errors.HaloRejectedException e) {
            assertNotNull(e.code());
        }
    }

    @Test
    public void aListenerHearsOfChanges() throws Exception {
        configure("org.halo4j.membership", "poll.interval", 1);
        SpaceMembershipService membership = service(SpaceMembershipService.class);
        List<Long> heard = java.util.Collections.synchronizedList(new ArrayList<>());
        ServiceRegistration<MembershipListener> reg = context.registerService(MembershipListener.class, heard::add, null);
        try {
            waitUntil("the first notice", () -> !heard.isEmpty());
            long before = membership.version();
            membership.createSpace("news");
            waitUntil("a notice of the new space", () -> heard.contains(membership.version()));
            assertNotEquals(before, membership.version());
        } finally {
            reg.unregister();
        }
    }

    @Test
    public void aConfigurationChangeRestartsTheNodeOnTheNewSettings() throws Exception {
        NodeRuntime first = service(NodeRuntime.class);
        String did = first.did();
        int firstPort = first.address().orElseThrow().getPort();
        assertTrue(OsgiRuntime.listening(firstPort));
        IdentityService identity = service(IdentityService.class);

        int port = OsgiRuntime.freePort();
        configure("org.halo4j.node", "home", home.toString(), "listen.port", port, "name", "itest node");
        waitUntil("the node on port " + port, () -> {
            NodeRuntime r = serviceNow(NodeRuntime.class);
            return r != null && r.address().map(a -> a.getPort() == port).orElse(false);
        });
        assertFalse("the old listener is closed", OsgiRuntime.listening(firstPort));
        NodeRuntime second = service(NodeRuntime.class);
        assertEquals("same identity, same data", did, second.did());
        // the services that stood on the old runtime were re-made on the new one
        IdentityService again = service(IdentityService.class);
        assertNotEquals(System.identityHashCode(identity), System.identityHashCode(again));
        assertEquals(did, again.did());
        try {
            identity.state();
            fail("the old identity service still answers after its node stopped");
        } catch (org.halo4j.node.agent.AgentException e) {
            assertEquals("node.stopped", e.code());
        }

        // a setting that cannot work: the component does not come up, and says why in the log; fixed, it does
        configure("org.halo4j.node", "home", home.toString(), "listen.port", 70000);
        waitUntil("the node stopped", () -> serviceNow(NodeRuntime.class) == null);
        configure("org.halo4j.node", "home", home.toString(), "listen.port", -1);
        NodeRuntime quiet = service(NodeRuntime.class);
        assertEquals(Optional.empty(), quiet.address());
        try {
            service(InvitationService.class).create(service(SpaceMembershipService.class).createSpace("x").spaceId(),
                    SpaceRole.SPACE_ROLE_READER, false, null);
            fail("invited to a node nobody can reach");
        } catch (org.halo4j.node.agent.AgentException e) {
            assertEquals("invitation.no_address", e.code());
        }
    }

    @Test
    public void webLoginThroughTheWhiteboard() throws Exception {
        SpaceMembershipService membership = service(SpaceMembershipService.class);
        String team = membership.createSpace("team").spaceId();
        String origin = "http://127.0.0.1:" + context.getProperty("org.osgi.service.http.port");
        // one value separated by commas, as a Karaf .cfg file gives it; a space the node does not know lets nobody in
        configure("org.halo4j.web", "audience", origin, "protect", "/hello=team:READER, /secret=no-such-space:READER");
        ServiceRegistration<Servlet> secret = page("/secret", req -> "secret");
        ServiceRegistration<Servlet> hello = page("/hello", req -> "hello " + req.getRemoteUser());
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        Path memberHome = Files.createTempDirectory("halo-member-");
        try (Agent ada = member(memberHome)) {
            waitUntil("the filter", () -> get(http, origin + "/hello", null).statusCode() == 401);
            HttpResponse<String> refused = get(http, origin + "/hello", null);
            String www = refused.headers().firstValue("WWW-Authenticate").orElseThrow();
            assertTrue(www, www.startsWith("HALO challenge=\"") && www.contains("audience=\"" + origin + "\""));

            // not a member yet: refused with the reason
            HttpResponse<String> notMember = get(http, origin + "/hello", "HALO " + present(ada, origin, www));
            assertEquals(notMember.body(), 403, notMember.statusCode());
            assertTrue(notMember.body(), notMember.body().contains("\"error\":\"space.not_member\""));

            membership.setRole(team, ada.identity(), SpaceRole.SPACE_ROLE_READER);
            String www2 = get(http, origin + "/hello", null).headers().firstValue("WWW-Authenticate").orElseThrow();
            HttpResponse<String> in = get(http, origin + "/hello", "HALO " + present(ada, origin, www2));
            assertEquals(in.body(), 200, in.statusCode());
            assertEquals("hello " + ada.did(), in.body());

            // the endpoints: a challenge as JSON, 404 for what is not one
            HttpResponse<String> challenge = get(http, origin + "/.well-known/halo/challenge", null);
            assertEquals(200, challenge.statusCode());
            assertTrue(challenge.body(), challenge.body().contains("\"audience\":\"" + origin + "\""));
            assertEquals(404, get(http, origin + "/.well-known/halo/nothing", null).statusCode());

            // the path protected by a space the node does not know: nobody, member or not, gets in
            String www3 = get(http, origin + "/secret", null).headers().firstValue("WWW-Authenticate").orElseThrow();
            HttpResponse<String> secretRefused = get(http, origin + "/secret", "HALO " + present(ada, origin, www3));
            assertEquals(secretRefused.body(), 403, secretRefused.statusCode());
        } finally {
            secret.unregister();
            hello.unregister();
            delete(memberHome);
        }
    }

    @Test
    public void stopStartAndUpdateLeaveNoThreadSocketOrFile() throws Exception {
        Bundle node = FrameworkUtil.getBundle(NodeRuntime.class);
        int fixedPort = OsgiRuntime.freePort(); // the same port after each restart and after the update
        configure("org.halo4j.node", "home", home.toString(), "listen.port", fixedPort);
        waitUntil("the node on port " + fixedPort, () -> {
            NodeRuntime r = serviceNow(NodeRuntime.class);
            return r != null && r.address().map(a -> a.getPort() == fixedPort).orElse(false);
        });
        NodeRuntime runtime = service(NodeRuntime.class);
        service(SpaceMembershipService.class).createSpace("team");
        assertFalse("the node holds its files open while it runs", openFilesUnder(home).isEmpty());
        List<String> baseline = haloThreads();
        assertFalse(baseline.isEmpty());

        int port = runtime.address().orElseThrow().getPort();
        for (int round = 0; round < 3; round++) {
            assertTrue(OsgiRuntime.listening(port));
            if (round < 2) {
                node.stop();
                waitUntil("no halo4j thread after stop (round " + round + ")", () -> haloThreads().isEmpty());
                assertFalse("port " + port + " still accepts after stop", OsgiRuntime.listening(port));
                assertEquals("files still open after stop", List.of(), openFilesUnder(home));
                node.start();
                NodeRuntime r = service(NodeRuntime.class);
                assertEquals(runtime.did(), r.did());
                assertEquals("the space survived the restart", "team",
                        service(SpaceMembershipService.class).space("team").name());
            } else {
                // the same jar again: stopped, replaced and started by the framework; this test's classes still
                // link to the old revision, so the new node is looked at through names, ports and files only
                node.update();
                waitUntil("a node of the new revision", () -> {
                    ServiceReference<?>[] refs = context.getAllServiceReferences(NodeRuntime.class.getName(), null);
                    return refs != null && refs.length == 1 && refs[0].getBundle().getBundleId() == node.getBundleId();
                });
            }
            waitUntil("the same halo4j threads as before (round " + round + ")",
                    () -> haloThreads().size() == baseline.size());
            int p = port;
            waitUntil("the peer port open again (round " + round + ")", () -> OsgiRuntime.listening(p));
        }
        assertFalse("the updated node holds its files", openFilesUnder(home).isEmpty());
        node.stop();
        waitUntil("no halo4j thread after the updated node stops", () -> haloThreads().isEmpty());
        assertFalse(OsgiRuntime.listening(port));
        assertEquals("files still open after the updated node stopped", List.of(), openFilesUnder(home));
    }

    // ---------------------------------------------------------------------------------------------------------

    /** Registers a servlet on the whiteboard that answers GET at {@code pattern} with {@code body}. */
    private ServiceRegistration<Servlet> page(String pattern, java.util.function.Function<HttpServletRequest, String> body) {
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("osgi.http.whiteboard.servlet.pattern", pattern);
        return context.registerService(Servlet.class, new HttpServlet() {
            private static final long serialVersionUID = 1L;

            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                resp.getWriter().write(body.apply(req));
            }
        }, props);
    }

    private void configure(String pid, Object... keyValues) throws IOException {
        Dictionary<String, Object> d = new Hashtable<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            d.put((String) keyValues[i], keyValues[i + 1]);
        }
        configAdmin.getConfiguration(pid, "?").update(d);
    }

    private <T> T service(Class<T> type) throws InterruptedException {
        ServiceTracker<T, T> tracker = new ServiceTracker<>(context, type, null);
        tracker.open();
        try {
            T s = tracker.waitForService(WAIT);
            if (s == null) {
                fail("no " + type.getSimpleName() + " service within " + WAIT + " ms" + threadDump());
            }
            return s;
        } finally {
            tracker.close();
        }
    }

    private <T> T serviceNow(Class<T> type) {
        ServiceReference<T> ref = context.getServiceReference(type);
        if (ref == null) {
            return null;
        }
        try {
            return context.getService(ref);
        } finally {
            context.ungetService(ref);
        }
    }

    interface Condition {
        boolean holds() throws Exception;
    }

    /** Waits for {@code c}; an exception from it counts as "not yet" (a server still starting, say). */
    private static void waitUntil(String what, Condition c) throws Exception {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT);
        Exception last = null;
        while (true) {
            try {
                if (c.holds()) {
                    return;
                }
            } catch (Exception e) {
                last = e;
            }
            if (System.nanoTime() > end) {
                throw new AssertionError("waited " + WAIT + " ms for " + what + (last == null ? "" : "; last: " + last)
                        + threadDump(), last);
            }
            Thread.sleep(50);
        }
    }

    private static Agent member(Path home) throws Exception {
        char[] pass = "itest member".toCharArray();
        Wallet wallet = Wallet.open(home, Argon2Settings.forTests());
        NewIdentity id = wallet.create(Optional.of("Ada"), "laptop", pass);
        id.phrase().close();
        return wallet.open(Optional.empty(), pass);
    }

    private static String present(Agent who, String origin, String wwwAuthenticate) throws Exception {
        byte[] nonce = HexFormat.of().parseHex(wwwAuthenticate.substring(16, 80));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(
                who.signPresentation(origin, nonce, List.of()).toByteArray());
    }

    private static HttpResponse<String> get(HttpClient http, String url, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The halo4j and component runtime threads with their stacks, for a failure message. */
    private static String threadDump() {
        StringBuilder b = new StringBuilder();
        Thread.getAllStackTraces().forEach((t, stack) -> {
            String n = t.getName();
            if (n.startsWith("halo") || n.contains("SCR") || n.contains("CM ") || n.contains("Configuration")) {
                b.append("\n  thread ").append(n).append(" ").append(t.getState());
                for (int i = 0; i < Math.min(12, stack.length); i++) {
                    b.append("\n    at ").append(stack[i]);
                }
            }
        });
        return b.toString();
    }


    /** The threads halo4j starts: the node's listener and connections, and the membership watcher. */
    private static List<String> haloThreads() {
        List<String> out = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.isAlive() && (t.getName().startsWith("halo-") || t.getName().startsWith("halo4j-"))) {
                out.add(t.getName());
            }
        }
        return out;
    }

    /** The files under {@code dir} this JVM holds open (Linux: the links in /proc/self/fd). */
    private static List<String> openFilesUnder(Path dir) throws IOException {
        List<String> out = new ArrayList<>();
        Path real = dir.toRealPath();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                try {
                    Path target = Files.readSymbolicLink(fd);
                    if (target.startsWith(real)) {
                        out.add(target.toString());
                    }
                } catch (IOException gone) {
                    // closed while listing
                }
            }
        }
        return out;
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
