package org.halo4j.spaces;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
    final List<CredentialId> applied = new ArrayList<>();
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

    void setMember(Member m) {
        Member before = members.put(m.identity(), m);
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
