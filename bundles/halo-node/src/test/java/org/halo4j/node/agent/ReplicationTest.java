package org.halo4j.node.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.halo4j.keys.PublicKey;
import org.halo4j.net.ChannelLimits;
import org.halo4j.net.PeerChannel;
import org.halo4j.net.PeerConnector;
import org.halo4j.net.PeerException;
import org.halo4j.net.PeerServer;
import org.halo4j.proto.v1.SpaceRole;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two wallets replicate a space over a real peer channel on loopback. */
class ReplicationTest {

    private static final char[] PASS = "correct horse battery staple".toCharArray();

    private final List<AutoCloseable> open = new ArrayList<>();
    /** What the serving side's sessions ended with: a SyncReport or an exception. */
    private final BlockingQueue<Object> served = new ArrayBlockingQueue<>(16);

    @AfterEach
    void closeAll() throws Exception {
        java.util.Collections.reverse(open);
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    private Agent agent(Path home, String name) throws Exception {
        Wallet w = AgentTest.wallet(home);
        NewIdentity id = w.create(Optional.of(name), name + "'s laptop", PASS);
        Agent a = w.open(Optional.of(id.did()), PASS);
        open.add(a);
        return a;
    }

    /** Alice creates "garden" and gives Bob {@code role}; Bob starts keeping it (its state arrives by sync). */
    private static SpaceSummary gardenWith(Agent alice, Agent bob, SpaceRole role) throws Exception {
        SpaceSummary space = alice.createSpace("garden");
        alice.setRole(space.spaceId(), bob.identity(), role);
        bob.joinSpace(space.spaceKey(), "garden");
        return space;
    }

    /** Serves {@code agent} to every peer that connects, as a node would. */
    private URI serve(Agent agent) throws Exception {
        PeerServer s = PeerServer.start("127.0.0.1", 0, ChannelLimits.DEFAULT, Map.of("/halo/v1/peer", (t, path) -> {
            try {
                PeerChannel c;
                synchronized (agent) {
                    c = PeerChannel.accept(t, agent.localDevice(), agent.verifier(), ChannelLimits.DEFAULT);
                }
                served.add(agent.sync(c, false));
            } catch (Exception e) {
                served.add(e);
            }
        }));
        open.add(s);
        return URI.create("ws://127.0.0.1:" + s.address().getPort() + "/halo/v1/peer");
    }

    private SyncReport syncWith(Agent agent, URI uri) throws Exception {
        PeerConnector connector = new PeerConnector(ChannelLimits.DEFAULT);
        open.add(connector);
        PeerChannel c = PeerChannel.initiate(connector.connect(uri), agent.localDevice(), "sync", agent.verifierForSync(),
                ChannelLimits.DEFAULT);
        try {
            return agent.sync(c, true);
        } finally {
            c.close();
        }
    }

    private Object servedResult() throws InterruptedException {
        Object o = served.poll(30, TimeUnit.SECONDS);
        assertThat(o).as("the serving side finished").isNotNull();
        return o;
    }

    @Test
    void aNewMemberReceivesTheSpaceAndItsFeedIsAdmitted(@TempDir Path a, @TempDir Path b) throws Exception {
        Agent alice = agent(a, "Alice");
        Agent bob = agent(b, "Bob");
        SpaceSummary space = gardenWith(alice, bob, SpaceRole.SPACE_ROLE_EDITOR);
        URI aliceAt = serve(alice);

        SyncReport r = syncWith(bob, aliceAt);
        assertThat(r.complete()).isTrue();
        assertThat(r.received()).isPositive();
        assertThat(servedResult()).isInstanceOf(SyncReport.class);

        assertThat(bob.members(space.spaceId())).extracting(MemberSummary::identity, MemberSummary::role)
                .contains(org.assertj.core.groups.Tuple.tuple(alice.identity(), SpaceRole.SPACE_ROLE_OWNER),
                        org.assertj.core.groups.Tuple.tuple(bob.identity(), SpaceRole.SPACE_ROLE_EDITOR));
        // Bob's feed is admitted on both sides: what Bob writes now reaches Alice
        IdentityMeta.SpaceRef bobsRef = bob.meta().spaces().get(0);
        assertThat(alice.stateOf(alice.meta().spaces().get(0)).feeds()).containsKey(bobsRef.feed());
        assertThat(bob.stateOf(bobsRef).feeds()).containsKey(bobsRef.feed());

        // Bob (EDITOR) leaves; Alice learns it at the next sync
        bob.setRole(space.spaceId(), bob.identity(), SpaceRole.SPACE_ROLE_READER);
        syncWith(bob, aliceAt);
        assertThat(servedResult()).isInstanceOf(SyncReport.class);
        assertThat(alice.space(space.spaceId()).members()).isEqualTo(2);
        assertThat(alice.stateOf(alice.meta().spaces().get(0)).roleOf(bob.identity())).contains(SpaceRole.SPACE_ROLE_READER);

        // a second sync with nothing new is quiet and sends nothing
        SyncReport again = syncWith(bob, aliceAt);
        assertThat(again.received()).isZero();
        assertThat(again.sent()).isZero();
        assertThat(again.turns()).isEqualTo(2);
    }

    @Test
    void aRemovedMemberGetsNothingNew(@TempDir Path a, @TempDir Path b, @TempDir Path c) throws Exception {
        Agent alice = agent(a, "Alice");
        Agent bob = agent(b, "Bob");
        Agent carol = agent(c, "Carol");
        SpaceSummary space = gardenWith(alice, bob, SpaceRole.SPACE_ROLE_READER);
        URI aliceAt = serve(alice);
        syncWith(bob, aliceAt);
        servedResult();

        alice.remove(space.spaceId(), bob.identity());
        alice.setRole(space.spaceId(), carol.identity(), SpaceRole.SPACE_ROLE_EDITOR);
        assertThatThrownBy(() -> syncWith(bob, aliceAt)).isInstanceOf(PeerException.class)
                .extracting(e -> ((PeerException) e).code()).isEqualTo("peer.not_member");
        assertThat(((SyncReport) servedResult()).notes()).anyMatch(n -> n.contains("is served nothing"));
        assertThat(bob.members(space.spaceId())).extracting(MemberSummary::identity).doesNotContain(carol.identity());
    }

    @Test
    void aStrangerGetsNothing(@TempDir Path a, @TempDir Path b) throws Exception {
        Agent alice = agent(a, "Alice");
        Agent mallory = agent(b, "Mallory");
        SpaceSummary space = alice.createSpace("garden");
        mallory.joinSpace(space.spaceKey(), "garden"); // knows the key, is not a member
        URI aliceAt = serve(alice);
        assertThatThrownBy(() -> syncWith(mallory, aliceAt)).isInstanceOf(PeerException.class)
                .extracting(e -> ((PeerException) e).code()).isEqualTo("peer.not_member");
        servedResult();
        assertThat(mallory.members(space.spaceId())).isEmpty();
    }

    @Test
    void aPeerThatSendsAForgedEntryIsCutOffAndNothingBreaks(@TempDir Path a, @TempDir Path b) throws Exception {
        Agent alice = agent(a, "Alice");
        Agent bob = agent(b, "Bob");
        SpaceSummary space = gardenWith(alice, bob, SpaceRole.SPACE_ROLE_EDITOR);
        URI aliceAt = serve(alice);
        syncWith(bob, aliceAt);
        servedResult();
        // Bob turns hostile: his stored copy of Alice's feed gets a forged tail, which he then serves to Alice
        PublicKey aliceFeed = alice.meta().spaces().get(0).feed();
        ForgedServer forged = new ForgedServer(bob, space.spaceKey(), aliceFeed);
        open.add(forged);
        assertThatThrownBy(() -> syncWith(alice, forged.uri())).isInstanceOf(PeerException.class)
                .extracting(e -> ((PeerException) e).code()).isEqualTo("peer.invalid_entry");
        assertThat(alice.members(space.spaceId())).hasSize(2);
        assertThat(alice.audit(space.spaceId())).isEmpty();
    }

    @Test
    void aMembersGarbageAndForkAreReportedAndTheSpaceStaysReadable(@TempDir Path a, @TempDir Path b) throws Exception {
        Agent alice = agent(a, "Alice");
        Agent bob = agent(b, "Bob");
        SpaceSummary space = gardenWith(alice, bob, SpaceRole.SPACE_ROLE_EDITOR);
        syncWith(bob, serve(alice));
        servedResult();
        IdentityMeta.SpaceRef bobsRef = bob.meta().spaces().get(0);
        org.halo4j.keys.Keyring bobsKeys = bob.keyringForSigning();

        // validly signed entries that carry no credential: stored, refused by the replay, listed by the audit
        try (ForgedServer garbage = new ForgedServer(bob, space.spaceKey(), (feed, theirs) -> {
            org.halo4j.feeds.FeedWriter w = org.halo4j.feeds.FeedWriter.of(bobsKeys, feed);
            Optional<org.halo4j.feeds.VerifiedEntry> last = theirs == 0 ? Optional.empty() : Optional.of(
                    org.halo4j.feeds.FeedVerifier.verify(bob.feedLog().read(feed, theirs - 1, theirs).get(0)));
            List<org.halo4j.proto.v1.FeedEntry> out = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                org.halo4j.proto.v1.FeedEntry e = w.next(last,
                        com.google.protobuf.ByteString.copyFromUtf8("not a credential " + i));
                out.add(e);
                last = Optional.of(org.halo4j.feeds.FeedVerifier.verify(e));
            }
            return out;
        })) {
            SyncReport r = syncWith(alice, garbage.uri());
            assertThat(r.received()).isEqualTo(3);
        }
        assertThat(alice.members(space.spaceId())).hasSize(2);
        assertThat(alice.audit(space.spaceId())).hasSize(3);

        // a second entry at a position Alice holds, signed by Bob's feed key: a fork, reported with its proof kept
        long held = alice.feedLog().length(bobsRef.feed());
        try (ForgedServer fork = new ForgedServer(bob, space.spaceKey(), (feed, theirs) -> {
            org.halo4j.feeds.FeedWriter w = org.halo4j.feeds.FeedWriter.of(bobsKeys, feed);
            org.halo4j.feeds.VerifiedEntry before = org.halo4j.feeds.FeedVerifier.verify(
                    alice.feedLog().read(feed, theirs - 2, theirs - 1).get(0));
            return List.of(w.next(Optional.of(before), com.google.protobuf.ByteString.copyFromUtf8("the other story")));
        })) {
            SyncReport r = syncWith(alice, fork.uri());
            assertThat(r.notes()).anyMatch(n -> n.contains("feed " + bobsRef.feed().shortId() + " is forked"));
        }
        // the import saw the fork: the feed is cut at the fork position and the proof is kept
        assertThat(alice.feedLog().length(bobsRef.feed())).isLessThan(held);
        assertThat(alice.members(space.spaceId())).hasSize(2);
    }

