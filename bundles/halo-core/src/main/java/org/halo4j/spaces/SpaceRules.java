package org.halo4j.spaces;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.halo4j.credentials.CredentialId;
import org.halo4j.credentials.VerifiedCredential;
import org.halo4j.keys.PublicKey;
import org.halo4j.proto.v1.AdmittedFeed;
import org.halo4j.proto.v1.AllDevicesRevoked;
import org.halo4j.proto.v1.DeviceRevoked;
import org.halo4j.proto.v1.DeviceScope;
import org.halo4j.proto.v1.FeedDesignation;
import org.halo4j.proto.v1.FeedPosition;
import org.halo4j.proto.v1.InvitationDelegated;
import org.halo4j.proto.v1.MembershipClaim;
import org.halo4j.proto.v1.MemberProfile;
import org.halo4j.proto.v1.SpaceGenesis;
import org.halo4j.proto.v1.SpaceMember;
import org.halo4j.proto.v1.SpaceRole;

/**
 * The rules of state of DESIGN §4, one method per rule. Each judges one credential (one of its proofs) against
 * the state built so far and returns a {@link Verdict}: a refusal, or the change to make. Checking never
 * changes the state, so the scheduler can judge several cut-offs against the same state before it applies
 * any of them. The rules never look at the order of evaluation or at credential ids, except the last
 * tie-break of concurrent role changes that end in the same role.
 */
final class SpaceRules {

    /** The outcome of judging one credential. */
    static final class Verdict {
        static final Verdict APPLIED = new Verdict(null, null, null);

        final RefusalReason reason;
        final String detail;
        private final Change change;

        private Verdict(RefusalReason reason, String detail, Change change) {
            this.reason = reason;
            this.detail = detail;
            this.change = change;
        }

        static Verdict refuse(RefusalReason reason, String detail) {
            return new Verdict(reason, detail, null);
        }

        static Verdict accept(Change change) {
            return new Verdict(null, null, change);
        }

        boolean isRefusal() {
            return reason != null;
        }

        /** Makes the change; a change can still be refused by what the state holds by then (rule 5). */
        Verdict apply() {
            return change.apply();
        }
    }

    /** A change to the state, made once a credential passed the rules. */
    @FunctionalInterface
    interface Change {
        Verdict apply();
    }

    private final ReplayState s;
    private final ByteString spaceKeyBytes;

    SpaceRules(ReplayState state) {
        this.s = state;
        this.spaceKeyBytes = ByteString.copyFrom(state.spaceKey.toBytes());
    }

    /** Judges {@code v}, one proof of the credential {@code n} stands for. */
    Verdict judge(ReplayNode n, VerifiedCredential v) {
        Message a = v.assertion();
        Verdict scope = spaceScope(a);
        if (scope != null) {
            return scope;
        }
        Verdict revoked = rule4SignerNotRevoked(n, v);
        if (revoked != null) {
            return revoked;
        }
        if (!(a instanceof DeviceRevoked)) {
            Verdict removed = rule4IssuerNotRemoved(n, v);
            if (removed != null) {
                return removed;
            }
        }
        if (a instanceof SpaceGenesis) {
            return rule1Genesis(n, v);
        }
        if (!v.issuer().equals(s.spaceKey) && v.signedBy().scope().orElse(DeviceScope.DEVICE_SCOPE_ADMIN) == DeviceScope.DEVICE_SCOPE_READ) {
            return Verdict.refuse(RefusalReason.DEVICE_SCOPE, "device " + v.signedBy().signer().shortId()
                    + " has READ scope and cannot write to a space");
        }
        if (a instanceof SpaceMember m) {
            return rule2Role(n, v, m);
        }
        if (a instanceof AdmittedFeed f) {
            return rule3AdmitFeed(v, f);
        }
        if (a instanceof DeviceRevoked r) {
            return rule8Revocation(v, r);
        }
        if (a instanceof AllDevicesRevoked) {
            return recoveryRevocation(v);
        }
        if (a instanceof InvitationDelegated d) {
            return invitationDelegated(v, d);
        }
        if (a instanceof MembershipClaim) {
            return Verdict.refuse(RefusalReason.NOT_AUTHORIZED, "a membership claim is shown to relying parties "
                    + "(decision 0008), never written to a space");
        }
        return content(v);
    }

