package org.halo4j.spaces;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import org.halo4j.credentials.CredentialId;
import org.halo4j.errors.HaloRejectedException;
import org.halo4j.credentials.CredentialVerifier;
import org.halo4j.credentials.VerifiedCredential;
import org.halo4j.keys.PublicKey;
import org.halo4j.proto.v1.AdmittedFeed;
import org.halo4j.proto.v1.DeviceRevoked;
import org.halo4j.proto.v1.DeviceScope;
import org.halo4j.proto.v1.FeedDesignation;
import org.halo4j.proto.v1.FeedPosition;
import org.halo4j.proto.v1.MemberProfile;
import org.halo4j.proto.v1.SpaceGenesis;
import org.halo4j.proto.v1.SpaceMember;
import org.halo4j.proto.v1.SpaceRole;

/**
 * Replays the credentials of a space's control feeds into its {@link SpaceState}, applying the rules of
 * state of DESIGN §4. Deterministic: the result depends only on the set of entries, never on their order or
 * on a clock. Work is O(n log n) in the number of credentials: every credential enters and leaves one
 * priority queue a bounded number of times, and each rule is checked in constant time with maps.
 *
 * <p>Order of evaluation: a topological order of the credentials' {@code parents} (a credential is evaluated
 * only after all its parents), choosing among the ready ones removals and revocations first, then the lowest
 * credential id. A credential signed by a device (or issued by a member) that a not-yet-decided revocation
 * (or removal) in the set would exclude waits for that decision.
 */
public final class SpaceReplay {

    /** Refused credentials kept for audit per feed; a feed with more is frozen (rule 6). */
    public static final int MAX_REFUSALS_PER_FEED = 1000;

    /** Replay decides revocations from the feeds (rule 4); this verifier's revocation source is never asked. */
    private static final CredentialVerifier REPLAY_VERIFIER = CredentialVerifier.builder().ignoreRevocation().build();

    private SpaceReplay() {
    }

    /**
     * Replays {@code entries} (from the space's control feeds, already verified as feed entries) into the
     * state of the space with key {@code spaceKey}. Credentials are verified with
     * {@link CredentialVerifier#verifyForReplay}: no clock is read.
     */
    public static SpaceState replay(PublicKey spaceKey, Collection<SpaceEntry> entries) {
        return replay(spaceKey, entries, REPLAY_VERIFIER);
    }

    /**
     * As {@link #replay(PublicKey, Collection)}, sharing {@code verifier}'s cache of verified chain links. The
     * verifier's clock and revocation source are not used: replay reads neither.
     */
    public static SpaceState replay(PublicKey spaceKey, Collection<SpaceEntry> entries, CredentialVerifier verifier) {
        return new Run(spaceKey, verifier).run(entries);
    }

    /** A position of a credential in a feed. */
    private record Position(PublicKey feed, long seq) {
    }

    /** One credential (by id) and its bookkeeping during the replay. */
    private static final class Node {
        final VerifiedCredential v;
        final List<Position> positions = new ArrayList<>(1);
        final List<Node> children = new ArrayList<>(2);
        final Set<CredentialId> parentIds;
        final int order; // 0: genesis, 1: removal or revocation, 2: everything else
        int waitingFor; // parents not yet decided + revocations/removals not yet decided
        boolean missingParent;
        boolean queued;
        boolean decided;
        boolean parked;

        Node(VerifiedCredential v) {
            this.v = v;
            this.parentIds = new HashSet<>(v.parents());
            Message a = v.assertion();
            if (a instanceof SpaceGenesis) {
                order = 0;
            } else if (a instanceof DeviceRevoked
                    || a instanceof SpaceMember m && m.getRole() == SpaceRole.SPACE_ROLE_REMOVED) {
                order = 1;
            } else {
                order = 2;
            }
        }

        Position first() {
            return positions.get(0);
        }
    }

    private static final Comparator<Node> READY_ORDER =
            Comparator.<Node>comparingInt(n -> n.order).thenComparing(n -> n.v.id());

