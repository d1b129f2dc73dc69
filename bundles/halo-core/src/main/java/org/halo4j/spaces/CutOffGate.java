package org.halo4j.spaces;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.halo4j.keys.PublicKey;

/**
 * Holds back the credentials of one subject (a member, or one device of an identity) until every cut-off
 * about that subject that does not cover them is decided (DESIGN §4 rule 4). A cut-off covers a credential
 * that stands at or before the position it records for that credential's feed.
 *
 * <p>Cost: for one feed, the credentials at positions up to the lowest position any undecided cut-off
 * accepts are free, and that bound only rises as cut-offs are decided; so each credential is released once,
 * and each decision costs O(log n) per feed it names plus the credentials it releases. A cut-off that names
 * no position for a feed holds that whole feed back; the feed is looked at again only when the last such
 * cut-off is decided, found by a counter rather than a scan.
 */
final class CutOffGate {

    /** Whose credentials the gate holds back: a member of the space. */
    record MemberKey(PublicKey identity) {
    }

    /** Whose credentials the gate holds back: one device of an identity. */
    record DeviceKey(PublicKey identity, PublicKey device) {
    }

    /** One credential held back by one gate. */
    static final class Registration {
        final ReplayNode node;
        final CutOffGate gate;
        /** False for a credential whose chain passes through the device: positions cannot cover it. */
        final boolean coverable;
        boolean released;
        /** Its credential was decided (or can wait no more): cut-offs that cover it no longer wait for it. */
        boolean done;

        Registration(ReplayNode node, CutOffGate gate, boolean coverable) {
            this.node = node;
            this.gate = gate;
            this.coverable = coverable;
        }
    }

    /** Credentials held back in one feed, by position, and the counters that say when to look at it again. */
    private static final class FeedWait {
        final TreeMap<Long, List<Registration>> bySeq = new TreeMap<>();
        int initiallyNotNaming;
        int decidedNaming;
    }

    final Object key;
    private final List<ReplayNode> contributors = new ArrayList<>(1);
    private final Map<PublicKey, TreeMap<Long, Integer>> undecidedUntil = new HashMap<>();
    private final Map<PublicKey, FeedWait> feeds = new HashMap<>();
    private final List<Registration> uncoverable = new ArrayList<>();
    private final Map<Integer, List<PublicKey>> dueAt = new HashMap<>();
    /** The subject's credentials not yet decided, per feed and position: cut-offs wait for those they cover. */
    private final Map<PublicKey, TreeMap<Long, List<Registration>>> undecidedOfSubject = new HashMap<>();
    /** Cut-offs waiting for the subject's credentials they cover, per feed, by the last position they cover. */
    private final Map<PublicKey, TreeMap<Long, List<ReplayNode>>> coverWaits = new HashMap<>();
    private int undecided;
    private int decided;
    private Consumer<Registration> release;
    private Consumer<ReplayNode> coverReleased;
    private long steps;

    CutOffGate(Object key) {
        this.key = key;
    }

    void addContributor(ReplayNode cutOff) {
        contributors.add(cutOff);
        cutOff.contributesTo = this;
        undecided++;
        for (Map.Entry<PublicKey, Long> e : cutOff.coverage.entrySet()) {
            undecidedUntil.computeIfAbsent(e.getKey(), k -> new TreeMap<>()).merge(e.getValue(), 1, Integer::sum);
            steps++;
        }
    }

    /** Holds {@code node} back until the gate lets it through. */
    Registration register(ReplayNode node, boolean coverable) {
        Registration r = new Registration(node, this, coverable);
        node.registrations.add(r);
        node.waitingFor++;
        if (coverable) {
            for (Position p : node.positions) {
                feeds.computeIfAbsent(p.feed(), k -> new FeedWait()).bySeq.computeIfAbsent(p.seq(), k -> new ArrayList<>(1)).add(r);
                undecidedOfSubject.computeIfAbsent(p.feed(), k -> new TreeMap<>()).computeIfAbsent(p.seq(), k -> new ArrayList<>(1)).add(r);
                steps++;
            }
        } else {
            uncoverable.add(r);
        }
        return r;
    }