    /** "Every space-scoped assertion carries the signed space_key and is rejected in any other space." */
    private Verdict spaceScope(Message a) {
        ByteString key = null;
        if (a instanceof SpaceGenesis g) {
            key = g.getSpaceKey();
        } else if (a instanceof SpaceMember m) {
            key = m.getSpaceKey();
        } else if (a instanceof AdmittedFeed f) {
            key = f.getSpaceKey();
        } else if (a instanceof MemberProfile p) {
            key = p.getSpaceKey();
        } else if (a instanceof InvitationDelegated d) {
            key = d.getSpaceKey();
        } else if (a instanceof MembershipClaim c) {
            key = c.getSpaceKey();
        }
        if (key != null && !key.equals(spaceKeyBytes)) {
            return Verdict.refuse(RefusalReason.OTHER_SPACE, "the assertion is for space "
                    + PublicKey.of(key.toByteArray()).shortId() + ", not " + s.spaceKey.shortId());
        }
        return null;
    }

    /**
     * Rule 4 for devices: a credential signed by a revoked device is applied only if it stands at or before the
     * position the revocation records; one whose chain passes through a revoked device only if the revocation
     * keeps that authorization. Parents play no part. Every revocation of a device counts (the narrowest wins).
     */
    private Verdict rule4SignerNotRevoked(ReplayNode n, VerifiedCredential v) {
        if (v.signedBy().signedByIdentity()) {
            return null;
        }
        PublicKey identity = v.issuer();
        RevocationIndex.Cut cut = s.revocations.cutOf(identity, v.signedBy().signer());
        if (cut != null && !Position.covered(n.positions, cut.acceptedUntil())) {
            return Verdict.refuse(RefusalReason.SIGNER_REVOKED, "signed by device " + v.signedBy().signer().shortId()
                    + " after its revocation by " + cut.first().id().shortId());
        }
        List<PublicKey> path = v.signedBy().devicePath();
        for (int i = 1; i < path.size(); i++) {
            RevocationIndex.Cut c = s.revocations.cutOf(identity, path.get(i));
            if (c != null && !c.keeps(v.signedBy().links().get(i - 1))) {
                return Verdict.refuse(RefusalReason.CHAIN_REVOKED, "device " + path.get(i - 1).shortId()
                        + " was authorized by revoked device " + path.get(i).shortId()
                        + " in a credential its revocation does not keep");
            }
        }
        return null;
    }

    /**
     * Rule 4 for members: a credential issued by a removed member is applied only if it stands at or before the
     * positions its removal records; after the member was added again, what it wrote between the removal and
     * the positions the re-adding grant records stays refused.
     */
    private Verdict rule4IssuerNotRemoved(ReplayNode n, VerifiedCredential v) {
        PublicKey identity = v.issuer();
        Member m = s.members.get(identity);
        ReplayState.MemberCut cut = s.memberCuts.get(identity);
        if (m == null || cut == null || Position.covered(n.positions, cut.removedAfter())) {
            return null;
        }
        if (!m.isActive()) {
            return Verdict.refuse(RefusalReason.ISSUER_REMOVED, "issued by " + identity.shortId()
                    + " after its removal by " + cut.removal().shortId());
        }
        if (cut.reinstatedAfter().isPresent() && Position.covered(n.positions, cut.reinstatedAfter().get())) {
            return Verdict.refuse(RefusalReason.ISSUER_REMOVED, "issued by " + identity.shortId()
                    + " while it was removed by " + cut.removal().shortId());
        }
        return null;
    }

    /** Rule 1: exactly one genesis; issuer = subject = space key; the genesis feed's first entry. */
    private Verdict rule1Genesis(ReplayNode n, VerifiedCredential v) {
        if (s.genesis.isPresent()) {
            return Verdict.refuse(RefusalReason.SECOND_GENESIS, "the space already has genesis " + s.genesis.get().shortId());
        }
        if (!v.issuer().equals(s.spaceKey) || !v.signedBy().signedByIdentity()) {
            return Verdict.refuse(RefusalReason.NOT_AUTHORIZED, "a genesis is issued and signed by the space key");
        }
        Optional<Position> first = n.positions.stream().filter(p -> p.seq() == 0).findFirst();
        if (first.isEmpty()) {
            return Verdict.refuse(RefusalReason.GENESIS_NOT_FIRST, "the genesis must be entry 0 of its feed, found at "
                    + n.first().feed().shortId() + ":" + n.first().seq());
        }
        return Verdict.accept(() -> {
            s.genesis = Optional.of(v.id());
            s.admit(new SpaceFeed(first.get().feed(), s.spaceKey, s.spaceKey, FeedDesignation.FEED_DESIGNATION_CONTROL, Optional.empty()));
            s.listener.genesisArrived();
            return Verdict.APPLIED;
        });
    }