    private static final class Run {
        final PublicKey spaceKey;
        final ByteString spaceKeyBytes;
        final CredentialVerifier verifier;
        long steps;

        final Map<CredentialId, Node> nodes = new HashMap<>();
        final Map<PublicKey, Integer> refusalsPerFeed = new HashMap<>();
        final Map<PublicKey, Long> frozenAt = new TreeMap<>(); // feed -> first position no longer read
        final List<Refusal> refused = new ArrayList<>();
        final List<Refusal> pending = new ArrayList<>();

        final PriorityQueue<Node> ready = new PriorityQueue<>(READY_ORDER);
        final Map<PublicKey, List<Node>> parkedOnFeed = new HashMap<>();
        final List<Node> parkedOnGenesis = new ArrayList<>();
        final Map<Node, List<Node>> waitingOnDecision = new HashMap<>();

        Optional<CredentialId> genesis = Optional.empty();
        final Map<PublicKey, Member> members = new TreeMap<>();
        int owners; // members whose role is OWNER now: kept with every change of members, so rule 2 is O(1)
        final Map<PublicKey, SpaceFeed> feeds = new TreeMap<>();
        final Map<PublicKey, Map<PublicKey, List<DeviceRevocation>>> revoked = new HashMap<>(); // identity -> device
        final List<DeviceRevocation> revocations = new ArrayList<>();
        final Map<PublicKey, Map<PublicKey, Long>> removalPositions = new HashMap<>(); // member -> feed -> seq
        final List<CredentialId> applied = new ArrayList<>();
        final List<VerifiedCredential> content = new ArrayList<>();

        Run(PublicKey spaceKey, CredentialVerifier verifier) {
            this.spaceKey = spaceKey;
            this.spaceKeyBytes = ByteString.copyFrom(spaceKey.toBytes());
            this.verifier = verifier;
        }

        SpaceState run(Collection<SpaceEntry> input) {
            List<SpaceEntry> entries = new ArrayList<>(input);
            entries.sort(Comparator.comparing(SpaceEntry::feed).thenComparingLong(SpaceEntry::seq));
            steps += (long) entries.size() * log2(entries.size());
            verifyAll(entries);
            link();
            deferOnRevocations();
            for (Node n : nodes.values()) {
                if (n.waitingFor == 0 && !n.missingParent) {
                    push(n);
                }
            }
            do {
                while (!ready.isEmpty()) {
                    steps += log2(ready.size());
                    Node n = ready.poll();
                    n.queued = false;
                    evaluate(n);
                }
            } while (releaseStuckDeferrals());
            classifyLeftovers();
            return new SpaceState(spaceKey, genesis, members, feeds, revocations, applied, content, refused, pending, frozenAt.keySet(),
                    heads(), steps);
        }

        // ---- building the graph ------------------------------------------------------------------------

        private void verifyAll(List<SpaceEntry> entries) {
            for (SpaceEntry e : entries) {
                steps++;
                if (isFrozen(e.feed(), e.seq())) {
                    continue;
                }
                VerifiedCredential v;
                try {
                    v = verifier.verifyForReplay(e.payload());
                } catch (HaloRejectedException ex) {
                    refuse(Optional.empty(), new Position(e.feed(), e.seq()), RefusalReason.INVALID_CREDENTIAL,
                            ex.code().code() + ": " + ex.getMessage());
                    continue;
                }
                Node n = nodes.computeIfAbsent(v.id(), id -> new Node(v));
                n.positions.add(new Position(e.feed(), e.seq()));
            }
        }

        /**
         * Parent edges. A DeviceRevoked is identity-scoped and portable (rule 8): it is copied into every space
         * of its identity with the parents it has in the HALO, so parents that are not in this space do not hold
         * it back.
         */
        private void link() {
            for (Node n : sorted(nodes.values())) {
                boolean portable = n.v.assertion() instanceof DeviceRevoked;
                for (CredentialId p : n.parentIds) {
                    steps++;
                    Node parent = nodes.get(p);
                    if (parent == null) {
                        n.missingParent |= !portable;
                    } else {
                        parent.children.add(n);
                        n.waitingFor++;
                    }
                }
            }
        }