    @Test
    void aStateKeptUpToDateAcrossSyncsEqualsAFullReplay(@TempDir Path a, @TempDir Path b) throws Exception {
        Wallet aliceWallet = AgentTest.wallet(a);
        NewIdentity id = aliceWallet.create(Optional.of("Alice"), "laptop", PASS);
        Agent alice = aliceWallet.open(Optional.of(id.did()), PASS);
        Agent bob = agent(b, "Bob");
        SpaceSummary space = gardenWith(alice, bob, SpaceRole.SPACE_ROLE_ADMIN);
        URI aliceAt = serve(alice);
        for (int round = 0; round < 3; round++) {
            syncWith(bob, aliceAt);
            servedResult();
            // both write between syncs: Alice's state grows by her own appends and by Bob's entries
            Agent other = agent(b.resolve("member-" + round), "Member" + round); // inside the temp dir: cleaned up
            bob.setRole(space.spaceId(), other.identity(), SpaceRole.SPACE_ROLE_EDITOR);
            alice.setRole(space.spaceId(), other.identity(), SpaceRole.SPACE_ROLE_READER);
        }
        syncWith(bob, aliceAt);
        servedResult();
        IdentityMeta.SpaceRef ref = alice.meta().spaces().get(0);
        org.halo4j.spaces.SpaceState kept = alice.stateOf(ref);
        alice.close();
        try (Agent fresh = aliceWallet.read(Optional.of(id.did()))) {
            org.halo4j.spaces.SpaceState replayed = fresh.stateOf(ref);
            assertThat(kept.applied()).containsExactlyInAnyOrderElementsOf(replayed.applied());
            assertThat(kept.members()).isEqualTo(replayed.members());
            assertThat(kept.feeds()).isEqualTo(replayed.feeds());
            assertThat(kept.refused().size()).isEqualTo(replayed.refused().size());
        }
    }

