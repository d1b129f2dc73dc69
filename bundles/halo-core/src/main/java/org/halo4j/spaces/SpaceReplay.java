package org.halo4j.spaces;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.halo4j.credentials.CredentialId;
import org.halo4j.credentials.CredentialVerifier;
import org.halo4j.credentials.VerifiedCredential;
import org.halo4j.errors.HaloRejectedException;
import org.halo4j.keys.PublicKey;
import org.halo4j.proto.v1.DeviceRevoked;
import org.halo4j.proto.v1.DeviceScope;
import org.halo4j.proto.v1.SpaceMember;
import org.halo4j.proto.v1.SpaceRole;

/**
 * Replays the credentials of a space's control feeds into its {@link SpaceState}, applying the rules of state
 * of DESIGN §4 ({@link SpaceRules}). Deterministic: the result depends only on the set of entries, never on
 * their order, on a clock or on any outside state.
 *
 * <p><b>Order of evaluation</b> (all of it is in this class; docs/spaces.md states it for users):
 * <ol>
 *   <li>A credential is evaluated after its parents.</li>
 *   <li>A credential of a member (or signed by a device) waits for every cut-off about that member (or device)
 *       that does not cover it by the positions it records — every role change (leaving included) and every
 *       device revocation ({@link CutOffGate}) — and a cut-off waits for the credentials of its subject that it
 *       does cover. So a cut-off is judged after what its writer had seen and before anything it cuts, whatever
 *       ids or parents the cut member chose. A cut-off that waits for a parent that has not arrived holds nothing
 *       back, nor, once evaluation is stuck, one that stands only in feeds not admitted or before the genesis:
 *       they cannot be decided yet.</li>
 *   <li>Among credentials that are ready: the genesis, then cut-offs, then the rest; then by credential id. No
 *       rule's outcome depends on that last order, except which of two concurrent changes to the same role is
 *       recorded as the role's setter.</li>
 *   <li>When nothing is ready but cut-offs still wait, they wait on one another in cycles (concurrent
 *       cut-offs, or a cut member's counter-move), found once with {@link WaitCycles}. In each cycle the cut-offs
 *       whose issuer ranks highest now are judged together against the same state; each that passes is applied
 *       unless another that passed cuts it and is not cut by it in return — so concurrent mutual removals (or
 *       revocations) between equals apply both, and a counter-move by a cut member never outruns the cut-off.
 *       Then evaluation goes on.</li>
 * </ol>
 *
 * <p><b>Cost.</b> Every credential enters the ready queue a bounded number of times; gates release each
 * credential once, in O(log n); cycles are found once, in O(n); each rule is O(1) with maps.
 * {@link SpaceState#steps()} counts the work; {@code SpaceReplayCostTest} also measures it from outside.
 */
public final class SpaceReplay {

    /** Refused credentials kept for audit per feed; a feed with more is frozen (rule 6). */
    public static final int MAX_REFUSALS_PER_FEED = 1000;

    /** Entries verified per step of a replay's first pass (progress is reported between steps). */
    private static final int VERIFY_CHUNK = ReplayProgress.EVERY;
    /** Below this many entries in a step, verification stays on the calling thread. */
    private static final int PARALLEL_FROM = 64;

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

    /** As {@link #replay(PublicKey, Collection, CredentialVerifier)}, telling {@code progress} how far it has come. */
    public static SpaceState replay(PublicKey spaceKey, Collection<SpaceEntry> entries, CredentialVerifier verifier,
                                    ReplayProgress progress) {
        Run run = new Run(spaceKey, verifier);
        run.progress = progress;
        return run.run(entries);
    }

    /**
     * A replay that takes more entries as they arrive ({@link SpaceMembership}). New entries are evaluated on top of
     * the decided state when that is sure to give what a replay from scratch gives: nothing was left undecided,
     * no entry is a new copy of a known credential, no new cut-off would have to come before something already
     * decided (it covers every known credential of its subject, and no known credential's chain passes through a
     * device it revokes), no decided cut-off covers a new credential (which would have had to come first), and
     * the new entries freeze no feed. Otherwise the whole space is replayed again. Not thread-safe.
     */
    static final class Live {
        private final PublicKey spaceKey;
        private final CredentialVerifier verifier;
        private final List<SpaceEntry> entries = new ArrayList<>();
        private Run run;
        private SpaceState snapshot;
        private long fullReplays;