        /**
         * Rule 4: a credential signed by a device (or issued by a member) that a revocation (or removal) in the
         * set does not cover by its recorded feed positions waits until that revocation is decided.
         */
        private void deferOnRevocations() {
            Map<PublicKey, List<Node>> revocationsOf = new HashMap<>(); // device -> DeviceRevoked nodes
            Map<PublicKey, List<Node>> removalsOf = new HashMap<>(); // identity -> removal nodes
            for (Node n : nodes.values()) {
                if (n.v.assertion() instanceof DeviceRevoked) {
                    revocationsOf.computeIfAbsent(n.v.subject(), k -> new ArrayList<>()).add(n);
                } else if (n.v.assertion() instanceof SpaceMember m && m.getRole() == SpaceRole.SPACE_ROLE_REMOVED) {
                    removalsOf.computeIfAbsent(n.v.subject(), k -> new ArrayList<>()).add(n);
                }
            }
            for (Node n : sorted(nodes.values())) {
                if (!n.v.signedBy().signedByIdentity()) {
                    for (Node r : revocationsOf.getOrDefault(n.v.signedBy().signer(), List.of())) {
                        steps++;
                        DeviceRevoked a = (DeviceRevoked) r.v.assertion();
                        if (r != n && r.v.issuer().equals(n.v.issuer()) && !covered(n, a.getAcceptedUntilList())
                                && !mutualRevocation(n, r)) {
                            waitFor(n, r);
                        }
                    }
                }
                for (Node r : removalsOf.getOrDefault(n.v.issuer(), List.of())) {
                    steps++;
                    SpaceMember a = (SpaceMember) r.v.assertion();
                    if (r != n && !covered(n, a.getAcceptedUntilList())) {
                        waitFor(n, r);
                    }
                }
            }
        }

        /**
         * When nothing is ready but credentials still wait for undecided revocations or removals, those waits
         * form a cycle with the revocations' own parents: the waiting credentials are in the revocation's causal
         * past after all (its issuer did not record their positions). Release the waits, so they are evaluated
         * before it; the checks at evaluation still apply every revocation decided by then.
         */
        private boolean releaseStuckDeferrals() {
            boolean released = false;
            for (Node decision : sorted(waitingOnDecision.keySet())) {
                if (decision.decided) {
                    continue;
                }
                for (Node w : waitingOnDecision.remove(decision)) {
                    steps++;
                    if (--w.waitingFor == 0 && !w.missingParent) {
                        push(w);
                        released = true;
                    }
                }
            }
            return released;
        }

        private void waitFor(Node n, Node decision) {
            waitingOnDecision.computeIfAbsent(decision, k -> new ArrayList<>()).add(n);
            n.waitingFor++;
        }

        // ---- the evaluation loop -----------------------------------------------------------------------

        private void push(Node n) {
            if (!n.queued && !n.decided) {
                steps += log2(ready.size() + 1);
                n.queued = true;
                ready.add(n);
            }
        }

        private void decided(Node n) {
            n.decided = true;
            for (Node c : n.children) {
                steps++;
                if (--c.waitingFor == 0 && !c.missingParent) {
                    push(c);
                }
            }
            List<Node> waiters = waitingOnDecision.remove(n);
            for (Node w : waiters == null ? List.<Node>of() : waiters) {
                steps++;
                if (--w.waitingFor == 0 && !w.missingParent) {
                    push(w);
                }
            }
        }

