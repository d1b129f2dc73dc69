package org.halo4j.node.invitations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.halo4j.credentials.VerifiedCredential;
import org.halo4j.invitations.HostedInvitation;
import org.halo4j.invitations.InvitationException;
import org.halo4j.keys.Argon2Settings;
import org.halo4j.net.ChannelLimits;
import org.halo4j.net.PeerChannel;
import org.halo4j.net.PeerConnector;
import org.halo4j.net.PeerServer;
import org.halo4j.node.agent.Agent;
import org.halo4j.node.agent.AgentException;
import org.halo4j.node.agent.MemberSummary;
import org.halo4j.node.agent.NewIdentity;
import org.halo4j.node.agent.SpaceSummary;
import org.halo4j.node.agent.Wallet;
import org.halo4j.node.server.HaloNode;
import org.halo4j.proto.v1.DelegatedInvitation;
import org.halo4j.proto.v1.InvitationAuth;
import org.halo4j.proto.v1.InvitationDelegated;
import org.halo4j.proto.v1.InvitationHostProof;
import org.halo4j.proto.v1.InvitationKind;
import org.halo4j.proto.v1.PeerMessage;
import org.halo4j.proto.v1.SpaceRole;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An invitation handed over from the admin who created it to another admin, who hosts it through the node's
 * relay: the guest joins with the code; the hand-over, which every member replicates, opens for the delegate's
 * device only; a member who shows it from her own device is refused before the guest sends anything; the count
 * of wrong codes carries over; and the space's rules refuse a hand-over between members who may not invite.
 */
class DelegationTest {

    private static final char[] PASS = "correct horse battery staple".toCharArray();
    private static final ChannelLimits LIMITS = ChannelLimits.DEFAULT;
    private static final Clock CLOCK = Clock.systemUTC();

    private final List<AutoCloseable> open = new ArrayList<>();
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @TempDir
    Path dir;

    private Agent alice;
    private Agent carol;
    private Agent bob;
    private Agent mallory;
    private SpaceSummary garden;
    private URI aliceAt;
    private URI nodeAt;