    /**
     * Rule 2: valid only if issued by the space key or by an ADMIN/OWNER; the first OWNER comes from the space
     * key; an OWNER may grant OWNER; nobody raises their own role; anyone may lower their own role or leave,
     * except the last OWNER (decision 0003); an ADMIN cannot demote or remove an OWNER. Rule 5 decides between
     * concurrent changes when the change is made.
     */
    private Verdict rule2Role(ReplayNode n, VerifiedCredential v, SpaceMember m) {
        PublicKey subject = v.subject();
        int issuerRank = s.rankOf(v.issuer());
        int newRank = Roles.rank(m.getRole());
        Member current = s.members.get(subject);
        if (subject.equals(v.issuer())) {
            if (newRank > issuerRank) {
                return Verdict.refuse(RefusalReason.RAISES_OWN_ROLE, subject.shortId() + " tried to raise its own role from "
                        + (current == null ? "none" : Roles.name(current.role())) + " to " + Roles.name(m.getRole()));
            }
            if (current != null && current.role() == SpaceRole.SPACE_ROLE_OWNER && m.getRole() != SpaceRole.SPACE_ROLE_OWNER
                    && s.owners <= 1) {
                return Verdict.refuse(RefusalReason.LAST_OWNER, subject.shortId() + " is the only OWNER and cannot "
                        + (m.getRole() == SpaceRole.SPACE_ROLE_REMOVED ? "leave" : "step down to " + Roles.name(m.getRole()))
                        + ": nobody could grant OWNER again; grant OWNER to another member first");
            }
        } else {
            if (issuerRank < Roles.rank(SpaceRole.SPACE_ROLE_ADMIN)) {
                return Verdict.refuse(RefusalReason.NOT_AUTHORIZED, "issuer " + v.issuer().shortId() + " is "
                        + s.roleName(v.issuer()) + "; only an ADMIN or OWNER changes others' roles");
            }
            if (current != null && current.role() == SpaceRole.SPACE_ROLE_OWNER && issuerRank < Roles.rank(SpaceRole.SPACE_ROLE_OWNER)) {
                return Verdict.refuse(RefusalReason.ADMIN_VS_OWNER, "ADMIN " + v.issuer().shortId()
                        + " cannot demote or remove OWNER " + subject.shortId());
            }
            if (newRank > issuerRank) {
                return Verdict.refuse(RefusalReason.NOT_AUTHORIZED, "issuer " + v.issuer().shortId() + " is "
                        + s.roleName(v.issuer()) + " and cannot grant " + Roles.name(m.getRole()));
            }
        }
        if (current != null && !current.isActive() && m.getRole() == SpaceRole.SPACE_ROLE_REMOVED) {
            return Verdict.refuse(RefusalReason.UNCHANGED, subject.shortId() + " is already removed");
        }
        return Verdict.accept(() -> {
            Member now = s.members.get(subject);
            boolean concurrent = now != null && !n.parentIds.contains(now.setBy());
            if (concurrent && !rule5WinsOver(n, m, issuerRank, now)) {
                return Verdict.refuse(RefusalReason.LOST_CONCURRENT, "a concurrent change " + now.setBy().shortId()
                        + " to " + subject.shortId() + "'s role wins");
            }
            s.setMember(new Member(subject, m.getRole(), v.id(), issuerRank), concurrent);
            Map<PublicKey, Long> recorded = positions(m.getAcceptedUntilList());
            if (m.getRole() == SpaceRole.SPACE_ROLE_REMOVED) {
                s.memberCuts.put(subject, new ReplayState.MemberCut(v.id(), recorded, Optional.empty()));
            } else if (now != null && !now.isActive()) {
                ReplayState.MemberCut cut = s.memberCuts.get(subject);
                if (cut != null) {
                    s.memberCuts.put(subject, new ReplayState.MemberCut(cut.removal(), cut.removedAfter(), Optional.of(recorded)));
                }
            }
            return Verdict.APPLIED;
        });
    }