        Live(PublicKey spaceKey, CredentialVerifier verifier) {
            this.spaceKey = spaceKey;
            this.verifier = verifier;
            this.run = new Run(spaceKey, verifier);
            run.process(List.of());
        }

        /** Adds entries and evaluates them; returns the members whose role changed, with their role before. */
        Map<PublicKey, Optional<SpaceRole>> add(Collection<SpaceEntry> more) {
            entries.addAll(more);
            snapshot = null;
            Map<PublicKey, Optional<SpaceRole>> changed = run.tryAppend(more);
            if (changed != null) {
                return changed;
            }
            Run old = run;
            run = new Run(spaceKey, verifier);
            Map<CredentialId, ReplayNode> all = run.verifyAll(entries);
            run.nodes.putAll(all);
            run.process(all.values());
            run.index();
            run.compact(all.values());
            fullReplays++;
            Map<PublicKey, Optional<SpaceRole>> diff = new HashMap<>();
            Set<PublicKey> identities = new HashSet<>(old.state.members.keySet());
            identities.addAll(run.state.members.keySet());
            for (PublicKey id : identities) {
                Optional<SpaceRole> was = Optional.ofNullable(old.state.members.get(id)).map(Member::role);
                Optional<SpaceRole> is = Optional.ofNullable(run.state.members.get(id)).map(Member::role);
                if (!was.equals(is)) {
                    diff.put(id, was);
                }
            }
            return diff;
        }

        /** The state now (built on the first call after a change). */
        SpaceState state() {
            if (snapshot == null) {
                snapshot = run.snapshot(true);
            }
            return snapshot;
        }

        Optional<SpaceRole> roleOf(PublicKey identity) {
            return Optional.ofNullable(run.state.members.get(identity)).map(Member::role);
        }

        /** How many times the whole space was replayed again (for tests). */
        long fullReplays() {
            return fullReplays;
        }
    }

    private static final Comparator<ReplayNode> READY_ORDER =
            Comparator.comparingInt(ReplayNode::order).thenComparing(n -> n.id);
    private static final Comparator<ReplayNode> BY_ID = Comparator.comparing(n -> n.id);

    private static final class Run implements ReplayState.Listener {
        final PublicKey spaceKey;
        final CredentialVerifier verifier;
        final ReplayState state;
        final SpaceRules rules;
        long steps;

        final Map<CredentialId, ReplayNode> nodes = new HashMap<>();
        Map<Object, CutOffGate> gates = new HashMap<>();
        final Set<ReplayNode> openCutOffs = new TreeSet<>(BY_ID);
        final Map<PublicKey, Integer> refusalsPerFeed = new HashMap<>();
        final Map<PublicKey, Long> frozenAt = new TreeMap<>(); // feed -> first position no longer read
        final List<Refusal> refused = new ArrayList<>();
        final List<Refusal> pending = new ArrayList<>();

        final PriorityQueue<ReplayNode> ready = new PriorityQueue<>(READY_ORDER);
        final Map<PublicKey, List<ReplayNode>> parkedOnFeed = new HashMap<>();
        final List<ReplayNode> parkedOnGenesis = new ArrayList<>();
        /** Credentials parked since evaluation was last stuck: they stop holding others back when it is stuck again. */
        final List<ReplayNode> parked = new ArrayList<>();
        WaitCycles cycles;
        int cycleCursor;

        /** Told of the credentials checked, in a full replay. */
        ReplayProgress progress = ReplayProgress.NONE;

        Run(PublicKey spaceKey, CredentialVerifier verifier) {
            this.spaceKey = spaceKey;
            this.verifier = verifier;
            this.state = new ReplayState(spaceKey, this);
            this.rules = new SpaceRules(state);
        }

        /** The credentials of the pass being evaluated: all of them in a full replay, the new ones in an append. */
        List<ReplayNode> batch = List.of();

        SpaceState run(Collection<SpaceEntry> input) {
            Map<CredentialId, ReplayNode> fresh = verifyAll(input);
            nodes.putAll(fresh);
            process(fresh.values());
            return snapshot(false);
        }

