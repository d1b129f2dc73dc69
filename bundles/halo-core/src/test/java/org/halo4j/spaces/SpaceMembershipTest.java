package org.halo4j.spaces;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.halo4j.proto.v1.SpaceRole;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("SpaceMembership: roles from replayed state, with change listeners and audit")
class SpaceMembershipTest {

    @Test
    @DisplayName("answers roles, tells listeners what changed, and keeps the audit")
    void rolesListenersAudit() throws Exception {
        SpaceWorld w = new SpaceWorld();
        SpaceWorld.Person alice = w.person("alice");
        SpaceWorld.Person bob = w.person("bob");
        w.create(alice);
        SpaceMembership m = new SpaceMembership(w.spaceKey, w.verifier);
        List<String> heard = new ArrayList<>();
        m.addListener((space, id, before, after) -> heard.add(id.shortId() + " " + before.map(Roles::name).orElse("-")
                + ">" + after.map(Roles::name).orElse("-")));
        m.add(w.entries);
        assertThat(m.roleOf(alice.identity())).contains(SpaceRole.SPACE_ROLE_OWNER);
        assertThat(heard).containsExactly(alice.identity().shortId() + " ->OWNER");

        int seen = w.entries.size();
        w.join(alice, bob, SpaceRole.SPACE_ROLE_EDITOR);
        w.setRole(w.replay(), bob, bob, SpaceRole.SPACE_ROLE_OWNER); // refused: raises own role
        heard.clear();
        m.add(w.entries.subList(seen, w.entries.size()));
        assertThat(m.isMember(bob.identity())).isTrue();
        assertThat(heard).containsExactly(bob.identity().shortId() + " ->EDITOR");
        assertThat(m.audit()).extracting(Refusal::reason).containsExactly(RefusalReason.RAISES_OWN_ROLE);

        seen = w.entries.size();
        w.setRole(alice, bob, SpaceRole.SPACE_ROLE_REMOVED);
        heard.clear();
        m.add(w.entries.subList(seen, w.entries.size()));
        assertThat(m.roleOf(bob.identity())).contains(SpaceRole.SPACE_ROLE_REMOVED);
        assertThat(heard).containsExactly(bob.identity().shortId() + " EDITOR>REMOVED");
        assertThat(m.roleOf(w.agents.newKey())).isEqualTo(Optional.empty());
    }
}
