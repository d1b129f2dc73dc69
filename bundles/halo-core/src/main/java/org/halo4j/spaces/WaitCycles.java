package org.halo4j.spaces;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.halo4j.keys.PublicKey;

/**
 * The cycles of "waits for" among undecided credentials, found once in O(V + E) (Tarjan's strongly connected
 * components, without recursion). Vertices are credentials and gates; a credential waits for its undecided
 * parents and for the gates that still hold it back; a gate waits for its undecided cut-offs; a cut-off waits
 * for the undecided credentials of its subject that it covers. Components come
 * out in an order where each comes after every component it waits for, so resolving them in that order never
 * resolves a cycle before one it depends on.
 */
record WaitCycles(List<List<ReplayNode>> cycles, long steps) {

    /**
     * "Every undecided credential of the gate's subject in {@code feed} at or before {@code seq}": what a cut-off
     * covering that position waits for, as a chain, so the edges stay linear in the number of credentials.
     */
    private record Prefix(CutOffGate gate, PublicKey feed, long seq) {
    }

    static WaitCycles find(Collection<ReplayNode> nodes, Set<ReplayNode> openCutOffs) {
        return new Finder(openCutOffs).run(nodes);
    }

    private static final class Finder {
        final Set<ReplayNode> openCutOffs;
        final Map<Object, int[]> marks = new HashMap<>(); // {index, lowlink, onStack, waitsForItself}
        final Deque<Object> stack = new ArrayDeque<>();
        final List<List<ReplayNode>> cycles = new ArrayList<>();
        int next;
        long steps;

        Finder(Set<ReplayNode> openCutOffs) {
            this.openCutOffs = openCutOffs;
        }

        WaitCycles run(Collection<ReplayNode> nodes) {
            List<ReplayNode> roots = new ArrayList<>(nodes);
            roots.sort((a, b) -> a.id.compareTo(b.id));
            for (ReplayNode n : roots) {
                if (isVertex(n) && !marks.containsKey(n)) {
                    strongConnect(n);
                }
            }
            return new WaitCycles(cycles, steps);
        }

        private static boolean isVertex(ReplayNode n) {
            return !n.decided && !n.missingParent && !n.parked;
        }

        private Iterator<Object> successors(Object v) {
            List<Object> out = new ArrayList<>();
            if (v instanceof ReplayNode n) {
                for (CutOffGate.Registration r : n.registrations) {
                    steps++;
                    if (!r.released) {
                        out.add(r.gate);
                    }
                }
                for (ReplayNode p : n.parents) {
                    steps++;
                    if (isVertex(p)) {
                        out.add(p);
                    }
                }
                if (n.contributesTo != null && openCutOffs.contains(n)) {
                    for (Map.Entry<PublicKey, Long> e : n.coverage.entrySet()) {
                        steps++;
                        Long last = n.contributesTo.undecidedIn(e.getKey()).floorKey(e.getValue());
                        if (last != null) {
                            out.add(new Prefix(n.contributesTo, e.getKey(), last));
                        }
                    }
                }
            } else if (v instanceof Prefix p) {
                TreeMap<Long, List<CutOffGate.Registration>> undecided = p.gate().undecidedIn(p.feed());
                for (CutOffGate.Registration r : undecided.getOrDefault(p.seq(), List.of())) {
                    steps++;
                    if (isVertex(r.node)) {
                        out.add(r.node);
                    }
                }
                Long earlier = undecided.lowerKey(p.seq());
                if (earlier != null) {
                    out.add(new Prefix(p.gate(), p.feed(), earlier));
                }
            } else {
                for (ReplayNode c : ((CutOffGate) v).contributors()) {
                    steps++;
                    if (openCutOffs.contains(c) && isVertex(c)) {
                        out.add(c);
                    }
                }
            }
            return out.iterator();
        }

        private void strongConnect(Object root) {
            Deque<Object> work = new ArrayDeque<>();
            Deque<Iterator<Object>> iterators = new ArrayDeque<>();
            visit(root);
            work.push(root);
            iterators.push(successors(root));
            while (!work.isEmpty()) {
                Object v = work.peek();
                Iterator<Object> it = iterators.peek();
                if (it.hasNext()) {
                    Object w = it.next();
                    int[] wm = marks.get(w);
                    if (wm == null) {
                        visit(w);
                        work.push(w);
                        iterators.push(successors(w));
                    } else if (wm[2] == 1) {
                        int[] vm = marks.get(v);
                        vm[1] = Math.min(vm[1], wm[0]);
                        if (w == v) {
                            vm[3] = 1; // waits for itself
                        }
                    }
                    continue;
                }
                work.pop();
                iterators.pop();
                int[] vm = marks.get(v);
                if (!work.isEmpty()) {
                    int[] parent = marks.get(work.peek());
                    parent[1] = Math.min(parent[1], vm[1]);
                }
                if (vm[1] == vm[0]) {
                    List<ReplayNode> component = new ArrayList<>();
                    int size = 0;
                    boolean selfLoop = vm[3] == 1;
                    Object x;
                    do {
                        x = stack.pop();
                        marks.get(x)[2] = 0;
                        size++;
                        steps++;
                        if (x instanceof ReplayNode n) {
                            component.add(n);
                        }
                    } while (x != v);
                    if (size > 1 || selfLoop) {
                        cycles.add(component);
                    }
                }
            }
        }

        private void visit(Object v) {
            marks.put(v, new int[] {next, next, 1, 0});
            next++;
            stack.push(v);
            steps++;
        }
    }
}