        /** Evaluates {@code fresh} (already in {@link #nodes}) on top of what is decided. */
        private void process(Collection<ReplayNode> fresh) {
            batch = sorted(fresh);
            gates = new HashMap<>(); // not clear(): that costs the capacity a full replay left
            link(batch);
            buildGates(batch);
            for (ReplayNode n : batch) {
                if (n.waitingFor == 0 && !n.missingParent) {
                    push(n);
                }
            }
            do {
                while (!ready.isEmpty()) {
                    steps += log2(ready.size());
                    ReplayNode n = ready.poll();
                    n.queued = false;
                    evaluate(n);
                }
            } while (resolveStuck());
            classifyLeftovers(batch);
            for (CutOffGate g : gates.values()) {
                steps += g.steps();
            }
            cycles = null;
        }

        /** The state now; {@code copy}: the run goes on, so the snapshot must not share what it will change. */
        SpaceState snapshot(boolean copy) {
            return new SpaceState(spaceKey, state.genesis, copy ? new TreeMap<>(state.members) : state.members,
                    copy ? new TreeMap<>(state.feeds) : state.feeds, copy ? state.revocations.copy() : state.revocations,
                    new ArrayList<>(state.applied), state.content, refused, pending, frozenAt.keySet(), heads(), steps);
        }

        /** False once a pass left something undecided: later entries may change it, so they need a full replay. */
        boolean clean = true;
        /** Per subject (gate key), per feed: the last position of a decided credential of it. */
        Map<Object, Map<PublicKey, Long>> extent;
        /** Per subject (gate key), per feed: the last position a decided cut-off about it covers. */
        Map<Object, Map<PublicKey, Long>> reach;
        /** Devices some decided credential's chain passes through. */
        Set<Object> chainThrough;

        /**
         * Evaluates {@code more} on top of what is decided, if that gives what a replay from scratch would (see
         * {@link Live}); returns the members whose role changed, or null when a full replay is needed (this run
         * is then spent).
         */
        Map<PublicKey, Optional<SpaceRole>> tryAppend(Collection<SpaceEntry> more) {
            if (!clean) {
                return null;
            }
            int frozen = frozenAt.size();
            Map<CredentialId, ReplayNode> fresh = verifyAll(more);
            if (frozenAt.size() != frozen) {
                return null;
            }
            index();
            for (ReplayNode n : fresh.values()) {
                if (nodes.containsKey(n.id) || !appendable(n, fresh)) {
                    return null;
                }
            }
            nodes.putAll(fresh);
            state.changed = new HashMap<>();
            process(fresh.values());
            if (frozenAt.size() != frozen) {
                return null;
            }
            for (ReplayNode n : fresh.values()) {
                index(n);
            }
            compact(fresh.values());
            return new HashMap<>(state.changed);
        }

        /** True if {@code n} can be evaluated after everything decided without changing what was decided. */
        private boolean appendable(ReplayNode n, Map<CredentialId, ReplayNode> fresh) {
            for (Object key : subjectKeys(n, true)) {
                Map<PublicKey, Long> r = reach.get(key);
                if (r != null && Position.covered(n.positions, r)) {
                    return false; // a decided cut-off covers it: it should have come before that cut-off
                }
            }
            Object key = n.kind == ReplayNode.Kind.CUT_OFF ? gateKeyHeldBy(n) : null;
            if (key == null) {
                return true;
            }
            if (chainThrough.contains(key)) {
                return false;
            }
            Map<PublicKey, Long> coverage = coverageOf(n, key, fresh);
            for (Map.Entry<PublicKey, Long> e : extent.getOrDefault(key, Map.of()).entrySet()) {
                Long covered = coverage.get(e.getKey());
                if (covered == null || covered < e.getValue()) {
                    return false; // it would cut something already decided
                }
            }
            return true;
        }

        /** Compacts the decided among {@code done}: a live replay keeps only what later appends need of them. */
        void compact(Collection<ReplayNode> done) {
            for (ReplayNode n : done) {
                if (n.decided) {
                    n.compact();
                }
            }
        }

        /** Builds the indexes over everything decided, once. */
        void index() {
            if (extent != null) {
                return;
            }
            extent = new HashMap<>();
            reach = new HashMap<>();
            chainThrough = new HashSet<>();
            for (ReplayNode n : nodes.values()) {
                index(n);
            }
        }

