package org.halo4j.spaces;

import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.halo4j.credentials.CredentialId;
import org.halo4j.credentials.DeviceStatus;
import org.halo4j.credentials.VerifiedCredential;
import org.halo4j.keys.PublicKey;
import org.halo4j.proto.v1.SpaceRole;

/**
 * The state of a space after replay: immutable. Produced by {@link SpaceReplay}.
 *
 * <p>It is also a {@link DeviceStatus}: a verifier fed from it refuses what a revoked device signs, and keeps
 * the authorizations that the revocation recorded as made before it — the same rule replay applies, from the
 * same recorded revocations. Lookups are indexed.
 */
public final class SpaceState implements DeviceStatus {

    private final PublicKey spaceKey;
    private final Optional<CredentialId> genesis;
    private final Map<PublicKey, Member> members;
    private final Map<PublicKey, SpaceFeed> feeds;
    private final List<DeviceRevocation> revocations;
    private final List<CredentialId> applied;
    private final List<VerifiedCredential> content;
    private final List<Refusal> refused;
    private final List<Refusal> pending;
    private final Set<PublicKey> frozenFeeds;
    private final List<CredentialId> heads;
    private final long steps;
    private final RevocationIndex revocationIndex;
    private final Set<CredentialId> appliedIndex;

    SpaceState(PublicKey spaceKey, Optional<CredentialId> genesis, Map<PublicKey, Member> members,
               Map<PublicKey, SpaceFeed> feeds, RevocationIndex revocations, List<CredentialId> applied,
               List<VerifiedCredential> content,
               List<Refusal> refused, List<Refusal> pending, Set<PublicKey> frozenFeeds, List<CredentialId> heads,
               long steps) {
        this.spaceKey = spaceKey;
        this.genesis = genesis;
        this.members = Collections.unmodifiableMap(members);
        this.feeds = Collections.unmodifiableMap(feeds);
        this.revocationIndex = revocations;
        this.revocations = List.copyOf(revocations.applied());
        this.applied = List.copyOf(applied);
        this.content = List.copyOf(content);
        this.refused = List.copyOf(refused);
        this.pending = List.copyOf(pending);
        this.frozenFeeds = Set.copyOf(frozenFeeds);
        this.heads = List.copyOf(heads);
        this.steps = steps;
        this.appliedIndex = new HashSet<>(this.applied);
    }

    /** The space key: the space's id is its lowercase hex. */
    public PublicKey spaceKey() {
        return spaceKey;
    }

    /** The space id: lowercase hex of the space key. */
    public String spaceId() {
        return spaceKey.toHex();
    }

    /** The genesis credential, once it has arrived. */
    public Optional<CredentialId> genesis() {
        return genesis;
    }

    /** Every identity that ever had a role here, with its current role (REMOVED included), by key order. */
    public Map<PublicKey, Member> members() {
        return members;
    }

    /** The role of {@code identity}, if it has one (REMOVED included). */
    public Optional<SpaceRole> roleOf(PublicKey identity) {
        return Optional.ofNullable(members.get(identity)).map(Member::role);
    }

    /** True if {@code identity} has a role other than REMOVED. */
    public boolean isMember(PublicKey identity) {
        Member m = members.get(identity);
        return m != null && m.isActive();
    }

    /** Admitted feeds by feed key. */
    public Map<PublicKey, SpaceFeed> feeds() {
        return feeds;
    }

    /** Device revocations learned in this space, in the order they were applied. */
    public List<DeviceRevocation> revocations() {
        return revocations;
    }

    /** True if {@code identity} revoked {@code device} here. */
    @Override
    public boolean isRevoked(PublicKey identity, PublicKey device) {
        return revocationIndex.isRevoked(identity, device);
    }

    /**
     * True if {@code authorization}, issued by {@code issuingDevice}, still stands: the device is not revoked
     * here, or every revocation of it kept this authorization as made before it.
     */
    @Override
    public boolean keepsAuthorization(PublicKey identity, PublicKey issuingDevice, CredentialId authorization) {
        return revocationIndex.keepsAuthorization(identity, issuingDevice, authorization);
    }

    /** The recoveries applied here that revoked every other device of an identity (decision 0005). */
    @Override
    public boolean revokedByRecovery(PublicKey identity, PublicKey rootDevice, java.time.Instant authorizedAt) {
        return revocationIndex.revokedByRecovery(identity, rootDevice, authorizedAt);
    }

    /** Ids of every applied credential, in the order the replay applied them. */
    public List<CredentialId> applied() {
        return applied;
    }

    /** True if the credential with this id was applied. */
    public boolean isApplied(CredentialId id) {
        return appliedIndex.contains(id);
    }

    /**
     * The applied credentials whose effect is their content rather than membership (profiles, contacts,
     * device authorizations), in the order they were applied. Membership credentials are summarised by
     * {@link #members()}, {@link #feeds()} and {@link #revocations()}, so a large space does not keep them.
     */
    public List<VerifiedCredential> content() {
        return content;
    }

    /** Credentials refused for good, with their reasons (audit), at most a cap per feed. */
    public List<Refusal> refused() {
        return refused;
    }

    /** Credentials waiting for something (a parent, a feed admission, the genesis). */
    public List<Refusal> pending() {
        return pending;
    }

    /** Feeds frozen for having too many refused credentials. */
    public Set<PublicKey> frozenFeeds() {
        return frozenFeeds;
    }

    /** Credentials no other known credential names as a parent: the parents of the next credential. */
    public List<CredentialId> heads() {
        return heads;
    }

    /** The credential that set {@code identity}'s current role: a change to that role names it as a parent. */
    public Optional<CredentialId> roleSetter(PublicKey identity) {
        return Optional.ofNullable(members.get(identity)).map(Member::setBy);
    }

    /** Evaluation steps the replay took (for the O(n log n) bound of DESIGN §4 rule 5). */
    public long steps() {
        return steps;
    }

    @Override
    public String toString() {
        return "SpaceState[" + spaceKey.shortId() + ", " + members.size() + " members, " + feeds.size() + " feeds, "
                + applied.size() + " applied, " + refused.size() + " refused, " + pending.size() + " pending]";
    }
}