    /**
     * Rule 5 tie-breaks between concurrent role changes about one member, none of which an issuer can steer by
     * choosing its credential id: a removal beats a grant; then the higher-ranked issuer wins; then the lower
     * role (least privilege). Only two changes to the same role are left, and which one counts as the setter
     * changes nothing but the id later changes name.
     */
    private static boolean rule5WinsOver(ReplayNode n, SpaceMember m, int issuerRank, Member current) {
        boolean removal = m.getRole() == SpaceRole.SPACE_ROLE_REMOVED;
        boolean currentRemoval = !current.isActive();
        if (removal != currentRemoval) {
            return removal;
        }
        if (issuerRank != current.issuerRank()) {
            return issuerRank > current.issuerRank();
        }
        int newRank = Roles.rank(m.getRole());
        int currentRank = Roles.rank(current.role());
        if (newRank != currentRank) {
            return newRank < currentRank;
        }
        return n.id.compareTo(current.setBy()) < 0;
    }

    /**
     * Rule 3: valid only if issued by an ADMIN/OWNER, or by the member itself for a feed of its own device; the
     * feed key's proof of possession was verified with the credential; a READER may admit only CONTROL feeds.
     * The feed's identity is judged by the highest role it ever held, which only grows: so an admission
     * concurrent with that member's removal or demotion is judged the same in every order. (What the member
     * writes in the feed is still judged by its role, removal and revocations when it is written: rule 4.)
     */
    private Verdict rule3AdmitFeed(VerifiedCredential v, AdmittedFeed f) {
        PublicKey identity = PublicKey.of(f.getIdentityKey().toByteArray());
        PublicKey device = PublicKey.of(f.getDeviceKey().toByteArray());
        int highest = s.highestRank(identity);
        if (highest == 0) {
            return Verdict.refuse(RefusalReason.NOT_A_MEMBER, "feed " + v.subject().shortId() + " is admitted for "
                    + identity.shortId() + ", which was never a member");
        }
        int issuerRank = s.rankOf(v.issuer());
        if (v.issuer().equals(identity) && issuerRank < Roles.rank(SpaceRole.SPACE_ROLE_ADMIN)) {
            boolean ownDevice = v.signedBy().signedByIdentity() || v.signedBy().signer().equals(device);
            if (!ownDevice) {
                return Verdict.refuse(RefusalReason.NOT_AUTHORIZED, "a member admits only feeds of the device that signs, "
                        + "found device " + device.shortId() + " signed by " + v.signedBy().signer().shortId());
            }
        } else if (issuerRank < Roles.rank(SpaceRole.SPACE_ROLE_ADMIN)) {
            return Verdict.refuse(RefusalReason.NOT_AUTHORIZED, "issuer " + v.issuer().shortId() + " is " + s.roleName(v.issuer())
                    + "; only an ADMIN or OWNER admits feeds of others");
        }
        if (f.getDesignation() == FeedDesignation.FEED_DESIGNATION_DATA && highest < Roles.rank(SpaceRole.SPACE_ROLE_EDITOR)) {
            return Verdict.refuse(RefusalReason.READER_DATA_FEED, identity.shortId() + " was never more than "
                    + s.roleName(identity) + "; a DATA feed needs EDITOR or higher");
        }
        return Verdict.accept(() -> {
            SpaceFeed existing = s.feeds.get(v.subject());
            if (existing != null && existing.admittedBy().isPresent()
                    && !(existing.identity().equals(identity) && existing.device().equals(device))) {
                return Verdict.refuse(RefusalReason.FEED_TAKEN, "feed " + v.subject().shortId() + " already writes for "
                        + existing.identity().shortId());
            }
            s.admit(new SpaceFeed(v.subject(), identity, device, f.getDesignation(), Optional.of(v.id())));
            return Verdict.APPLIED;
        });
    }