        private void index(ReplayNode n) {
            if (!n.decided) {
                clean = false;
                return;
            }
            for (Object key : subjectKeys(n, true)) {
                Map<PublicKey, Long> m = extent.computeIfAbsent(key, k -> new HashMap<>());
                for (Position p : n.positions) {
                    m.merge(p.feed(), p.seq(), Math::max);
                }
            }
            chainThrough.addAll(subjectKeys(n, false));
            if (n.coverage != null && n.contributesTo != null) {
                Map<PublicKey, Long> m = reach.computeIfAbsent(n.contributesTo.key, k -> new HashMap<>());
                n.coverage.forEach((f, seq) -> m.merge(f, seq, Math::max));
            }
        }

        /**
         * The gate keys of {@code n}'s subjects: {@code coverable}, its issuer and signing devices (positions can
         * cover it there); otherwise the devices further up its chains.
         */
        private static List<Object> subjectKeys(ReplayNode n, boolean coverable) {
            List<Object> keys = new ArrayList<>(2);
            if (coverable) {
                keys.add(new CutOffGate.MemberKey(n.body.issuer()));
            }
            for (VerifiedCredential v : n.variants) {
                List<PublicKey> path = v.signedBy().devicePath();
                for (int i = coverable ? 0 : 1; i < (coverable ? Math.min(1, path.size()) : path.size()); i++) {
                    keys.add(new CutOffGate.DeviceKey(n.body.issuer(), path.get(i)));
                }
            }
            return keys;
        }

        // ---- building the graph ------------------------------------------------------------------------

        /** The verified credential, or the {@link HaloRejectedException} that refuses it. */
        private Object verifyOne(SpaceEntry e) {
            try {
                return verifier.verifyForReplay(e.payload());
            } catch (HaloRejectedException ex) {
                return ex;
            }
        }

        /**
         * Verifies every entry into new nodes; copies of one credential with different proofs are kept, each judged
         * on its own.
         */
        private Map<CredentialId, ReplayNode> verifyAll(Collection<SpaceEntry> input) {
            List<SpaceEntry> entries = new ArrayList<>(input);
            entries.sort(Comparator.comparing(SpaceEntry::feed).thenComparingLong(SpaceEntry::seq));
            steps += (long) entries.size() * log2(entries.size());
            Map<CredentialId, ReplayNode> fresh = new HashMap<>();
            for (int from = 0; from < entries.size(); from += VERIFY_CHUNK) {
                List<SpaceEntry> chunk = entries.subList(from, Math.min(entries.size(), from + VERIFY_CHUNK));
                // Each entry's verification is independent of the others' (the verifier's caches only save
                // work), so a large input is checked on the common pool; what follows is sequential, in order.
                List<Object> checked = (chunk.size() >= PARALLEL_FROM ? chunk.parallelStream() : chunk.stream())
                        .map(this::verifyOne).toList();
                for (int i = 0; i < chunk.size(); i++) {
                    SpaceEntry e = chunk.get(i);
                    steps++;
                    if (checked.get(i) instanceof HaloRejectedException ex) {
                        refuse(Optional.empty(), new Position(e.feed(), e.seq()), RefusalReason.INVALID_CREDENTIAL,
                                ex.code().code() + ": " + ex.getMessage());
                        continue;
                    }
                    VerifiedCredential v = (VerifiedCredential) checked.get(i);
                    ReplayNode n = fresh.computeIfAbsent(v.id(), id -> new ReplayNode(v));
                    n.positions.add(new Position(e.feed(), e.seq()));
                    if (n.proofs.add(v.credential().toByteString())) {
                        n.variants.add(v);
                    }
                }
                if (from + chunk.size() < entries.size()) {
                    progress.progress("checking credentials", from + chunk.size(), entries.size());
                }
            }
            progress.progress("checking credentials", entries.size(), entries.size());
            Comparator<ByteString> bytes = ByteString.unsignedLexicographicalComparator();
            for (ReplayNode n : fresh.values()) {
                if (n.variants.size() > 1) {
                    n.variants.sort((a, b) -> bytes.compare(a.credential().toByteString(), b.credential().toByteString()));
                }
            }
            return fresh;
        }