        private void evaluate(Node n) {
            steps++;
            if (n.positions.stream().allMatch(p -> isFrozen(p.feed(), p.seq()))) {
                n.decided = true; // dropped with its frozen feed; children still proceed
                decided(n);
                return;
            }
            if (genesis.isEmpty() && !(n.v.assertion() instanceof SpaceGenesis)) {
                n.parked = true;
                parkedOnGenesis.add(n);
                return;
            }
            if (!(n.v.assertion() instanceof SpaceGenesis) && admittedPosition(n).isEmpty()) {
                n.parked = true;
                for (Position p : n.positions) {
                    parkedOnFeed.computeIfAbsent(p.feed(), k -> new ArrayList<>()).add(n);
                }
                return;
            }
            n.parked = false;
            Optional<String> refusal = rules(n);
            if (refusal.isPresent()) {
                String[] parts = refusal.get().split("\\|", 2);
                refuse(Optional.of(n.v.id()), n.first(), RefusalReason.valueOf(parts[0]), parts[1]);
            } else {
                applied.add(n.v.id());
                Message a = n.v.assertion();
                if (!(a instanceof SpaceGenesis || a instanceof SpaceMember || a instanceof AdmittedFeed || a instanceof DeviceRevoked)) {
                    content.add(n.v);
                }
            }
            decided(n);
        }

        /** Applies the rules; returns "REASON|detail" for a refusal, or empty once the effect is applied. */
        private Optional<String> rules(Node n) {
            VerifiedCredential v = n.v;
            Message a = v.assertion();
            Optional<String> spaceCheck = spaceScope(a);
            if (spaceCheck.isPresent()) {
                return spaceCheck;
            }
            Optional<String> signer = signerStillValid(n);
            if (signer.isPresent()) {
                return signer;
            }
            if (a instanceof SpaceGenesis) {
                return genesis(n);
            }
            if (!v.issuer().equals(spaceKey) && v.signedBy().scope().orElse(DeviceScope.DEVICE_SCOPE_ADMIN)
                    == DeviceScope.DEVICE_SCOPE_READ) {
                return refusal(RefusalReason.DEVICE_SCOPE, "device " + v.signedBy().signer().shortId()
                        + " has READ scope and cannot write to a space");
            }
            if (a instanceof SpaceMember m) {
                return member(n, m);
            }
            if (a instanceof AdmittedFeed f) {
                return admitFeed(n, f);
            }
            if (a instanceof DeviceRevoked r) {
                return revoke(n, r);
            }
            return content(n);
        }

        /** "Every space-scoped assertion carries the signed space_key and is rejected in any other space." */
        private Optional<String> spaceScope(Message a) {
            ByteString key = null;
            if (a instanceof SpaceGenesis g) {
                key = g.getSpaceKey();
            } else if (a instanceof SpaceMember m) {
                key = m.getSpaceKey();
            } else if (a instanceof AdmittedFeed f) {
                key = f.getSpaceKey();
            } else if (a instanceof MemberProfile p) {
                key = p.getSpaceKey();
            }
            if (key != null && !key.equals(spaceKeyBytes)) {
                return refusal(RefusalReason.OTHER_SPACE, "the assertion is for space "
                        + PublicKey.of(key.toByteArray()).shortId() + ", not " + spaceKey.shortId());
            }
            return Optional.empty();
        }

        /** Rule 4 for the signer's device and its chain, and for the issuer's removal. */
        private Optional<String> signerStillValid(Node n) {
            VerifiedCredential v = n.v;
            PublicKey identity = v.issuer();
            Map<PublicKey, List<DeviceRevocation>> ofIdentity = revoked.getOrDefault(identity, Map.of());
            if (!v.signedBy().signedByIdentity()) {
                for (DeviceRevocation r : ofIdentity.getOrDefault(v.signedBy().signer(), List.of())) {
                    steps++;
                    if (!covered(n, r.acceptedUntil()) && !mutual(n, r)) {
                        return refusal(RefusalReason.SIGNER_REVOKED, "signed by device " + v.signedBy().signer().shortId()
                                + " after its revocation by " + r.id().shortId());
                    }
                }
                List<PublicKey> path = v.signedBy().devicePath();
                for (int i = 1; i < path.size(); i++) {
                    CredentialId link = v.signedBy().links().get(i - 1);
                    for (DeviceRevocation r : ofIdentity.getOrDefault(path.get(i), List.of())) {
                        steps++;
                        if (!r.keptAuthorizations().contains(link)) {
                            return refusal(RefusalReason.CHAIN_REVOKED, "device " + path.get(i - 1).shortId()
                                    + " was authorized by revoked device " + path.get(i).shortId()
                                    + " in a credential its revocation does not keep");
                        }
                    }
                }
            }
            Member issuer = members.get(identity);
            if (issuer != null && !issuer.isActive()) {
                Map<PublicKey, Long> positions = removalPositions.getOrDefault(identity, Map.of());
                if (!covered(n, positions) && !(v.assertion() instanceof SpaceMember m && m.getRole() == SpaceRole.SPACE_ROLE_REMOVED
                        && v.subject().equals(identity))) {
                    return refusal(RefusalReason.ISSUER_REMOVED, "issued by " + identity.shortId()
                            + " after its removal by " + issuer.setBy().shortId());
                }
            }
            return Optional.empty();
        }

