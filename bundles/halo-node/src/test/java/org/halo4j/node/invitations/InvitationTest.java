package org.halo4j.node.invitations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.halo4j.invitations.HostedInvitation;
import org.halo4j.invitations.InvitationException;
import org.halo4j.keys.Argon2Settings;
import org.halo4j.net.ChannelLimits;
import org.halo4j.net.PeerChannel;
import org.halo4j.net.PeerConnector;
import org.halo4j.net.PeerServer;
import org.halo4j.node.agent.Agent;
import org.halo4j.node.agent.MemberSummary;
import org.halo4j.node.agent.NewIdentity;
import org.halo4j.node.agent.SpaceSummary;
import org.halo4j.node.agent.Wallet;
import org.halo4j.node.server.HaloNode;
import org.halo4j.proto.v1.InvitationAuth;
import org.halo4j.proto.v1.InvitationKind;
import org.halo4j.proto.v1.PeerMessage;
import org.halo4j.proto.v1.SpaceRole;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Space and device invitations end to end on loopback: direct, through a node's relay, and attacked. */
class InvitationTest {

    private static final char[] PASS = "correct horse battery staple".toCharArray();
    private static final ChannelLimits LIMITS = ChannelLimits.DEFAULT;

    private final List<AutoCloseable> open = new ArrayList<>();
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void closeAll() throws Exception {
        threads.shutdownNow();
        Collections.reverse(open);
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    private Wallet wallet(Path home) throws Exception {
        return Wallet.open(home, Argon2Settings.forTests());
    }

    private Agent agent(Path home, String name) throws Exception {
        Wallet w = wallet(home);
        NewIdentity id = w.create(Optional.of(name), name + "'s laptop", PASS);
        Agent a = w.open(Optional.of(id.did()), PASS);
        open.add(a);
        return a;
    }

    private PeerConnector connector() throws Exception {
        PeerConnector c = new PeerConnector(LIMITS);
        open.add(c);
        return c;
    }

    private InvitationHost.Events log() {
        return (kind, inv, guest, code, message) -> events.add(kind + " " + code);
    }

    /** Alice hosts a direct space invitation on loopback. */
    private HostedInvitation hostDirect(Agent alice, String space, InvitationAuth auth, boolean multiUse) throws Exception {
        InvitationHost host = new InvitationHost(alice, Clock.systemUTC(), LIMITS);
        PeerServer server = host.listen("127.0.0.1", 0, log());
        open.add(server);
        URI address = URI.create("ws://127.0.0.1:" + server.address().getPort());
        return host.create(new InvitationHost.Request(InvitationKind.INVITATION_KIND_SPACE, Optional.of(space),
                SpaceRole.SPACE_ROLE_EDITOR, multiUse, Duration.ofMinutes(10), auth, Optional.empty(), Optional.empty(),
                Optional.of(address)));
    }

    @Test
    void aGuestWithTheCodeJoinsTheSpaceAndBothSidesConverge(@TempDir Path a, @TempDir Path b) throws Exception {
        Agent alice = agent(a, "Alice");
        Agent bob = agent(b, "Bob");
        SpaceSummary garden = alice.createSpace("garden");
        HostedInvitation inv = hostDirect(alice, garden.spaceId(), InvitationAuth.INVITATION_AUTH_SHARED_SECRET, false);

        InvitationGuest.JoinedSpace joined = InvitationGuest.joinSpace(bob, inv.invitation(), inv.code(), connector(),
                LIMITS, Clock.systemUTC());
        assertThat(joined.space().myRole()).contains(SpaceRole.SPACE_ROLE_EDITOR);
        assertThat(bob.members(garden.spaceId())).extracting(MemberSummary::identity)
                .containsExactlyInAnyOrder(alice.identity(), bob.identity());
        assertThat(alice.members(garden.spaceId())).extracting(MemberSummary::role).contains(SpaceRole.SPACE_ROLE_EDITOR);
        assertThat(new InvitationHost(alice, Clock.systemUTC(), LIMITS).store().find(inv.id(), java.time.Instant.now())
                .state()).isEqualTo(HostedInvitation.State.USED);
        // a single-use invitation cannot be used again
        assertThatThrownBy(() -> InvitationGuest.joinSpace(bob, inv.invitation(), inv.code(), connector(), LIMITS,
                Clock.systemUTC())).isInstanceOf(InvitationException.class)
                .extracting(e -> ((InvitationException) e).code()).isEqualTo("invitation.used");
    }

    @Test
    void threeWrongCodesLockTheInvitationForEveryoneAndTheRightCodeThenFails(@TempDir Path a, @TempDir Path b,
                                                                           @TempDir Path c) throws Exception {
        Agent alice = agent(a, "Alice");
        Agent bob = agent(b, "Bob");
        Agent eve = agent(c, "Eve");
        SpaceSummary garden = alice.createSpace("garden");
        HostedInvitation inv = hostDirect(alice, garden.spaceId(), InvitationAuth.INVITATION_AUTH_SHARED_SECRET, true);
        String wrong = inv.code().equals("000000") ? "000001" : "000000";
        List<String> codes = new ArrayList<>();
        for (int i = 0; i < 3; i++) { // each try on a fresh connection: the count is per invitation
            try {
                InvitationGuest.joinSpace(eve, inv.invitation(), wrong, connector(), LIMITS, Clock.systemUTC());
            } catch (InvitationException e) {
                codes.add(e.code());
            }
        }
        assertThat(codes).containsExactly("invitation.wrong_code", "invitation.wrong_code", "invitation.locked");
        assertThatThrownBy(() -> InvitationGuest.joinSpace(bob, inv.invitation(), inv.code(), connector(), LIMITS,
                Clock.systemUTC())).extracting(e -> ((InvitationException) e).code()).isEqualTo("invitation.locked");
        assertThat(events).contains("locked invitation.wrong_code");
        assertThat(alice.members(garden.spaceId())).hasSize(1);
    }

    @Test
    void aManInTheMiddleNeverSeesTheCode(@TempDir Path a, @TempDir Path b, @TempDir Path m) throws Exception {
        Agent alice = agent(a, "Alice");
        Agent bob = agent(b, "Bob");
        Agent mallory = agent(m, "Mallory");
        SpaceSummary garden = alice.createSpace("garden");
        // Mallory answers at the address the invitation names (she took over the port, or the relay sent the
        // guest to her): she runs a correct handshake with her own device, and records what the guest sends
        List<PeerMessage> seen = new CopyOnWriteArrayList<>();
        PeerServer fake = PeerServer.start("127.0.0.1", 0, LIMITS, Map.of(HaloNode.PEER_PATH, (t, p) -> {
            PeerChannel ch = PeerChannel.accept(t, mallory.localDevice(), mallory.verifier(), LIMITS);
            while (true) {
                seen.add(ch.receive());
            }
        }));
        open.add(fake);
        InvitationHost host = new InvitationHost(alice, Clock.systemUTC(), LIMITS);
        HostedInvitation inv = host.create(new InvitationHost.Request(InvitationKind.INVITATION_KIND_SPACE,
                Optional.of(garden.spaceId()), SpaceRole.SPACE_ROLE_READER, false, Duration.ofMinutes(5),
                InvitationAuth.INVITATION_AUTH_SHARED_SECRET, Optional.empty(), Optional.empty(),
                Optional.of(URI.create("ws://127.0.0.1:" + fake.address().getPort()))));
        assertThatThrownBy(() -> InvitationGuest.joinSpace(bob, inv.invitation(), inv.code(), connector(), LIMITS,
                Clock.systemUTC())).extracting(e -> ((InvitationException) e).code()).isEqualTo("invitation.host_mismatch");
        Thread.sleep(300);
        assertThat(seen).noneMatch(PeerMessage::hasInvitationRequest);
        assertThat(seen.toString()).doesNotContain(inv.code());
    }

    @Test
    void anExpiredInvitationIsRefusedBeforeConnecting(@TempDir Path a, @TempDir Path b) throws Exception {
        Agent alice = agent(a, "Alice");
        Agent bob = agent(b, "Bob");
        SpaceSummary garden = alice.createSpace("garden");
        HostedInvitation inv = hostDirect(alice, garden.spaceId(), InvitationAuth.INVITATION_AUTH_SHARED_SECRET, false);
        Clock later = Clock.offset(Clock.systemUTC(), Duration.ofMinutes(11));
        assertThatThrownBy(() -> InvitationGuest.joinSpace(bob, inv.invitation(), inv.code(), connector(), LIMITS, later))
                .extracting(e -> ((InvitationException) e).code()).isEqualTo("invitation.expired");
    }

    @Test
    void aSecondDeviceJoinsThroughANodesRelayAndReceivesTheHaloAndTheSpaces(@TempDir Path a, @TempDir Path n,
                                                                         @TempDir Path phone) throws Exception {
        Agent alice = agent(a, "Alice");
        SpaceSummary garden = alice.createSpace("garden");
        Agent nodeAgent = agent(n, "node");
        HaloNode node = HaloNode.start(nodeAgent, "127.0.0.1", 0, LIMITS, Duration.ofSeconds(30), line -> { });
        open.add(node);
        URI nodeAt = URI.create("ws://127.0.0.1:" + node.address().getPort());

        InvitationHost host = new InvitationHost(alice, Clock.systemUTC(), LIMITS);
        HostedInvitation inv = host.create(new InvitationHost.Request(InvitationKind.INVITATION_KIND_DEVICE,
                Optional.empty(), SpaceRole.SPACE_ROLE_READER, false, Duration.ofMinutes(5),
                InvitationAuth.INVITATION_AUTH_SHARED_SECRET, Optional.empty(), Optional.of(nodeAt), Optional.empty()));
        CountDownLatch stop = new CountDownLatch(1);
        PeerConnector hostConnector = connector();
        threads.submit(() -> {
            host.host(inv.id(), hostConnector, stop, log());
            return null;
        });
        Thread.sleep(300); // the host waits on the topic

        Wallet phoneWallet = wallet(phone);
        InvitationGuest.JoinedDevice joined = InvitationGuest.joinDevice(phoneWallet, inv.invitation(), inv.code(),
                "phone", PASS, connector(), LIMITS, Clock.systemUTC());
        stop.countDown();
        assertThat(joined.did()).isEqualTo(alice.did());
        try (Agent onPhone = phoneWallet.open(Optional.of(joined.did()), PASS)) {
            assertThat(onPhone.haloSynced()).isTrue();
            assertThat(onPhone.state().devices()).hasSize(2);
            assertThat(onPhone.spaces()).extracting(SpaceSummary::spaceId).containsExactly(garden.spaceId());
            assertThat(onPhone.members(garden.spaceId())).extracting(MemberSummary::identity).contains(alice.identity());
        }
        assertThat(alice.state().devices()).hasSize(2);
        assertThat(events).contains("accepted ");
    }

    @Test
    void aWalletThatAlreadyHoldsTheIdentityIsStoppedBeforeAnythingIsAuthorized(@TempDir Path a) throws Exception {
        Agent alice = agent(a, "Alice");
        InvitationHost host = new InvitationHost(alice, Clock.systemUTC(), LIMITS);
        PeerServer server = host.listen("127.0.0.1", 0, log());
        open.add(server);
        HostedInvitation inv = host.create(new InvitationHost.Request(InvitationKind.INVITATION_KIND_DEVICE,
                Optional.empty(), SpaceRole.SPACE_ROLE_READER, false, Duration.ofMinutes(5),
                InvitationAuth.INVITATION_AUTH_SHARED_SECRET, Optional.empty(), Optional.empty(),
                Optional.of(URI.create("ws://127.0.0.1:" + server.address().getPort()))));
        assertThatThrownBy(() -> InvitationGuest.joinDevice(wallet(a), inv.invitation(), inv.code(), "again", PASS,
                connector(), LIMITS, Clock.systemUTC()))
                .isInstanceOf(org.halo4j.node.agent.AgentException.class)
                .extracting(e -> ((org.halo4j.node.agent.AgentException) e).code()).isEqualTo("identity.exists");
        assertThat(host.open(inv.id())).isTrue();
        assertThat(alice.state().devices()).hasSize(1);
    }

    @Test
    void aKnownKeyInvitationLetsInOnlyThatIdentityAndNeedsNoCode(@TempDir Path a, @TempDir Path b, @TempDir Path e)
            throws Exception {
        Agent alice = agent(a, "Alice");
        Agent bob = agent(b, "Bob");
        Agent eve = agent(e, "Eve");
        SpaceSummary garden = alice.createSpace("garden");
        InvitationHost host = new InvitationHost(alice, Clock.systemUTC(), LIMITS);
        PeerServer server = host.listen("127.0.0.1", 0, log());
        open.add(server);
        HostedInvitation inv = host.create(new InvitationHost.Request(InvitationKind.INVITATION_KIND_SPACE,
                Optional.of(garden.spaceId()), SpaceRole.SPACE_ROLE_READER, false, Duration.ofMinutes(5),
                InvitationAuth.INVITATION_AUTH_KNOWN_KEY, Optional.of(bob.identity()), Optional.empty(),
                Optional.of(URI.create("ws://127.0.0.1:" + server.address().getPort()))));
        assertThat(inv.code()).isEmpty();
        assertThatThrownBy(() -> InvitationGuest.joinSpace(eve, inv.invitation(), "", connector(), LIMITS,
                Clock.systemUTC())).extracting(x -> ((InvitationException) x).code()).isEqualTo("invitation.wrong_guest");
        assertThat(InvitationGuest.joinSpace(bob, inv.invitation(), "", connector(), LIMITS, Clock.systemUTC())
                .space().myRole()).contains(SpaceRole.SPACE_ROLE_READER);
    }
}