        /**
         * Parent edges, and what can only be pending: everything downstream of a parent that has not arrived. A
         * DeviceRevoked is identity-scoped and portable (rule 8): it is copied into every space of its identity
         * with the parents it has in the HALO, so parents that are not in this space do not hold it back.
         */
        private void link(Collection<ReplayNode> fresh) {
            List<ReplayNode> missing = new ArrayList<>();
            for (ReplayNode n : fresh) {
                boolean portable = n.body.assertion() instanceof DeviceRevoked;
                for (CredentialId p : n.parentIds) {
                    steps++;
                    ReplayNode parent = nodes.get(p);
                    if (parent == null) {
                        if (!portable && !n.missingParent) {
                            n.missingParent = true;
                            missing.add(n);
                        }
                    } else {
                        if (!parent.decided) {
                            parent.children.add(n); // a decided parent has nothing more to tell its children
                        }
                        n.parents.add(parent);
                        if (!parent.decided) {
                            n.waitingFor++;
                        }
                        if (parent.missingParent && !parent.decided && !n.missingParent) {
                            n.missingParent = true; // a parent that waits for a missing one
                            missing.add(n);
                        }
                    }
                }
            }
            while (!missing.isEmpty()) {
                ReplayNode x = missing.remove(missing.size() - 1);
                for (ReplayNode c : x.children) {
                    steps++;
                    if (!c.missingParent) {
                        c.missingParent = true;
                        missing.add(c);
                    }
                }
            }
        }

        /** Rule 4's gates: each cut-off holds back the credentials of its subject that it does not cover. */
        private void buildGates(List<ReplayNode> all) {
            for (ReplayNode n : all) {
                Object key = n.kind == ReplayNode.Kind.CUT_OFF && !n.missingParent ? gateKeyHeldBy(n) : null;
                if (key == null) {
                    continue;
                }
                n.coverage = coverageOf(n, key, Map.of());
                gates.computeIfAbsent(key, CutOffGate::new).addContributor(n);
                openCutOffs.add(n);
            }
            for (ReplayNode n : all) {
                if (n.missingParent) {
                    continue;
                }
                Set<CutOffGate> at = new LinkedHashSet<>();
                hold(n, new CutOffGate.MemberKey(n.body.issuer()), true, at);
                for (VerifiedCredential v : n.variants) {
                    if (!v.signedBy().signedByIdentity()) {
                        hold(n, new CutOffGate.DeviceKey(n.body.issuer(), v.signedBy().signer()), true, at);
                    }
                }
                for (VerifiedCredential v : n.variants) {
                    List<PublicKey> path = v.signedBy().devicePath();
                    for (int i = 1; i < path.size(); i++) {
                        hold(n, new CutOffGate.DeviceKey(n.body.issuer(), path.get(i)), false, at);
                    }
                }
            }
            for (CutOffGate g : gates.values()) {
                g.start(this::released, this::coverReleased);
            }
        }

        /** What cut-off {@code n} covers: the positions it records, and those of its direct parents of the subject. */
        private Map<PublicKey, Long> coverageOf(ReplayNode n, Object key, Map<CredentialId, ReplayNode> fresh) {
            Map<PublicKey, Long> coverage = new HashMap<>(recordedPositions(n));
            for (CredentialId p : n.parentIds) {
                steps++;
                ReplayNode parent = nodes.containsKey(p) ? nodes.get(p) : fresh.get(p);
                if (parent != null && belongsTo(parent, key)) {
                    for (Position pos : parent.positions) {
                        coverage.merge(pos.feed(), pos.seq(), Math::max);
                    }
                }
            }
            return coverage;
        }

        private void hold(ReplayNode n, Object key, boolean coverable, Set<CutOffGate> at) {
            CutOffGate g = gates.get(key);
            if (g != null && g != n.contributesTo && at.add(g)) {
                steps++;
                g.register(n, coverable);
            }
        }

        /**
         * The gate a cut-off holds: the subject member of a role change, or the revoked device. A revocation no
         * proof of which could be valid (signed by a READ or WRITE device) holds nothing.
         */
        private static Object gateKeyHeldBy(ReplayNode n) {
            VerifiedCredential b = n.body;
            if (b.assertion() instanceof SpaceMember) {
                return new CutOffGate.MemberKey(b.subject());
            }
            for (VerifiedCredential v : n.variants) {
                boolean mayRevoke = v.signedBy().signedByIdentity()
                        || v.signedBy().scope().orElse(DeviceScope.DEVICE_SCOPE_READ) == DeviceScope.DEVICE_SCOPE_ADMIN;
                if (mayRevoke) {
                    return new CutOffGate.DeviceKey(b.issuer(), b.subject());
                }
            }
            return null;
        }