    @Test
    void aRecoveredDeviceLearnsItsHaloFromAnotherDeviceAndItsRevocationReachesIt(@TempDir Path a, @TempDir Path b)
            throws Exception {
        Wallet laptopWallet = AgentTest.wallet(a);
        NewIdentity id = laptopWallet.create(Optional.of("Ada"), "laptop", PASS);
        char[] words = id.phrase().toChars();
        id.phrase().close();
        Agent laptop = laptopWallet.open(Optional.of(id.did()), PASS);
        open.add(laptop);
        SpaceSummary garden = laptop.createSpace("garden");
        URI laptopAt = serve(laptop);

        Wallet newWallet = AgentTest.wallet(b);
        try (org.halo4j.keys.RecoveryPhrase p = org.halo4j.keys.RecoveryPhrase.parse(words)) {
            newWallet.recover(p, Optional.of("Ada"), "new laptop", PASS, true); // and revoke every other device
        }
        Agent recovered = newWallet.open(Optional.of(id.did()), PASS);
        open.add(recovered);
        assertThat(recovered.haloSynced()).isFalse();

        SyncReport r = syncWith(recovered, laptopAt);
        // once the laptop carried the recovery into the HALO, the recovered device serves it nothing more
        assertThat(servedResult()).isInstanceOf(PeerException.class)
                .extracting(e -> ((PeerException) e).code()).isEqualTo("peer.not_member");
        assertThat(r.notes()).contains("the HALO arrived");
        assertThat(recovered.haloSynced()).isTrue();
        assertThat(recovered.spaces()).extracting(SpaceSummary::spaceId).containsExactly(garden.spaceId());
        // the recovered device's HALO feed was admitted by the laptop, which now holds the recovery's revocation
        assertThat(laptop.state().devices()).hasSize(2);
        assertThat(laptop.state().device(laptop.device()).orElseThrow().revoked()).isTrue();
        assertThat(recovered.state().device(laptop.device()).orElseThrow().revoked()).isTrue();
        assertThat(recovered.state().device(recovered.device()).orElseThrow().revoked()).isFalse();
        // from now on the old laptop is served nothing by the recovered device
        URI recoveredAt = serve(recovered);
        assertThatThrownBy(() -> syncWith(laptop, recoveredAt)).isInstanceOf(PeerException.class);
        servedResult();
    }

