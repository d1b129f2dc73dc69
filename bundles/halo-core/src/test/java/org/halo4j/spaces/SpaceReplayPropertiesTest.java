package org.halo4j.spaces;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import org.halo4j.credentials.Credentials;
import org.halo4j.credentials.Signer;
import org.halo4j.proto.v1.Credential;
import org.halo4j.proto.v1.DeviceRevoked;
import org.halo4j.proto.v1.DeviceScope;
import org.halo4j.proto.v1.FeedDesignation;
import org.halo4j.proto.v1.FeedPosition;
import org.halo4j.proto.v1.SpaceRole;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * DESIGN §4 rule 5: the same set of credentials gives the same state on every peer, in any arrival order,
 * with at most O(n log n) work — counted in evaluation steps, never in seconds.
 */
class SpaceReplayPropertiesTest {

    private static final SpaceRole[] ROLES = {SpaceRole.SPACE_ROLE_OWNER, SpaceRole.SPACE_ROLE_ADMIN,
            SpaceRole.SPACE_ROLE_EDITOR, SpaceRole.SPACE_ROLE_READER, SpaceRole.SPACE_ROLE_REMOVED};

    /**
     * A random history: members (and non-members) set roles, admit feeds and revoke devices, each writing from
     * a stale view of the space (so changes are concurrent), including hostile moves the rules must refuse.
     */
    static SpaceWorld randomHistory(long seed, int actions) throws Exception {
        Random r = new Random(seed);
        SpaceWorld w = new SpaceWorld();
        List<SpaceWorld.Person> people = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            people.add(w.person("p" + i, i == 5 ? DeviceScope.DEVICE_SCOPE_READ : DeviceScope.DEVICE_SCOPE_ADMIN));
        }
        w.create(people.get(0));
        List<SpaceState> views = new ArrayList<>(List.of(w.replay()));
        for (int a = 0; a < actions; a++) {
            SpaceState view = views.get(r.nextInt(views.size()));
            SpaceWorld.Person by = people.get(r.nextInt(people.size()));
            SpaceWorld.Person who = people.get(r.nextInt(people.size()));
            int kind = r.nextInt(10);
            if (kind < 6) {
                w.setRole(view, by, who, ROLES[r.nextInt(ROLES.length)]);
            } else if (kind < 8) {
                Credential c = Credentials.issue(by.device()).subject(who.feed())
                        .assertion(Spaces.admittedFeed(w.agents.keyring, who.feed(), w.spaceKey, who.identity(), who.device().key(),
                                r.nextBoolean() ? FeedDesignation.FEED_DESIGNATION_CONTROL : FeedDesignation.FEED_DESIGNATION_DATA))
                        .parents(Spaces.parents(view, List.of())).sign();
                w.write(by.feed(), c);
            } else {
                DeviceRevoked.Builder rev = DeviceRevoked.newBuilder();
                Long last = w.lastPositions().get(who.feed());
                if (last != null && r.nextBoolean()) {
                    rev.addAcceptedUntil(FeedPosition.newBuilder().setFeedKey(ByteString.copyFrom(who.feed().toBytes()))
                            .setSeq(r.nextInt((int) (last + 1))));
                }
                Signer revoker = r.nextBoolean() ? w.agents.self(who.identity()) : by.device();
                Credential c = Credentials.issue(revoker).subject(who.device().key()).assertion(rev.build())
                        .parents(Spaces.parents(view, List.of())).sign();
                w.write(by.feed(), c);
            }
            if (r.nextInt(3) == 0) {
                views.add(w.replay());
            }
        }
        return w;
    }

    /** Everything a peer would act on, as text that is equal exactly when the states are. */
    static String fingerprint(SpaceState s) {
        StringBuilder sb = new StringBuilder();
        sb.append(s.genesis()).append('\n');
        s.members().values().forEach(m -> sb.append("member ").append(m).append('\n'));
        s.feeds().values().forEach(f -> sb.append("feed ").append(f).append('\n'));
        s.revocations().forEach(rv -> sb.append("revoked ").append(rv.identity()).append(' ').append(rv.device())
                .append(' ').append(rv.id()).append('\n'));
        s.applied().forEach(id -> sb.append("applied ").append(id).append('\n'));
        TreeSet<String> refused = new TreeSet<>();
        s.refused().forEach(x -> refused.add(x.credential() + " " + x.reason() + " " + x.feed() + ":" + x.seq()));
        s.pending().forEach(x -> refused.add("pending " + x.credential() + " " + x.reason()));
        refused.forEach(x -> sb.append(x).append('\n'));
        return sb.toString();
    }

    @Property(tries = 25)
    @Label("any arrival order of the same credentials gives the same state")
    void sameStateInAnyOrder(@ForAll long seed) throws Exception {
        SpaceWorld w = randomHistory(seed, 40);
        String expected = fingerprint(w.replay());
        Random r = new Random(seed ^ 0x5deece66dL);
        for (int i = 0; i < 8; i++) {
            List<SpaceEntry> shuffled = new ArrayList<>(w.entries);
            Collections.shuffle(shuffled, r);
            assertThat(fingerprint(SpaceReplay.replay(w.spaceKey, shuffled, w.verifier))).isEqualTo(expected);
        }
    }

    @Property(tries = 25)
    @Label("a replay takes at most c * n * log2(n) evaluation steps, hostile histories included")
    void stepsBound(@ForAll long seed) throws Exception {
        SpaceWorld w = randomHistory(seed, 60);
        SpaceState s = w.replay();
        int n = w.entries.size();
        assertThat(s.steps()).isLessThanOrEqualTo(bound(n));
    }

    @Test
    @DisplayName("steps grow as n log n: 500 to 4000 members added by one admin")
    void stepsGrowAsNLogN() throws Exception {
        SpaceWorld w = new SpaceWorld();
        SpaceWorld.Person owner = w.person("owner");
        w.create(owner);
        SpaceState view = w.replay();
        int checked = 0;
        for (int size : new int[] {500, 1000, 2000, 4000}) {
            while (w.entries.size() < size) {
                // a chain of grants, each naming the previous one: the common, honest history
                Credential c = Spaces.setRole(view, owner.device(), w.agents.newKey(), SpaceRole.SPACE_ROLE_READER, w.lastPositions());
                w.write(owner.feed(), c);
                view = new SpaceStateStub(view, Credentials.id(c)).state;
            }
            SpaceState s = w.replay();
            assertThat(s.members()).hasSize(size - 2);
            assertThat(s.steps()).as("n = %d", size).isLessThanOrEqualTo(bound(size));
            checked++;
        }
        assertThat(checked).isEqualTo(4);
    }

    static long bound(int n) {
        return 24L * Math.max(n, 2) * (32 - Integer.numberOfLeadingZeros(Math.max(n, 2)));
    }

    /** A view whose only head is {@code head}: enough for the next credential's parents without a replay. */
    static final class SpaceStateStub {
        final SpaceState state;

        SpaceStateStub(SpaceState base, org.halo4j.credentials.CredentialId head) {
            this.state = new SpaceState(base.spaceKey(), base.genesis(), new java.util.TreeMap<>(), base.feeds(),
                    new RevocationIndex(), List.of(), List.of(), List.of(), List.of(), java.util.Set.of(), List.of(head), 0);
        }
    }
}