        private static Map<PublicKey, Long> recordedPositions(ReplayNode n) {
            if (n.body.assertion() instanceof DeviceRevoked r) {
                return SpaceRules.positions(r.getAcceptedUntilList());
            }
            return SpaceRules.positions(((SpaceMember) n.body.assertion()).getAcceptedUntilList());
        }

        /** True if {@code n} is a credential of the gate's subject (so a cut-off naming it as a parent has seen it). */
        private static boolean belongsTo(ReplayNode n, Object key) {
            if (key instanceof CutOffGate.MemberKey m) {
                return n.issuer.equals(m.identity());
            }
            CutOffGate.DeviceKey d = (CutOffGate.DeviceKey) key;
            return n.issuer.equals(d.identity()) && n.signedBy(d.device());
        }

        /** A cut-off no longer waits for one feed's worth of the credentials it covers. */
        private void coverReleased(ReplayNode cutOff) {
            steps++;
            cutOff.coveredWaits--;
            if (--cutOff.waitingFor == 0 && !cutOff.missingParent) {
                push(cutOff);
            }
        }

        /** Tells the gates that hold {@code n} that it is decided, or will wait for good. */
        private void subjectDone(ReplayNode n) {
            for (CutOffGate.Registration r : n.registrations) {
                steps++;
                r.gate.subjectDone(r);
            }
        }

        private void released(CutOffGate.Registration r) {
            if (!r.released) {
                r.released = true;
                steps++;
                if (--r.node.waitingFor == 0 && !r.node.missingParent) {
                    push(r.node);
                }
            }
        }

        // ---- the evaluation loop -----------------------------------------------------------------------

        private void push(ReplayNode n) {
            if (!n.queued && !n.decided) {
                steps += log2(ready.size() + 1);
                n.queued = true;
                ready.add(n);
            }
        }

        private void decided(ReplayNode n) {
            n.decided = true;
            n.parked = false;
            gateDone(n);
            subjectDone(n);
            for (ReplayNode c : n.children) {
                steps++;
                if (--c.waitingFor == 0 && !c.missingParent) {
                    push(c);
                }
            }
        }

        /** The cut-off no longer holds its gate: decided, or found unable to be decided for now. */
        private void gateDone(ReplayNode n) {
            if (n.contributesTo != null && openCutOffs.remove(n)) {
                steps += log2(openCutOffs.size() + 1);
                n.contributesTo.contributorDone(n);
            }
        }

        /** False if {@code n} cannot be judged yet (parked) or at all (frozen, then decided without effect). */
        private boolean canBeJudged(ReplayNode n) {
            if (n.positions.stream().allMatch(p -> isFrozen(p.feed(), p.seq()))) {
                decided(n); // dropped with its frozen feed; children still proceed
                return false;
            }
            if (state.genesis.isEmpty() && n.kind != ReplayNode.Kind.GENESIS) {
                park(n);
                parkedOnGenesis.add(n);
                return false;
            }
            if (n.kind != ReplayNode.Kind.GENESIS && admittedPosition(n).isEmpty()) {
                park(n);
                for (Position p : n.positions) {
                    parkedOnFeed.computeIfAbsent(p.feed(), k -> new ArrayList<>()).add(n);
                }
                return false;
            }
            n.parked = false;
            return true;
        }

        /** A parked credential stops holding others back once evaluation is stuck: it may wait for good. */
        private void park(ReplayNode n) {
            n.parked = true;
            parked.add(n);
        }

        private void evaluate(ReplayNode n) {
            steps++;

            if (!canBeJudged(n)) {
                return;
            }
            SpaceRules.Verdict verdict = judge(n);
            finish(n, verdict.isRefusal() ? verdict : verdict.apply());
        }

        /** Judges each proof of {@code n} in turn: the first that passes counts; else the first refusal. */
        private SpaceRules.Verdict judge(ReplayNode n) {
            SpaceRules.Verdict first = null;
            for (VerifiedCredential v : n.variants) {
                steps++;
                SpaceRules.Verdict verdict = rules.judge(n, v);
                if (!verdict.isRefusal()) {
                    return verdict;
                }
                if (first == null) {
                    first = verdict;
                }
            }
            return first;
        }

        private void finish(ReplayNode n, SpaceRules.Verdict outcome) {
            if (outcome.isRefusal()) {
                refuse(Optional.of(n.id), n.first(), outcome.reason, outcome.detail);
            } else {
                state.applied.add(n.id);
            }
            decided(n);
        }

