package org.halo4j.node.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.halo4j.keys.Argon2Settings;
import org.halo4j.keys.InMemoryKeyring;
import org.halo4j.keys.PublicKey;
import org.halo4j.net.ChannelLimits;
import org.halo4j.net.PeerConnector;
import org.halo4j.node.agent.Agent;
import org.halo4j.node.agent.MemberSummary;
import org.halo4j.node.agent.SpaceSummary;
import org.halo4j.node.agent.SyncReport;
import org.halo4j.node.agent.Wallet;
import org.halo4j.proto.v1.SpaceRole;
import org.halo4j.spaces.SpaceTopics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Members' devices meet on a node's relay on their space's topic, and replicate a space the node does not keep. */
class MeetingTest {

    private static final char[] PASS = "correct horse battery staple".toCharArray();
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        Collections.reverse(open);
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    private Agent agent(Path home, String name) throws Exception {
        Wallet w = Wallet.open(home, Argon2Settings.forTests());
        Agent a = w.open(Optional.of(w.create(Optional.of(name), "laptop", PASS).did()), PASS);
        open.add(a);
        return a;
    }

    @Test
    void twoMembersMeetOnTheirSpacesTopicThroughANodeThatIsNotAMember(@TempDir Path a, @TempDir Path b,
                                                                       @TempDir Path n) throws Exception {
        Agent alice = agent(a, "Alice");
        Agent bob = agent(b, "Bob");
        SpaceSummary garden = alice.createSpace("garden");
        alice.setRole(garden.spaceId(), bob.identity(), SpaceRole.SPACE_ROLE_EDITOR);
        bob.joinSpace(garden.spaceKey(), "garden");
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        HaloNode node = HaloNode.start(agent(n, "node"), "127.0.0.1", 0, ChannelLimits.DEFAULT, Duration.ofSeconds(20),
                log::add);
        open.add(node);
        URI nodeAt = URI.create("ws://127.0.0.1:" + node.address().getPort());
        PeerConnector c1 = new PeerConnector(ChannelLimits.DEFAULT);
        PeerConnector c2 = new PeerConnector(ChannelLimits.DEFAULT);
        open.add(c1);
        open.add(c2);

        CompletableFuture<SyncReport> aliceSide = CompletableFuture.supplyAsync(() -> {
            try {
                return Meeting.meet(alice, "garden", nodeAt, c1, ChannelLimits.DEFAULT, Clock.systemUTC());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(300);
        SyncReport bobs = Meeting.meet(bob, "garden", nodeAt, c2, ChannelLimits.DEFAULT, Clock.systemUTC());
        SyncReport alices = aliceSide.get(30, TimeUnit.SECONDS);
        assertThat(bobs.received()).isPositive();
        assertThat(bob.members(garden.spaceId())).extracting(MemberSummary::identity)
                .containsExactlyInAnyOrder(alice.identity(), bob.identity());
        assertThat(alices.notes()).isEmpty();
        assertThat(log).anyMatch(l -> l.contains("relay ")).noneMatch(l -> l.contains("sync did:key"));
    }

    @Test
    void theTopicIsPerSpaceAndChangesEveryDay() throws Exception {
        PublicKey space = new InMemoryKeyring().generate();
        Instant noon = Instant.parse("2030-05-01T12:00:00Z");
        assertThat(SpaceTopics.topic(space, noon)).isEqualTo(SpaceTopics.topic(space, Instant.parse("2030-05-01T00:00:00Z")))
                .isNotEqualTo(SpaceTopics.topic(space, noon.plus(Duration.ofDays(1))))
                .isNotEqualTo(SpaceTopics.topic(new InMemoryKeyring().generate(), noon))
                .hasSize(32);
    }
}