    @Test
    void aSessionCutShortResumesWhereItStopped(@TempDir Path a, @TempDir Path b) throws Exception {
        Agent alice = agent(a, "Alice");
        Agent bob = agent(b, "Bob");
        SpaceSummary space = alice.createSpace("garden");
        alice.setRole(space.spaceId(), bob.identity(), SpaceRole.SPACE_ROLE_READER);
        org.halo4j.keys.InMemoryKeyring strangers = new org.halo4j.keys.InMemoryKeyring();
        for (int i = 0; i < 20; i++) {
            alice.setRole(space.spaceId(), strangers.generate(), SpaceRole.SPACE_ROLE_READER);
        }
        bob.joinSpace(space.spaceKey(), "garden");
        PublicKey aliceFeed = alice.meta().spaces().get(0).feed();
        long total = alice.feedLog().length(aliceFeed);
        // Alice's side sends the first 10 entries, then the connection drops
        PeerServer cut = PeerServer.start("127.0.0.1", 0, ChannelLimits.DEFAULT, Map.of("/halo/v1/peer", (t, path) -> {
            PeerChannel c;
            synchronized (alice) {
                c = PeerChannel.accept(t, alice.localDevice(), alice.verifier(), ChannelLimits.DEFAULT);
            }
            c.receive(); // the Want
            c.send(org.halo4j.proto.v1.PeerMessage.newBuilder().setEntries(org.halo4j.proto.v1.FeedEntries.newBuilder()
                    .setSpaceKey(com.google.protobuf.ByteString.copyFrom(space.spaceKey().toBytes()))
                    .setFeedKey(com.google.protobuf.ByteString.copyFrom(aliceFeed.toBytes()))
                    .addAllEntries(alice.feedLog().read(aliceFeed, 0, 10))).build());
            t.close("gone");
        }));
        open.add(cut);
        assertThatThrownBy(() -> syncWith(bob, URI.create("ws://127.0.0.1:" + cut.address().getPort() + "/halo/v1/peer")))
                .isInstanceOf(PeerException.class);
        assertThat(bob.feedLog().length(aliceFeed)).as("what arrived before the cut is kept").isEqualTo(10);

        SyncReport rest = syncWith(bob, serve(alice));
        servedResult();
        assertThat(rest.received()).as("only the rest is sent again").isBetween(total - 10, total - 10 + 2);
        assertThat(bob.members(space.spaceId())).hasSize(22);
    }