        /**
         * Nothing is ready, yet cut-offs are undecided. Those that cannot be decided now (parked until a feed
         * admission or the genesis that may never come) stop holding their gates. The rest wait on one another
         * in cycles: the cycles are found once (strongly connected components of "waits for", in an order where
         * a cycle comes after every cycle it waits for) and resolved one at a time, the cut-offs of the cycle
         * whose issuer ranks highest judged together (see the class comment). Returns false when nothing more can
         * happen.
         */
        private boolean resolveStuck() {
            boolean progress = false;
            for (ReplayNode c : parked) {
                steps++;
                if (!c.decided && c.parked) {
                    progress |= openCutOffs.contains(c);
                    gateDone(c);
                    subjectDone(c);
                }
            }
            progress |= !parked.isEmpty();
            parked.clear();
            if (progress || !ready.isEmpty()) {
                return true;
            }
            for (int attempt = 0; attempt < 2; attempt++) {
                if (cycles == null) {
                    cycles = WaitCycles.find(batch, openCutOffs);
                    steps += cycles.steps();
                    cycleCursor = 0;
                }
                while (cycleCursor < cycles.cycles().size()) {
                    List<ReplayNode> batch = topRanked(cycles.cycles().get(cycleCursor));
                    if (batch.isEmpty()) {
                        cycleCursor++;
                        continue;
                    }
                    judgeTogether(batch);
                    return true;
                }
                cycles = null; // what is stuck now was not stuck when the cycles were found: look once more
            }
            return false;
        }

        /**
         * The undecided cut-offs of {@code cycle} whose issuer ranks highest now, leaving out those that still wait
         * for credentials they cover (those come first) and those that descend from another of them (a credential
         * is never judged before its parents) — unless that leaves none.
         */
        private List<ReplayNode> topRanked(List<ReplayNode> cycle) {
            List<ReplayNode> free = new ArrayList<>();
            for (ReplayNode c : cycle) {
                if (c.coveredWaits == 0) {
                    free.add(c);
                }
            }
            List<ReplayNode> top = highestRanked(free);
            if (top.isEmpty()) {
                top = highestRanked(cycle);
            }
            Set<ReplayNode> inCycle = new HashSet<>(cycle);
            Set<ReplayNode> candidates = new HashSet<>(top);
            List<ReplayNode> batch = new ArrayList<>();
            for (ReplayNode c : top) {
                if (!descendsFromAnother(c, candidates, inCycle)) {
                    batch.add(c);
                }
            }
            return batch.isEmpty() ? top : batch;
        }

        private boolean descendsFromAnother(ReplayNode c, Set<ReplayNode> candidates, Set<ReplayNode> inCycle) {
            Set<ReplayNode> seen = new HashSet<>();
            List<ReplayNode> stack = new ArrayList<>(c.parents);
            while (!stack.isEmpty()) {
                ReplayNode p = stack.remove(stack.size() - 1);
                steps++;
                if (p.decided || !inCycle.contains(p) || !seen.add(p)) {
                    continue;
                }
                if (candidates.contains(p)) {
                    return true;
                }
                stack.addAll(p.parents);
            }
            return false;
        }

        private List<ReplayNode> highestRanked(List<ReplayNode> cycle) {
            int top = Integer.MIN_VALUE;
            List<ReplayNode> batch = new ArrayList<>();
            for (ReplayNode c : cycle) {
                steps++;
                if (c.decided || c.queued || c.parked || !openCutOffs.contains(c)) {
                    continue;
                }
                int rank = state.rankOf(c.body.issuer());
                if (rank > top) {
                    top = rank;
                    batch.clear();
                }
                if (rank == top) {
                    batch.add(c);
                }
            }
            batch.sort(BY_ID);
            return batch;
        }