        /** Rule 1: exactly one genesis; issuer = subject = space key; the genesis feed's first entry. */
        private Optional<String> genesis(Node n) {
            if (genesis.isPresent()) {
                return refusal(RefusalReason.SECOND_GENESIS, "the space already has genesis " + genesis.get().shortId());
            }
            if (!n.v.issuer().equals(spaceKey) || !n.v.signedBy().signedByIdentity()) {
                return refusal(RefusalReason.NOT_AUTHORIZED, "a genesis is issued and signed by the space key");
            }
            Optional<Position> first = n.positions.stream().filter(p -> p.seq() == 0).findFirst();
            if (first.isEmpty()) {
                return refusal(RefusalReason.GENESIS_NOT_FIRST, "the genesis must be entry 0 of its feed, found at "
                        + n.first().feed().shortId() + ":" + n.first().seq());
            }
            genesis = Optional.of(n.v.id());
            admit(new SpaceFeed(first.get().feed(), spaceKey, spaceKey, FeedDesignation.FEED_DESIGNATION_CONTROL,
                    Optional.empty()));
            for (Node w : parkedOnGenesis) {
                push(w);
            }
            parkedOnGenesis.clear();
            return Optional.empty();
        }

        /**
         * Rule 2: valid only if issued by the space key or by an ADMIN/OWNER; the first OWNER comes from the
         * space key; an OWNER may grant OWNER; nobody raises their own role; anyone may lower their own role or
         * leave; an ADMIN cannot demote or remove an OWNER. Rule 5 for concurrent changes.
         */
        private Optional<String> member(Node n, SpaceMember m) {
            VerifiedCredential v = n.v;
            PublicKey subject = v.subject();
            int issuerRank = rankOf(v.issuer());
            int newRank = Roles.rank(m.getRole());
            Member current = members.get(subject);
            int currentRank = current == null ? 0 : Roles.rank(current.role());
            if (subject.equals(v.issuer())) {
                if (newRank > issuerRank) {
                    return refusal(RefusalReason.RAISES_OWN_ROLE, subject.shortId() + " tried to raise its own role from "
                            + (current == null ? "none" : Roles.name(current.role())) + " to " + Roles.name(m.getRole()));
                }
                if (current != null && current.role() == SpaceRole.SPACE_ROLE_OWNER
                        && m.getRole() != SpaceRole.SPACE_ROLE_OWNER && owners <= 1) {
                    return refusal(RefusalReason.LAST_OWNER, subject.shortId() + " is the only OWNER and cannot "
                            + (m.getRole() == SpaceRole.SPACE_ROLE_REMOVED ? "leave" : "step down to " + Roles.name(m.getRole()))
                            + ": nobody could grant OWNER again; grant OWNER to another member first");
                }
            } else {
                if (issuerRank < Roles.rank(SpaceRole.SPACE_ROLE_ADMIN)) {
                    return refusal(RefusalReason.NOT_AUTHORIZED, "issuer " + v.issuer().shortId() + " is "
                            + roleName(v.issuer()) + "; only an ADMIN or OWNER changes others' roles");
                }
                if (current != null && current.role() == SpaceRole.SPACE_ROLE_OWNER && issuerRank < Roles.rank(SpaceRole.SPACE_ROLE_OWNER)) {
                    return refusal(RefusalReason.ADMIN_VS_OWNER, "ADMIN " + v.issuer().shortId()
                            + " cannot demote or remove OWNER " + subject.shortId());
                }
                if (newRank > issuerRank) {
                    return refusal(RefusalReason.NOT_AUTHORIZED, "issuer " + v.issuer().shortId() + " is "
                            + roleName(v.issuer()) + " and cannot grant " + Roles.name(m.getRole()));
                }
            }
            if (current != null && !n.parentIds.contains(current.setBy()) && !winsOver(n, m, issuerRank, current)) {
                return refusal(RefusalReason.LOST_CONCURRENT, "a concurrent change " + current.setBy().shortId()
                        + " to " + subject.shortId() + "'s role wins");
            }
            if (current != null && current.role() == SpaceRole.SPACE_ROLE_OWNER) {
                owners--;
            }
            if (m.getRole() == SpaceRole.SPACE_ROLE_OWNER) {
                owners++;
            }
            members.put(subject, new Member(subject, m.getRole(), v.id(), issuerRank));
            if (m.getRole() == SpaceRole.SPACE_ROLE_REMOVED) {
                removalPositions.put(subject, positions(m.getAcceptedUntilList()));
            } else {
                removalPositions.remove(subject);
            }
            return Optional.empty();
        }