    @Test
    void aMemberThatFloodsMadeUpFeedsIsCutOffAndNothingBeyondTheBoundIsKept(@TempDir Path a, @TempDir Path b)
            throws Exception {
        Agent alice = agent(a, "Alice");
        Agent bob = agent(b, "Bob");
        SpaceSummary space = gardenWith(alice, bob, SpaceRole.SPACE_ROLE_EDITOR);
        syncWith(bob, serve(alice));
        servedResult();
        // Bob turns hostile: for Alice's first Want he sends entries of 300 feeds whose keys he just made up
        org.halo4j.keys.InMemoryKeyring made = new org.halo4j.keys.InMemoryKeyring();
        PeerServer flood = PeerServer.start("127.0.0.1", 0, ChannelLimits.DEFAULT, Map.of("/halo/v1/peer", (t, path) -> {
            PeerChannel c;
            synchronized (bob) {
                c = PeerChannel.accept(t, bob.localDevice(), bob.verifier(), ChannelLimits.DEFAULT);
            }
            c.receive();
            for (int i = 0; i < Replication.MAX_NEW_FEEDS + 44; i++) {
                PublicKey feed = made.generate();
                c.send(org.halo4j.proto.v1.PeerMessage.newBuilder().setEntries(org.halo4j.proto.v1.FeedEntries.newBuilder()
                        .setSpaceKey(com.google.protobuf.ByteString.copyFrom(space.spaceKey().toBytes()))
                        .setFeedKey(com.google.protobuf.ByteString.copyFrom(feed.toBytes()))
                        .addEntries(org.halo4j.feeds.FeedWriter.of(made, feed)
                                .first(com.google.protobuf.ByteString.copyFromUtf8("filler " + i)))).build());
            }
            c.receive();
        }));
        open.add(flood);
        assertThatThrownBy(() -> syncWith(alice, URI.create("ws://127.0.0.1:" + flood.address().getPort() + "/halo/v1/peer")))
                .isInstanceOf(PeerException.class).extracting(e -> ((PeerException) e).code()).isEqualTo("peer.flood");
        assertThat(alice.meta().peerFeeds()).hasSizeLessThanOrEqualTo(Replication.MAX_NEW_FEEDS + 1); // + Bob's own
        assertThat(alice.members(space.spaceId())).hasSize(2);
    }
}