        /**
         * Judges {@code batch} against one state; applies each that passes unless another that passed cuts it
         * without being cut by it in return (that one waits on, and is judged again once its gates open).
         */
        private void judgeTogether(List<ReplayNode> batch) {
            Map<ReplayNode, SpaceRules.Verdict> verdicts = new HashMap<>();
            List<ReplayNode> passed = new ArrayList<>();
            for (ReplayNode c : batch) {
                if (!canBeJudged(c)) {
                    gateDone(c);
                    continue;
                }
                SpaceRules.Verdict v = judge(c);
                verdicts.put(c, v);
                if (!v.isRefusal()) {
                    passed.add(c);
                }
            }
            Set<ReplayNode> cut = new HashSet<>();
            for (ReplayNode x : passed) {
                for (ReplayNode y : passed) {
                    steps++;
                    if (x != y && cutsIt(y, x) && !cutsIt(x, y)) {
                        cut.add(x);
                        break;
                    }
                }
            }
            if (!passed.isEmpty() && cut.size() == passed.size()) {
                cut.clear(); // a ring of cut-offs each cutting the next: all are concurrent, all apply
            }
            for (ReplayNode c : batch) {
                SpaceRules.Verdict v = verdicts.get(c);
                if (v == null || cut.contains(c)) {
                    continue;
                }
                finish(c, v.isRefusal() ? v : v.apply());
            }
        }

        /**
         * True if cut-off {@code y} holds {@code x} back without covering it. A device revocation waits for the
         * role changes about its identity (so it is judged after the identity became a member) but none of them
         * cuts it: it is valid whatever the identity's role (rule 8).
         */
        private static boolean cutsIt(ReplayNode y, ReplayNode x) {
            boolean portable = x.body.assertion() instanceof DeviceRevoked;
            for (CutOffGate.Registration r : x.registrations) {
                if (portable && r.gate.key instanceof CutOffGate.MemberKey) {
                    continue;
                }
                if (r.gate == y.contributesTo && CutOffGate.cuts(y, r)) {
                    return true;
                }
            }
            return false;
        }

        // ---- state listener ------------------------------------------------------------------------------

        @Override
        public void genesisArrived() {
            for (ReplayNode w : parkedOnGenesis) {
                if (w.parked && !w.decided) {
                    push(w);
                }
            }
            parkedOnGenesis.clear();
        }

        @Override
        public void superseded(CredentialId change, String detail) {
            ReplayNode n = nodes.get(change);
            refuse(Optional.of(change), n.first(), RefusalReason.LOST_CONCURRENT, detail);
        }

        @Override
        public void feedAdmitted(PublicKey feed) {
            List<ReplayNode> waiting = parkedOnFeed.remove(feed);
            if (waiting != null) {
                for (ReplayNode w : waiting) {
                    if (w.parked && !w.decided && w.waitingFor == 0) {
                        push(w);
                    }
                }
            }
        }

        // ---- helpers --------------------------------------------------------------------------------------

        private Optional<Position> admittedPosition(ReplayNode n) {
            for (Position p : n.positions) {
                if (state.feeds.containsKey(p.feed()) && !isFrozen(p.feed(), p.seq())) {
                    return Optional.of(p);
                }
            }
            return Optional.empty();
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

        private void classifyLeftovers(List<ReplayNode> fresh) {
            for (ReplayNode n : fresh) {
                if (n.decided) {
                    continue;
                }
                clean = false;
                steps++;
                RefusalReason reason;
                String detail;
                if (n.missingParent) {
                    reason = RefusalReason.MISSING_PARENT;
                    detail = "waits for a parent that has not arrived";
                } else if (n.parked && state.genesis.isEmpty()) {
                    reason = RefusalReason.NO_GENESIS;
                    detail = "waits for the space's genesis";
                } else if (n.parked) {
                    reason = RefusalReason.FEED_NOT_ADMITTED;
                    detail = "stands only in feeds that are not admitted: " + n.first().feed().shortId();
                } else {
                    reason = RefusalReason.CAUSAL_CYCLE;
                    detail = "its parents depend on it";
                }
                refuse(Optional.of(n.id), n.first(), reason, detail);
            }
        }

        private List<CredentialId> heads() {
            Set<CredentialId> named = new HashSet<>();
            for (ReplayNode n : nodes.values()) {
                named.addAll(n.parentIds);
            }
            List<CredentialId> heads = new ArrayList<>();
            for (ReplayNode n : nodes.values()) {
                if (!named.contains(n.id) && n.decided) {
                    heads.add(n.id);
                }
            }
            heads.sort(Comparator.naturalOrder());
            return heads;
        }

        private static List<ReplayNode> sorted(Collection<ReplayNode> nodes) {
            List<ReplayNode> list = new ArrayList<>(nodes);
            list.sort(BY_ID);
            return list;
        }

        private static int log2(int n) {
            return 32 - Integer.numberOfLeadingZeros(Math.max(1, n));
        }
    }
}
