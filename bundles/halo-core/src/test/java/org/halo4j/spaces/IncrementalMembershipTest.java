package org.halo4j.spaces;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import org.halo4j.credentials.Credentials;
import org.halo4j.keys.PublicKey;
import org.halo4j.proto.v1.Credential;
import org.halo4j.proto.v1.SpaceRole;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * {@link SpaceMembership} evaluates each batch on top of the state so far when that gives what a replay of the
 * whole set gives, and replays the whole set otherwise: the result is always the full replay's.
 */
class IncrementalMembershipTest {

    @Property(tries = 40)
    @Label("random hostile histories, arriving shuffled in random batches: the same state as one full replay")
    void sameAsFullReplay(@ForAll long seed) throws Exception {
        SpaceWorld w = SpaceReplayPropertiesTest.randomHistory(seed, 50);
        Random r = new Random(seed);
        List<SpaceEntry> arrival = new ArrayList<>(w.entries);
        if (r.nextBoolean()) {
            Collections.shuffle(arrival, r); // else in the order written, the common case
        }
        SpaceMembership m = new SpaceMembership(w.spaceKey, w.verifier);
        Map<PublicKey, Optional<SpaceRole>> heard = new HashMap<>();
        m.addListener((space, identity, before, after) -> heard.put(identity, after));
        int i = 0;
        while (i < arrival.size()) {
            int size = 1 + r.nextInt(6);
            m.add(arrival.subList(i, Math.min(arrival.size(), i + size)));
            i += size;
        }
        SpaceState full = SpaceReplay.replay(w.spaceKey, w.entries, w.verifier);
        assertThat(SpaceReplayPropertiesTest.fingerprint(m.state())).isEqualTo(SpaceReplayPropertiesTest.fingerprint(full));
        full.members().forEach((id, member) -> assertThat(heard.get(id)).as("last role heard for %s", id).contains(member.role()));
    }

    @Test
    @DisplayName("members added one batch at a time never need a full replay; a late entry that changes the past does")
    void appendsStayIncremental() throws Exception {
        SpaceWorld w = new SpaceWorld();
        SpaceWorld.Person owner = w.person("owner");
        SpaceWorld.Person bob = w.person("bob");
        w.create(owner);
        SpaceMembership m = new SpaceMembership(w.spaceKey, w.verifier);
        m.add(w.entries);
        SpaceState view = m.state();
        for (int i = 0; i < 50; i++) {
            Credential c = Spaces.setRole(view, owner.device(), w.agents.newKey(), SpaceRole.SPACE_ROLE_READER, w.lastPositions());
            m.add(List.of(w.write(owner.feed(), c)));
            view = new SpaceReplayPropertiesTest.SpaceStateStub(view, Credentials.id(c)).state;
        }
        w.join(owner, bob, SpaceRole.SPACE_ROLE_ADMIN);
        m.add(w.entries.subList(w.entries.size() - 2, w.entries.size()));
        assertThat(m.fullReplays()).isZero();
        assertThat(m.state().members()).hasSize(52);

        // the OWNER removes bob; bob, not having seen it, grants dave EDITOR; the grant arrives here first and is
        // applied; then the removal arrives, which cuts the grant: the past changes, so the space is replayed
        SpaceState before = w.replay();
        PublicKey dave = w.agents.newKey();
        Credential removal = Spaces.setRole(before, owner.device(), bob.identity(), SpaceRole.SPACE_ROLE_REMOVED, w.lastPositions());
        Credential grant = Spaces.setRole(before, bob.device(), dave, SpaceRole.SPACE_ROLE_EDITOR, w.lastPositions());
        SpaceEntry removalEntry = w.write(owner.feed(), removal);
        SpaceEntry grantEntry = w.write(bob.feed(), grant);
        m.add(List.of(grantEntry));
        assertThat(m.roleOf(dave)).contains(SpaceRole.SPACE_ROLE_EDITOR);
        m.add(List.of(removalEntry));
        assertThat(m.fullReplays()).isEqualTo(1);
        assertThat(m.roleOf(bob.identity())).contains(SpaceRole.SPACE_ROLE_REMOVED);
        assertThat(m.roleOf(dave)).isEmpty();
        assertThat(SpaceReplayPropertiesTest.fingerprint(m.state())).isEqualTo(SpaceReplayPropertiesTest.fingerprint(w.replay()));
    }
}