        /** Rule 5 tie-breaks: removal beats a concurrent grant; the higher-ranked issuer wins; then credential id. */
        private boolean winsOver(Node n, SpaceMember m, int issuerRank, Member current) {
            boolean removal = m.getRole() == SpaceRole.SPACE_ROLE_REMOVED;
            boolean currentRemoval = !current.isActive();
            if (removal != currentRemoval) {
                return removal;
            }
            if (issuerRank != current.issuerRank()) {
                return issuerRank > current.issuerRank();
            }
            return n.v.id().compareTo(current.setBy()) < 0;
        }

        /**
         * Rule 3: valid only if issued by an ADMIN/OWNER, or by the member itself for a feed of its own device;
         * the feed key's proof of possession was verified with the credential; a READER may admit only CONTROL
         * feeds.
         */
        private Optional<String> admitFeed(Node n, AdmittedFeed f) {
            VerifiedCredential v = n.v;
            PublicKey identity = PublicKey.of(f.getIdentityKey().toByteArray());
            PublicKey device = PublicKey.of(f.getDeviceKey().toByteArray());
            Member member = members.get(identity);
            if (member == null || !member.isActive()) {
                return refusal(RefusalReason.NOT_A_MEMBER, "feed " + v.subject().shortId() + " is admitted for "
                        + identity.shortId() + ", which is not a member");
            }
            int issuerRank = rankOf(v.issuer());
            if (v.issuer().equals(identity) && issuerRank < Roles.rank(SpaceRole.SPACE_ROLE_ADMIN)) {
                boolean ownDevice = v.signedBy().signedByIdentity() || v.signedBy().signer().equals(device);
                if (!ownDevice) {
                    return refusal(RefusalReason.NOT_AUTHORIZED, "a member admits only feeds of the device that signs, "
                            + "found device " + device.shortId() + " signed by " + v.signedBy().signer().shortId());
                }
            } else if (issuerRank < Roles.rank(SpaceRole.SPACE_ROLE_ADMIN)) {
                return refusal(RefusalReason.NOT_AUTHORIZED, "issuer " + v.issuer().shortId() + " is " + roleName(v.issuer())
                        + "; only an ADMIN or OWNER admits feeds of others");
            }
            if (f.getDesignation() == FeedDesignation.FEED_DESIGNATION_DATA
                    && Roles.rank(member.role()) < Roles.rank(SpaceRole.SPACE_ROLE_EDITOR)) {
                return refusal(RefusalReason.READER_DATA_FEED, identity.shortId() + " is " + Roles.name(member.role())
                        + "; a DATA feed needs EDITOR or higher");
            }
            SpaceFeed existing = feeds.get(v.subject());
            if (existing != null && existing.admittedBy().isPresent()
                    && !(existing.identity().equals(identity) && existing.device().equals(device))) {
                return refusal(RefusalReason.FEED_TAKEN, "feed " + v.subject().shortId() + " already writes for "
                        + existing.identity().shortId());
            }
            admit(new SpaceFeed(v.subject(), identity, device, f.getDesignation(), Optional.of(v.id())));
            return Optional.empty();
        }

