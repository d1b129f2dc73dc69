package org.halo4j.node.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.annotation.Annotation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.halo4j.credentials.CredentialVerifier;
import org.halo4j.invitations.HostedInvitation;
import org.halo4j.invitations.InvitationText;
import org.halo4j.keys.Argon2Settings;
import org.halo4j.keys.Keyring;
import org.halo4j.keys.KeyringException;
import org.halo4j.keys.SignatureDomain;
import org.halo4j.node.agent.AgentException;
import org.halo4j.node.osgi.MembershipComponent;
import org.halo4j.proto.v1.SpaceRole;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node's services as plain Java objects (no container): a {@link LocalNode} on real files and a real
 * loopback socket, the services built by {@link NodeServices}, and one node joining another's space through the
 * invitation service. The same classes run as components in Felix (integration-tests, NodeServicesIT).
 */
class NodeServicesTest {

    @TempDir
    Path dir;

    private final List<LocalNode> started = new ArrayList<>();
    private final List<String> log = Collections.synchronizedList(new ArrayList<>());

    @AfterEach
    void stop() throws AgentException {
        for (LocalNode n : started) {
            n.close();
        }
    }

    private LocalNode node(String name, int port) throws AgentException {
        LocalNode n = LocalNode.start(new LocalNode.Settings(dir.resolve(name), Optional.empty(), Optional.empty(), name,
                "test", "127.0.0.1", port, Argon2Settings.forTests()), log::add);
        started.add(n);
        return n;
    }

    @Test
    void aNewNodeMakesItsIdentityAndAPrivatePassphraseFileAndKeepsThemAcrossRestarts() throws Exception {
        LocalNode first = node("site", -1);
        String did = first.did();
        assertThat(first.address()).isEmpty();
        Path pass = dir.resolve("site/node.passphrase");
        assertThat(Files.getPosixFilePermissions(pass)).isEqualTo(EnumSet.of(PosixFilePermission.OWNER_READ,
                PosixFilePermission.OWNER_WRITE));
        assertThat(log).anyMatch(l -> l.startsWith("made identity " + did));
        assertThat(NodeServices.identity(first).state().displayName()).contains("site");
        first.close();
        started.clear();
        assertThatThrownBy(() -> first.call(a -> a.did())).hasMessageContaining("stopped");

        LocalNode again = node("site", 0);
        assertThat(again.did()).isEqualTo(did);
        assertThat(again.address().orElseThrow().toString()).startsWith("ws://127.0.0.1:");
    }

    @Test
    void aMissingEmptyOrHugePassphraseFileIsRefusedWithItsReason() throws Exception {
        node("site", -1).close();
        started.clear();
        Path pass = dir.resolve("site/node.passphrase");
        String kept = Files.readString(pass);

        Files.delete(pass);
        assertThatThrownBy(() -> node("site", -1)).isInstanceOf(AgentException.class)
                .hasMessageContaining("is missing").extracting(e -> ((AgentException) e).code()).isEqualTo("node.passphrase");
        Files.writeString(pass, "  \n");
        assertThatThrownBy(() -> node("site", -1)).hasMessageContaining("is empty");
        Files.write(pass, new byte[(int) LocalNode.MAX_PASSPHRASE_FILE + 1]);
        assertThatThrownBy(() -> node("site", -1)).hasMessageContaining("larger than");
        Files.writeString(pass, "wrong passphrase");
        assertThatThrownBy(() -> node("site", -1)).isInstanceOf(AgentException.class);
        Files.writeString(pass, kept + "\n"); // a trailing newline (an editor's) is fine
        assertThat(node("site", -1).did()).startsWith("did:key:");
        assertThatThrownBy(() -> LocalNode.Settings.of(dir, 65536)).hasMessageContaining("port must be");
    }

    @Test
    void aMemberJoinsThroughTheInvitationServiceAndTheSpaceSeesIt() throws Exception {
        LocalNode host = node("host", 0);
        LocalNode guest = node("guest", -1);
        SpaceMembershipService hostSpaces = NodeServices.membership(host);
        String team = hostSpaces.createSpace("team").spaceId();
        InvitationService invitations = NodeServices.invitations(host, Duration.ofMinutes(10));
        HostedInvitation inv = invitations.create("team", SpaceRole.SPACE_ROLE_EDITOR, false, null);
        assertThat(inv.expiresAt()).isBefore(java.time.Instant.now().plus(Duration.ofMinutes(11)));

        String text = InvitationText.encode(inv.invitation());
        assertThatThrownBy(() -> NodeServices.invitations(guest, Duration.ofMinutes(10)).accept(text, "000000"))
                .isInstanceOf(AgentException.class);
        var joined = NodeServices.invitations(guest, Duration.ofMinutes(10)).accept(text, inv.code());
        assertThat(joined.spaceId()).isEqualTo(team);
        assertThat(hostSpaces.roleOf(team, guest.call(a -> a.identity()))).contains(SpaceRole.SPACE_ROLE_EDITOR);
        assertThat(invitations.list()).extracting(HostedInvitation::state).containsExactly(HostedInvitation.State.USED);
        assertThatThrownBy(() -> invitations.cancel(inv.id())).hasMessageContaining("already used");
    }