    @AfterEach
    void closeAll() throws Exception {
        threads.shutdownNow();
        Collections.reverse(open);
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    /** Alice owns "garden"; Carol joined it as ADMIN and Mallory as READER; a node relays. */
    @BeforeEach
    void aSpaceWithTwoAdmins() throws Exception {
        alice = agent("alice");
        carol = agent("carol");
        bob = agent("bob");
        mallory = agent("mallory");
        garden = alice.createSpace("garden");
        InvitationHost aliceHost = new InvitationHost(alice, CLOCK, LIMITS);
        PeerServer server = aliceHost.listen("127.0.0.1", 0, (k, i, g, c, m) -> { });
        open.add(server);
        aliceAt = URI.create("ws://127.0.0.1:" + server.address().getPort());
        for (Agent guest : List.of(carol, mallory)) {
            HostedInvitation direct = aliceHost.create(new InvitationHost.Request(InvitationKind.INVITATION_KIND_SPACE,
                    Optional.of(garden.spaceId()), guest == carol ? SpaceRole.SPACE_ROLE_ADMIN : SpaceRole.SPACE_ROLE_READER,
                    false, Duration.ofMinutes(10), InvitationAuth.INVITATION_AUTH_SHARED_SECRET, Optional.empty(),
                    Optional.empty(), Optional.of(aliceAt)));
            InvitationGuest.joinSpace(guest, direct.invitation(), direct.code(), connector(), LIMITS, CLOCK);
        }
        Agent nodeAgent = agent("node");
        HaloNode node = HaloNode.start(nodeAgent, "127.0.0.1", 0, LIMITS, Duration.ofSeconds(30), line -> { });
        open.add(node);
        nodeAt = URI.create("ws://127.0.0.1:" + node.address().getPort());
    }

    private Agent agent(String name) throws Exception {
        Wallet w = Wallet.open(dir.resolve(name), Argon2Settings.forTests());
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

    private void syncWithAlice(Agent agent) throws Exception {
        try (PeerChannel c = PeerChannel.initiate(connector().connect(aliceAt.resolve(HaloNode.PEER_PATH)),
                agent.localDevice(), "sync", agent.verifierForSync(), LIMITS)) {
            agent.sync(c, true);
        }
    }

    /** Alice makes an invitation to EDITOR met through the node, with a code. */
    private HostedInvitation relayedInvitation(InvitationHost host) throws Exception {
        return host.create(new InvitationHost.Request(InvitationKind.INVITATION_KIND_SPACE,
                Optional.of(garden.spaceId()), SpaceRole.SPACE_ROLE_EDITOR, false, Duration.ofMinutes(10),
                InvitationAuth.INVITATION_AUTH_SHARED_SECRET, Optional.empty(), Optional.of(nodeAt), Optional.empty()));
    }

    private static String wrong(String code) {
        return code.equals("000000") ? "000001" : "000000";
    }

    @Test
    void anotherAdminHostsAHandedOverInvitationAndTheGuestJoinsWithTheCode() throws Exception {
        InvitationHost aliceHost = new InvitationHost(alice, CLOCK, LIMITS);
        HostedInvitation inv = relayedInvitation(aliceHost);
        // a wrong code before the hand-over: the delegate continues from there
        aliceHost.store().update(inv.id(), cur -> {
            HostedInvitation.Decision d = cur.attempt(wrong(inv.code()), mallory.identity(), Instant.now());
            return new InvitationStore.Change<>(d.next(), d);
        });

        HostedInvitation handedOver = aliceHost.delegate(inv.id(), carol.identity());
        assertThat(handedOver.state()).isEqualTo(HostedInvitation.State.DELEGATED);
        assertThat(handedOver.attempt(inv.code(), bob.identity(), Instant.now()).outcome())
                .isEqualTo(HostedInvitation.Outcome.DELEGATED);

        syncWithAlice(carol);
        InvitationHost carolHost = new InvitationHost(carol, CLOCK, LIMITS);
        List<String> skipped = new ArrayList<>();
        assertThat(carolHost.importDelegations(skipped)).containsExactly(inv.id());
        assertThat(skipped).isEmpty();
        HostedInvitation carols = carolHost.store().find(inv.id(), Instant.now());
        assertThat(carols.state()).isEqualTo(HostedInvitation.State.OPEN);
        assertThat(carols.failed()).isEqualTo(1);
        assertThat(carols.code()).isEqualTo(inv.code());
        assertThat(carols.role()).isEqualTo(SpaceRole.SPACE_ROLE_EDITOR);
        assertThat(carolHost.importDelegations(skipped)).isEmpty(); // taken once

        CountDownLatch stop = new CountDownLatch(1);
        PeerConnector hostConnector = connector();
        Future<?> hosting = threads.submit(() -> {
            carolHost.host(inv.id(), hostConnector, stop, (k, i, g, c, m) -> { });
            return null;
        });
        Thread.sleep(300); // Carol waits on the topic
        InvitationGuest.JoinedSpace joined = InvitationGuest.joinSpace(bob, inv.invitation(), inv.code(), connector(),
                LIMITS, CLOCK);
        stop.countDown();
        hosting.get(30, TimeUnit.SECONDS);

        assertThat(joined.space().myRole()).contains(SpaceRole.SPACE_ROLE_EDITOR);
        assertThat(bob.members(garden.spaceId())).extracting(MemberSummary::identity)
                .contains(alice.identity(), carol.identity(), bob.identity());
        assertThat(carolHost.store().find(inv.id(), Instant.now()).state()).isEqualTo(HostedInvitation.State.USED);
        syncWithAlice(carol);
        assertThat(alice.members(garden.spaceId())).filteredOn(m -> m.identity().equals(bob.identity()))
                .extracting(MemberSummary::role).containsExactly(SpaceRole.SPACE_ROLE_EDITOR);
    }

    @Test
    void theHandOverThatEveryMemberReplicatesOpensOnlyForTheDelegatesDevice() throws Exception {
        InvitationHost aliceHost = new InvitationHost(alice, CLOCK, LIMITS);
        HostedInvitation inv = relayedInvitation(aliceHost);
        aliceHost.delegate(inv.id(), carol.identity());
        syncWithAlice(mallory);
        syncWithAlice(carol);
        VerifiedCredential handOver = carol.delegationsToMe().get(0);
        InvitationDelegated d = (InvitationDelegated) handOver.assertion();
        assertThat(d.toString()).doesNotContain(inv.code());
        assertThat(mallory.delegationsToMe()).isEmpty(); // she holds it (it is in Alice's feed), but it is not hers

        // Mallory tries it with her own device, and as Carol's device with her own key
        assertThatThrownBy(() -> Delegations.open(d, mallory.device(), mallory::agree))
                .extracting(e -> ((InvitationException) e).code()).isEqualTo("invitation.not_sealed_here");
        assertThatThrownBy(() -> Delegations.open(d, carol.device(), mallory::agree))
                .extracting(e -> ((InvitationException) e).code()).isEqualTo("invitation.sealed");
        // and with a low-order ephemeral key in a copy she seals herself
        InvitationDelegated lowOrder = d.toBuilder().setSealed(0, d.getSealed(0).toBuilder()
                .setEphemeral(com.google.protobuf.ByteString.copyFrom(new byte[32]))).build();
        assertThatThrownBy(() -> Delegations.open(lowOrder, carol.device(), carol::agree))
                .extracting(e -> ((InvitationException) e).code()).isEqualTo("invitation.sealed");

        DelegatedInvitation opened = Delegations.open(d, carol.device(), carol::agree);
        assertThat(opened.getCode()).isEqualTo(inv.code());
        assertThat(opened.getInvitation()).isEqualTo(inv.invitation());
    }

    @Test
    void aMemberWhoShowsTheHandOverFromHerOwnDeviceIsRefusedBeforeTheGuestSendsAnything() throws Exception {
        InvitationHost aliceHost = new InvitationHost(alice, CLOCK, LIMITS);
        HostedInvitation inv = relayedInvitation(aliceHost);
        aliceHost.delegate(inv.id(), carol.identity());
        syncWithAlice(carol);
        // every member replicates the hand-over (it is in Alice's control feed); Mallory waits on the invitation's
        // topic and shows it as her own
        byte[] proof = carol.delegationsToMe().get(0).credential().toByteArray();
        List<PeerMessage> seen = new CopyOnWriteArrayList<>();
        URI topic = nodeAt.resolve(HaloNode.RELAY_PATH + HexFormat.of().formatHex(inv.invitation().getTopic().toByteArray()));
        PeerConnector mc = connector();
        threads.submit(() -> {
            PeerChannel ch = PeerChannel.accept(mc.connect(topic), mallory.localDevice(), mallory.verifier(), LIMITS);
            ch.send(PeerMessage.newBuilder().setInvitationHostProof(InvitationHostProof.newBuilder()
                    .setDelegation(org.halo4j.proto.v1.Credential.parseFrom(proof))).build());
            while (true) {
                seen.add(ch.receive());
            }
        });
        Thread.sleep(300);
        assertThatThrownBy(() -> InvitationGuest.joinSpace(bob, inv.invitation(), inv.code(), connector(), LIMITS, CLOCK))
                .extracting(e -> ((InvitationException) e).code()).isEqualTo("invitation.host_mismatch");
        Thread.sleep(300);
        assertThat(seen).noneMatch(PeerMessage::hasInvitationRequest);
        assertThat(seen.toString()).doesNotContain(inv.code());
    }

    @Test
    void aHandOverBetweenMembersWhoMayNotInviteIsRefused() throws Exception {
        InvitationHost aliceHost = new InvitationHost(alice, CLOCK, LIMITS);
        HostedInvitation inv = relayedInvitation(aliceHost);
        // checked before anything is written: Mallory is a READER
        assertThatThrownBy(() -> aliceHost.delegate(inv.id(), mallory.identity()))
                .extracting(e -> ((AgentException) e).code()).isEqualTo("invitation.delegate_role");
        assertThat(aliceHost.open(inv.id())).isTrue();
        // and by the space's rules, for a writer that skips the check
        syncWithAlice(mallory);
        InvitationDelegated forged = InvitationDelegated.newBuilder().setSpaceKey(inv.invitation().getSpaceKey())
                .setInvitationId(inv.invitation().getInvitationId()).setRole(SpaceRole.SPACE_ROLE_EDITOR)
                .setExpiresAt(inv.invitation().getExpiresAt()).addSealed(Delegations.seal(DelegatedInvitation
                        .newBuilder().setInvitation(inv.invitation()).setCode("123456").build(), mallory.device())).build();
        assertThatThrownBy(() -> alice.delegateInvitation(garden.spaceId(), mallory.identity(), forged))
                .extracting(e -> ((AgentException) e).code()).isEqualTo("space.role.not_authorized");
        assertThatThrownBy(() -> mallory.delegateInvitation(garden.spaceId(), mallory.identity(), forged))
                .extracting(e -> ((AgentException) e).code()).isEqualTo("space.role.not_authorized");
        // a direct invitation is reached at its creator's address: it cannot be handed over
        PeerServer s = aliceHost.listen("127.0.0.1", 0, (k, i, g, c, m) -> { });
        open.add(s);
        HostedInvitation direct = aliceHost.create(new InvitationHost.Request(InvitationKind.INVITATION_KIND_SPACE,
                Optional.of(garden.spaceId()), SpaceRole.SPACE_ROLE_READER, false, Duration.ofMinutes(10),
                InvitationAuth.INVITATION_AUTH_SHARED_SECRET, Optional.empty(), Optional.empty(),
                Optional.of(URI.create("ws://127.0.0.1:" + s.address().getPort()))));
        assertThatThrownBy(() -> aliceHost.delegate(direct.id(), carol.identity()))
                .extracting(e -> ((AgentException) e).code()).isEqualTo("invitation.direct");
    }
}
