package org.halo4j.spaces;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.halo4j.credentials.CredentialId;
import org.halo4j.credentials.VerifiedCredential;
import org.halo4j.keys.PublicKey;

/** The state a replay builds up, and what the scheduler must hear when it changes. */
final class ReplayState {

    /** What the scheduler does when the state lets waiting credentials go on. */
    interface Listener {
        void genesisArrived();

        void feedAdmitted(PublicKey feed);

        /** A role change already applied lost to a concurrent one: it is refused after all. */
        void superseded(CredentialId change, String detail);
    }

    /**
     * The last removal of a member, and (once re-added) the positions the re-adding grant recorded: what the member
     * wrote after the removal's positions and up to the grant's was written while removed.
     */
    record MemberCut(CredentialId removal, Map<PublicKey, Long> removedAfter, Optional<Map<PublicKey, Long>> reinstatedAfter) {
    }

    final PublicKey spaceKey;
    final Listener listener;
    Optional<CredentialId> genesis = Optional.empty();
    final Map<PublicKey, Member> members = new TreeMap<>();
    /** Members whose role is OWNER now: kept with every change, so rule 2's last-owner test is O(1). */
    int owners;
    final Map<PublicKey, SpaceFeed> feeds = new TreeMap<>();
    final RevocationIndex revocations = new RevocationIndex();
    final Map<PublicKey, MemberCut> memberCuts = new HashMap<>();
    /**
     * The ranks each identity held here, counted per role change that stands (a change that lost to a concurrent
     * one is taken back): the highest only depends on the set of changes, not on their order.
     */
    private final Map<PublicKey, TreeMap<Integer, Integer>> ranksHeld = new HashMap<>();
    final Set<CredentialId> applied = new LinkedHashSet<>();
    /** Members whose role was set since this was last cleared, with the role they had before. */
    Map<PublicKey, Optional<org.halo4j.proto.v1.SpaceRole>> changed = new HashMap<>();
    final List<VerifiedCredential> content = new ArrayList<>();

    ReplayState(PublicKey spaceKey, Listener listener) {
        this.spaceKey = spaceKey;
        this.listener = listener;
    }

    /** Rank of {@code issuer} now: the space key outranks everyone; a non-member (or removed member) has 0. */
    int rankOf(PublicKey issuer) {
        if (issuer.equals(spaceKey)) {
            return Roles.SPACE_KEY_RANK;
        }
        Member m = members.get(issuer);
        return m == null ? 0 : Roles.rank(m.role());
    }

    String roleName(PublicKey identity) {
        Member m = members.get(identity);
        return m == null ? "not a member" : Roles.name(m.role());
    }

    /** The highest rank {@code identity} held here (0: never a member). */
    int highestRank(PublicKey identity) {
        TreeMap<Integer, Integer> held = ranksHeld.get(identity);
        return held == null || held.isEmpty() ? 0 : held.lastKey();
    }

    /**
     * Sets a member's role. {@code supersedesConcurrent}: the change replaces one it did not know of (rule 5), which
     * is taken back: no longer applied, its rank no longer held.
     */
    void setMember(Member m, boolean supersedesConcurrent) {
        Member previous = members.get(m.identity());
        if (previous != null && supersedesConcurrent) {
            ranksHeld.get(m.identity()).merge(Roles.rank(previous.role()), -1, (a, b) -> a + b == 0 ? null : a + b);
            applied.remove(previous.setBy());
            listener.superseded(previous.setBy(), "a concurrent change " + m.setBy().shortId() + " to "
                    + m.identity().shortId() + "'s role wins");
        }
        ranksHeld.computeIfAbsent(m.identity(), k -> new TreeMap<>()).merge(Roles.rank(m.role()), 1, Integer::sum);
        Member before = members.put(m.identity(), m);
        changed.putIfAbsent(m.identity(), Optional.ofNullable(before).map(Member::role));
        if (before != null && before.role() == org.halo4j.proto.v1.SpaceRole.SPACE_ROLE_OWNER) {
            owners--;
        }
        if (m.role() == org.halo4j.proto.v1.SpaceRole.SPACE_ROLE_OWNER) {
            owners++;
        }
    }

    void admit(SpaceFeed feed) {
        feeds.put(feed.feed(), feed);
        listener.feedAdmitted(feed.feed());
    }
}