    @Test
    void aListenerHearsTheCurrentVersionAndThenEachChange() throws Exception {
        LocalNode n = node("site", -1);
        MembershipComponent watched = new MembershipComponent(n, pollEverySecond());
        try {
            List<Long> heard = Collections.synchronizedList(new ArrayList<>());
            watched.addListener(heard::add);
            waitFor(() -> !heard.isEmpty());
            assertThat(heard).containsExactly(watched.version());
            watched.createSpace("news");
            waitFor(() -> heard.size() == 2);
            assertThat(heard.get(1)).isEqualTo(watched.version()).isNotEqualTo(heard.get(0));
        } finally {
            watched.stop();
        }
        waitFor(() -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.getName().equals(MembershipComponent.THREAD) && t.isAlive()));
    }

    @Test
    void theKeyringSignsOnlyInTheAllowedDomainsAndTheVerifierFailsClosedOnceTheNodeStops() throws Exception {
        LocalNode n = node("site", -1);
        Keyring keyring = NodeServices.keyring(n, Set.of(SignatureDomain.PRESENTATION));
        var device = keyring.keys().iterator().next();
        byte[] payload = "hello".getBytes(StandardCharsets.UTF_8);
        byte[] sig = keyring.sign(device, SignatureDomain.PRESENTATION, payload);
        assertThat(org.halo4j.keys.Ed25519.verify(device, SignatureDomain.PRESENTATION, payload, sig)).isTrue();
        assertThatThrownBy(() -> keyring.sign(device, SignatureDomain.FEED_ENTRY, payload))
                .isInstanceOf(KeyringException.class).hasMessageContaining("not allowed");
        assertThatThrownBy(() -> keyring.importSeed(new byte[32])).hasMessageContaining("does not make, import");
        assertThat(NodeServices.keyring(n, Set.of()).keys()).containsExactly(device);

        CredentialVerifier verifier = NodeServices.verifier(n);
        NodeServices.identity(n).setProfile("site", java.util.Map.of("url", "https://example.org"));
        // signed by the node's device through its chain: verifying it asks which devices are revoked
        var written = n.call(a -> a.credentials(Optional.empty()).stream()
                .filter(c -> c.type().contains("Profile")).reduce((first, last) -> last).orElseThrow());
        assertThat(verifier.verify(written.credential().toByteArray()).signedBy().signedByIdentity()).isFalse();
        assertThat(verifier.verify(written.credential().toByteArray()).issuer()).isEqualTo(written.issuer());
        n.close();
        started.clear();
        // the node cannot say which devices are revoked any more: everything is refused
        assertThatThrownBy(() -> verifier.verify(written.credential().toByteArray()))
                .isInstanceOf(org.halo4j.credentials.DeviceRevokedException.class);
    }

    @Test
    void anInterruptedCallerStopsWaitingAndTheNodeKeepsWorking() throws Exception {
        LocalNode n = node("site", -1);
        SpaceMembershipService spaces = NodeServices.membership(n);
        spaces.createSpace("team");
        List<String> codes = Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.CountDownLatch running = new java.util.concurrent.CountDownLatch(1);
        Thread caller = new Thread(() -> {
            try {
                n.call(a -> {
                    running.countDown();
                    for (int i = 0; i < 3000; i++) {
                        a.spaces(); // reads the feeds: an interrupt here would close their channels
                    }
                    return null;
                });
                codes.add("completed");
            } catch (AgentException e) {
                codes.add(e.code());
            }
        });
        caller.start();
        running.await();
        caller.interrupt(); // as a shell's Ctrl-C or a stopping web server does
        caller.join();
        assertThat(codes).containsExactly("node.interrupted");
        // the feeds are still open for everyone else
        spaces.createSpace("news");
        assertThat(spaces.spaces()).extracting(s -> s.name()).contains("team", "news");
        assertThat(Thread.getAllStackTraces().keySet()).anyMatch(t -> t.getName().equals(LocalNode.AGENT_THREAD));
        n.close();
        started.clear();
        // its thread ends (it may take a moment to leave after the pool reports it done)
        waitFor(() -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.getName().equals(LocalNode.AGENT_THREAD) && t.isAlive()));
    }

    private static MembershipComponent.Config pollEverySecond() {
        return new MembershipComponent.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return MembershipComponent.Config.class;
            }

            @Override
            public int poll_interval() {
                return 1;
            }
        };
    }

    private static void waitFor(java.util.function.BooleanSupplier c) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!c.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited 20 s").isLessThan(end);
            Thread.sleep(20);
        }
    }
}