        /**
         * Rule 8: DeviceRevoked is identity-scoped and portable: valid in any space when issued by the identity
         * (or one of its ADMIN devices). Concurrent mutual revocations revoke both.
         */
        private Optional<String> revoke(Node n, DeviceRevoked r) {
            VerifiedCredential v = n.v;
            if (!v.signedBy().signedByIdentity() && v.signedBy().scope().orElse(DeviceScope.DEVICE_SCOPE_READ)
                    != DeviceScope.DEVICE_SCOPE_ADMIN) {
                return refusal(RefusalReason.NOT_AUTHORIZED, "only the identity or an ADMIN device revokes devices");
            }
            Set<CredentialId> kept = new HashSet<>();
            for (ByteString id : r.getKeptAuthorizationsList()) {
                kept.add(CredentialId.of(id.toByteArray()));
            }
            DeviceRevocation rev = new DeviceRevocation(v.issuer(), v.subject(), v.signedBy().signer(),
                    positions(r.getAcceptedUntilList()), kept, v.id(), v.parents());
            revoked.computeIfAbsent(v.issuer(), k -> new HashMap<>()).computeIfAbsent(v.subject(), k -> new ArrayList<>()).add(rev);
            revocations.add(rev);
            return Optional.empty();
        }

        /** Profiles, contacts and device records: written by members with EDITOR or higher, or about oneself. */
        private Optional<String> content(Node n) {
            VerifiedCredential v = n.v;
            int rank = rankOf(v.issuer());
            boolean aboutSelf = v.subject().equals(v.issuer()) && rank >= Roles.rank(SpaceRole.SPACE_ROLE_READER);
            if (!aboutSelf && rank < Roles.rank(SpaceRole.SPACE_ROLE_EDITOR)) {
                return refusal(RefusalReason.NOT_AUTHORIZED, "issuer " + v.issuer().shortId() + " is " + roleName(v.issuer())
                        + "; writing " + v.type() + " needs EDITOR or higher");
            }
            return Optional.empty();
        }

        // ---- helpers --------------------------------------------------------------------------------------

        private void admit(SpaceFeed feed) {
            feeds.put(feed.feed(), feed);
            List<Node> waiting = parkedOnFeed.remove(feed.feed());
            if (waiting != null) {
                for (Node w : waiting) {
                    if (w.parked && !w.decided) {
                        push(w);
                    }
                }
            }
        }

        private Optional<Position> admittedPosition(Node n) {
            for (Position p : n.positions) {
                if (feeds.containsKey(p.feed()) && !isFrozen(p.feed(), p.seq())) {
                    return Optional.of(p);
                }
            }
            return Optional.empty();
        }

        private int rankOf(PublicKey issuer) {
            if (issuer.equals(spaceKey)) {
                return Roles.SPACE_KEY_RANK;
            }
            Member m = members.get(issuer);
            return m == null ? 0 : Roles.rank(m.role());
        }

        private String roleName(PublicKey identity) {
            Member m = members.get(identity);
            return m == null ? "not a member" : Roles.name(m.role());
        }

        private static boolean covered(Node n, List<FeedPosition> until) {
            return covered(n, positions(until));
        }

        private static boolean covered(Node n, Map<PublicKey, Long> until) {
            for (Position p : n.positions) {
                Long last = until.get(p.feed());
                if (last != null && p.seq() <= last) {
                    return true;
                }
            }
            return false;
        }

        /** Two DeviceRevoked credentials of one identity, each revoking the other's signer, neither naming the other. */
        private static boolean mutualRevocation(Node n, Node r) {
            return n.v.assertion() instanceof DeviceRevoked
                    && n.v.subject().equals(r.v.signedBy().signer())
                    && r.v.subject().equals(n.v.signedBy().signer())
                    && !n.parentIds.contains(r.v.id()) && !r.parentIds.contains(n.v.id());
        }