    /**
     * Called once every contributor and registration is in: releases what no cut-off holds back, and makes each
     * cut-off wait for the subject's credentials it covers (what was written before it is judged before it, with
     * the subject's role before the change: "what was applied before stays").
     */
    void start(Consumer<Registration> release, Consumer<ReplayNode> coverReleased) {
        this.release = release;
        this.coverReleased = coverReleased;
        for (ReplayNode c : contributors) {
            for (Map.Entry<PublicKey, Long> e : c.coverage.entrySet()) {
                steps++;
                TreeMap<Long, List<Registration>> pending = undecidedOfSubject.get(e.getKey());
                if (pending != null && !pending.isEmpty() && pending.firstKey() <= e.getValue()) {
                    c.waitingFor++;
                    c.coveredWaits++;
                    coverWaits.computeIfAbsent(e.getKey(), k -> new TreeMap<>())
                            .computeIfAbsent(e.getValue(), k -> new ArrayList<>(1)).add(c);
                }
            }
        }
        for (Map.Entry<PublicKey, FeedWait> e : feeds.entrySet()) {
            TreeMap<Long, Integer> naming = undecidedUntil.get(e.getKey());
            int count = 0;
            if (naming != null) {
                for (int c : naming.values()) {
                    count += c;
                }
            }
            e.getValue().initiallyNotNaming = contributors.size() - count;
            dueAt.computeIfAbsent(e.getValue().initiallyNotNaming, k -> new ArrayList<>(1)).add(e.getKey());
            look(e.getKey(), e.getValue());
        }
    }

    /** Every contributor, for the scheduler's batch of stuck cut-offs. */
    List<ReplayNode> contributors() {
        return contributors;
    }

    boolean isOpen() {
        return undecided == 0;
    }

    /** A contributor was decided (applied, refused) or withdrawn: release what it alone held back. */
    void contributorDone(ReplayNode cutOff) {
        undecided--;
        decided++;
        for (Map.Entry<PublicKey, Long> e : cutOff.coverage.entrySet()) {
            steps++;
            TreeMap<Long, Integer> m = undecidedUntil.get(e.getKey());
            m.merge(e.getValue(), -1, (a, b) -> a + b == 0 ? null : a + b);
            FeedWait w = feeds.get(e.getKey());
            if (w != null) {
                w.decidedNaming++;
                dueAt.computeIfAbsent(w.initiallyNotNaming + w.decidedNaming, k -> new ArrayList<>(1)).add(e.getKey());
                look(e.getKey(), w);
            }
        }
        List<PublicKey> due = dueAt.remove(decided);
        if (due != null) {
            for (PublicKey f : due) {
                steps++;
                FeedWait w = feeds.get(f);
                if (w.initiallyNotNaming + w.decidedNaming == decided) {
                    look(f, w);
                }
            }
        }
        if (undecided == 0) {
            for (Map.Entry<PublicKey, FeedWait> e : feeds.entrySet()) {
                look(e.getKey(), e.getValue());
            }
            for (Registration r : uncoverable) {
                steps++;
                release.accept(r);
            }
            uncoverable.clear();
        }
    }

    /** Releases the credentials of feed {@code f} that every undecided contributor covers. */
    private void look(PublicKey f, FeedWait w) {
        steps++;
        int notNaming = w.initiallyNotNaming - (decided - w.decidedNaming);
        if (notNaming > 0) {
            return;
        }
        TreeMap<Long, Integer> naming = undecidedUntil.get(f);
        long bound = undecided == 0 || naming == null || naming.isEmpty() ? Long.MAX_VALUE : naming.firstKey();
        while (!w.bySeq.isEmpty() && w.bySeq.firstKey() <= bound) {
            for (Registration r : w.bySeq.pollFirstEntry().getValue()) {
                steps++;
                release.accept(r);
            }
        }
    }

    /**
     * The credential of {@code r} was decided, or can wait no more: cut-offs whose covered credentials in a feed
     * are now all decided stop waiting.
     */
    void subjectDone(Registration r) {
        if (r.done || !r.coverable) {
            return;
        }
        r.done = true;
        for (Position p : r.node.positions) {
            steps++;
            TreeMap<Long, List<Registration>> pending = undecidedOfSubject.get(p.feed());
            List<Registration> at = pending.get(p.seq());
            if (at != null) {
                at.remove(r);
                if (at.isEmpty()) {
                    pending.remove(p.seq());
                }
            }
            TreeMap<Long, List<ReplayNode>> waits = coverWaits.get(p.feed());
            long firstUndecided = pending.isEmpty() ? Long.MAX_VALUE : pending.firstKey();
            while (waits != null && !waits.isEmpty() && waits.firstKey() < firstUndecided) {
                for (ReplayNode c : waits.pollFirstEntry().getValue()) {
                    steps++;
                    coverReleased.accept(c);
                }
            }
        }
    }

    /** The subject's undecided credentials in {@code feed}, by position (for finding cycles). */
    TreeMap<Long, List<Registration>> undecidedIn(PublicKey feed) {
        return undecidedOfSubject.getOrDefault(feed, EMPTY);
    }

    private static final TreeMap<Long, List<Registration>> EMPTY = new TreeMap<>();

    /** True if cut-off {@code y} (a contributor here) would cut {@code r}'s credential. */
    static boolean cuts(ReplayNode y, Registration r) {
        return !r.coverable || !Position.covered(r.node.positions, y.coverage);
    }

    long steps() {
        return steps;
    }
}