    /**
     * Rule 8: DeviceRevoked is identity-scoped and portable: valid in any space of which its identity is (or was)
     * a member, when issued by the identity or one of its ADMIN devices, whatever the identity's role here.
     * A revocation that cuts nothing more than those before it is refused as unchanged.
     */
    private Verdict rule8Revocation(VerifiedCredential v, DeviceRevoked r) {
        if (!v.signedBy().signedByIdentity() && v.signedBy().scope().orElse(DeviceScope.DEVICE_SCOPE_READ) != DeviceScope.DEVICE_SCOPE_ADMIN) {
            return Verdict.refuse(RefusalReason.NOT_AUTHORIZED, "only the identity or an ADMIN device revokes devices");
        }
        if (v.subject().equals(v.issuer())) {
            return Verdict.refuse(RefusalReason.NOT_AUTHORIZED, "an identity key is not a device and cannot be revoked");
        }
        if (!s.members.containsKey(v.issuer())) {
            return Verdict.refuse(RefusalReason.NOT_AUTHORIZED, "identity " + v.issuer().shortId()
                    + " was never a member of this space, so its devices' revocations do not concern it");
        }
        Set<CredentialId> kept = new HashSet<>();
        for (ByteString id : r.getKeptAuthorizationsList()) {
            kept.add(CredentialId.of(id.toByteArray()));
        }
        DeviceRevocation rev = new DeviceRevocation(v.issuer(), v.subject(), v.signedBy().signer(),
                positions(r.getAcceptedUntilList()), kept, v.id(), v.parents());
        if (!s.revocations.changes(rev)) {
            return Verdict.refuse(RefusalReason.UNCHANGED, "device " + v.subject().shortId()
                    + " is already revoked from the same positions or earlier");
        }
        return Verdict.accept(() -> {
            if (!s.revocations.changes(rev)) {
                return Verdict.refuse(RefusalReason.UNCHANGED, "device " + v.subject().shortId()
                        + " is already revoked from the same positions or earlier");
            }
            s.revocations.add(rev);
            return Verdict.APPLIED;
        });
    }

    /**
     * A recovery's revocation of every other device (decision 0005): signed by the identity key itself (the
     * verifier refuses one signed through a device), about a member of this space. From then on, the login path
     * refuses every chain that starts at a device the identity authorized before it, except the devices kept.
     * It cuts no feed here: spaces get per-device DeviceRevoked with positions from a device that holds their
     * feeds.
     */
    private Verdict recoveryRevocation(VerifiedCredential v) {
        if (s.rankOf(v.issuer()) < Roles.rank(SpaceRole.SPACE_ROLE_READER)) {
            return Verdict.refuse(RefusalReason.NOT_AUTHORIZED, "identity " + v.issuer().shortId()
                    + " is not a member of this space; its recovery revokes nothing here");
        }
        RecoveryRevocation recovery = RecoveryRevocation.of(v).orElseThrow(); // issuer = subject: AssertionRules
        return Verdict.accept(() -> {
            s.revocations.addRecovery(recovery);
            s.content.add(v);
            return Verdict.APPLIED;
        });
    }

    /**
     * An invitation is handed over only between members who may both invite to its role: OWNER or ADMIN, and
     * OWNER for an invitation that grants OWNER.
     */
    private Verdict invitationDelegated(VerifiedCredential v, InvitationDelegated d) {
        int needed = Roles.neededToGrant(d.getRole());
        for (PublicKey who : List.of(v.issuer(), v.subject())) {
            if (s.rankOf(who) < needed) {
                return Verdict.refuse(RefusalReason.NOT_AUTHORIZED, (who.equals(v.issuer()) ? "issuer " : "delegate ")
                        + who.shortId() + " is " + s.roleName(who) + "; an invitation to " + Roles.name(d.getRole())
                        + " is handed over between members who may invite to that role");
            }
        }
        return Verdict.accept(() -> {
            s.content.add(v);
            return Verdict.APPLIED;
        });
    }

    /** Profiles, contacts and device records: written by members with EDITOR or higher, or about oneself. */
    private Verdict content(VerifiedCredential v) {
        int rank = s.rankOf(v.issuer());
        boolean aboutSelf = v.subject().equals(v.issuer()) && rank >= Roles.rank(SpaceRole.SPACE_ROLE_READER);
        if (!aboutSelf && rank < Roles.rank(SpaceRole.SPACE_ROLE_EDITOR)) {
            return Verdict.refuse(RefusalReason.NOT_AUTHORIZED, "issuer " + v.issuer().shortId() + " is " + s.roleName(v.issuer())
                    + "; writing " + v.type() + " needs EDITOR or higher");
        }
        return Verdict.accept(() -> {
            s.content.add(v);
            return Verdict.APPLIED;
        });
    }

    static Map<PublicKey, Long> positions(List<FeedPosition> list) {
        Map<PublicKey, Long> m = new HashMap<>();
        for (FeedPosition p : list) {
            m.merge(PublicKey.of(p.getFeedKey().toByteArray()), p.getSeq(), Math::max);
        }
        return m;
    }
}