        private static boolean mutual(Node n, DeviceRevocation r) {
            return n.v.assertion() instanceof DeviceRevoked
                    && n.v.subject().equals(r.revoker())
                    && !n.parentIds.contains(r.id()) && !r.parents().contains(n.v.id());
        }

        private static Map<PublicKey, Long> positions(List<FeedPosition> list) {
            Map<PublicKey, Long> m = new HashMap<>();
            for (FeedPosition p : list) {
                m.put(PublicKey.of(p.getFeedKey().toByteArray()), p.getSeq());
            }
            return m;
        }

        private void refuse(Optional<CredentialId> id, Position at, RefusalReason reason, String detail) {
            if (reason.isPending()) {
                pending.add(new Refusal(id, at.feed(), at.seq(), reason, detail));
                return;
            }
            int count = refusalsPerFeed.merge(at.feed(), 1, Integer::sum);
            if (count <= MAX_REFUSALS_PER_FEED) {
                refused.add(new Refusal(id, at.feed(), at.seq(), reason, detail));
            } else if (frozenAt.putIfAbsent(at.feed(), at.seq()) == null) {
                refused.add(new Refusal(id, at.feed(), at.seq(), RefusalReason.FEED_FROZEN, "feed " + at.feed().shortId()
                        + " had more than " + MAX_REFUSALS_PER_FEED + " refused credentials and is frozen"));
            }
        }

        /** Rule 6: a frozen feed is read up to the entry that exceeded the cap; what came before stays. */
        private boolean isFrozen(PublicKey feed, long seq) {
            Long at = frozenAt.get(feed);
            return at != null && seq >= at;
        }

        private static Optional<String> refusal(RefusalReason reason, String detail) {
            return Optional.of(reason.name() + "|" + detail);
        }

        private void classifyLeftovers() {
            // everything downstream of a missing parent waits for it: one pass over the children
            Set<Node> blocked = new HashSet<>();
            List<Node> stack = new ArrayList<>();
            for (Node n : nodes.values()) {
                if (!n.decided && n.missingParent && blocked.add(n)) {
                    stack.add(n);
                }
            }
            while (!stack.isEmpty()) {
                Node x = stack.remove(stack.size() - 1);
                for (Node c : x.children) {
                    steps++;
                    if (!c.decided && blocked.add(c)) {
                        stack.add(c);
                    }
                }
            }
            for (Node n : sorted(nodes.values())) {
                if (n.decided) {
                    continue;
                }
                steps++;
                RefusalReason reason;
                String detail;
                if (blocked.contains(n)) {
                    reason = RefusalReason.MISSING_PARENT;
                    detail = "waits for a parent that has not arrived";
                } else if (n.parked && genesis.isEmpty()) {
                    reason = RefusalReason.NO_GENESIS;
                    detail = "waits for the space's genesis";
                } else if (n.parked) {
                    reason = RefusalReason.FEED_NOT_ADMITTED;
                    detail = "stands only in feeds that are not admitted: " + n.first().feed().shortId();
                } else {
                    reason = RefusalReason.CAUSAL_CYCLE;
                    detail = "its parents (or a revocation it waits for) depend on it";
                }
                refuse(Optional.of(n.v.id()), n.first(), reason, detail);
            }
        }

        private List<CredentialId> heads() {
            Set<CredentialId> named = new HashSet<>();
            for (Node n : nodes.values()) {
                named.addAll(n.parentIds);
            }
            List<CredentialId> heads = new ArrayList<>();
            for (Node n : nodes.values()) {
                if (!named.contains(n.v.id()) && n.decided) {
                    heads.add(n.v.id());
                }
            }
            heads.sort(Comparator.naturalOrder());
            return heads;
        }

        private static List<Node> sorted(Collection<Node> nodes) {
            List<Node> list = new ArrayList<>(nodes);
            list.sort(Comparator.comparing(n -> n.v.id()));
            return list;
        }

        private static int log2(int n) {
            return 32 - Integer.numberOfLeadingZeros(Math.max(1, n));
        }
    }
}
