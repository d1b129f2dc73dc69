package org.halo4j.node.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.halo4j.feeds.FeedVerifier;
import org.halo4j.feeds.ForkProof;
import org.halo4j.feeds.VerifiedEntry;
import org.halo4j.proto.v1.FeedEntry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * DESIGN §8: "a crash at any point loses no acknowledged write — proven ... by a storage layer that drops every
 * write not yet forced to disk (power loss)". Random appends, imports, forks and clean reopens run on a
 * {@link PowerLossDirectory}; the power goes out at a random operation (mid-write included); the store restarts
 * from what survived and must hold every acknowledged entry, verify, and never report corruption. Runs
 * {@code -Dhalo.powerloss.cuts} cuts (default 3000); {@code -Dhalo.powerloss.seed} repeats a run.
 */
@DisplayName("Power loss (DESIGN §8)")
class PowerLossTest {

    static final int CUTS = Integer.getInteger("halo.powerloss.cuts", 3000);
    static final int CHAIN = 48;

    static final FeedFixture A = new FeedFixture(); // appended one by one, payloads up to 9 KiB
    static final FeedFixture B = new FeedFixture(); // imported in batches, with duplicates and forks
    static final FeedFixture C = new FeedFixture(); // signed by its writer inside the store
    static List<FeedEntry> chainA;
    static List<FeedEntry> chainB;
    static List<FeedEntry> conflictsB;

    @BeforeAll
    static void entries() throws Exception {
        Random r = new Random(42);
        chainA = A.chainAfter(Optional.empty(), CHAIN, seq -> {
            byte[] p = new byte[seq % 7 == 3 ? 9000 : r.nextInt(3000)];
            r.nextBytes(p);
            return ByteString.copyFrom(p);
        });
        chainB = B.randomChain(CHAIN, 400, r);
        conflictsB = new ArrayList<>();
        for (int i = 0; i < CHAIN; i++) {
            conflictsB.add(B.conflicting(chainB, i, "conflict " + i));
        }
    }

    /** What was acknowledged, and so must survive. */
    static final class Model {
        boolean createdA;
        boolean createdB;
        boolean createdC;
        long ackedA;
        long ackedB;
        Optional<ForkProof> forkB = Optional.empty();
        List<VerifiedEntry> ackedC = new ArrayList<>();
    }

    private long tornTails;
    private long forks;
    private long acknowledged;
    private final java.util.Map<String, Integer> cutDuring = new java.util.TreeMap<>();

    @Test
    @DisplayName("\"a crash at any point loses no acknowledged write\": random cuts, restarted from forced bytes only")
    void randomCuts() throws Exception {
        long seed = Long.getLong("halo.powerloss.seed", System.nanoTime());
        Random random = new Random(seed);
        long started = System.nanoTime();
        int cuts = 0;
        try {
            while (cuts < CUTS) {
                cuts += trial(random, 1 + random.nextInt(3));
            }
        } catch (AssertionError | Exception e) {
            throw new AssertionError("power loss run failed after " + cuts + " cuts; repeat with -Dhalo.powerloss.seed="
                    + seed + ": " + e, e);
        }
        System.out.printf("power loss: %d cuts %s, %d torn tails cut on restart, %d forks kept, %d appends "
                        + "acknowledged, %.1f s (seed %d)%n", cuts, cutDuring, tornTails, forks, acknowledged,
                (System.nanoTime() - started) / 1e9, seed);
        assertTrue(tornTails > 0, "no cut ever tore a record: the simulation is not doing its job");
    }

    /** One store from empty through {@code crashes} power losses; returns the number of cuts made. */
    private int trial(Random random, int crashes) throws Exception {
        PowerLossDirectory d = new PowerLossDirectory(random);
        Model m = new Model();
        for (int c = 0; c < crashes; c++) {
            d.cutAfter(random.nextInt(24));
            try {
                run(d, m, random);
            } catch (StorageException e) {
                if (!d.lost() || e instanceof CorruptFeedException) {
                    throw e;
                }
            }
            if (!d.lost()) {
                fail("the power never went out");
            }
            cutDuring.merge(d.cutDuring(), 1, Integer::sum);
            d = d.restart();
            check(d.restart(), m);
        }
        return crashes;
    }

    /** Random actions until the power goes out. */
    private void run(PowerLossDirectory d, Model m, Random random) throws Exception {
        FeedStore s = FileFeedStore.open(d);
        for (int step = 0; step < 1000; step++) {
            int action = random.nextInt(100);
            if (action < 35) {
                Feed f = s.openOrCreate(A.key);
                m.createdA = true;
                int n = (int) f.length();
                if (n < CHAIN) {
                    f.append(chainA.get(n));
                    m.ackedA = Math.max(m.ackedA, n + 1);
                    acknowledged++;
                }
            } else if (action < 65) {
                Feed f = s.openOrCreate(B.key);
                m.createdB = true;
                int from = Math.max(0, (int) f.length() - random.nextInt(3));
                int to = Math.min(CHAIN, from + 1 + random.nextInt(4));
                ImportResult r = f.importEntries(chainB.subList(from, to));
                m.ackedB = Math.max(m.ackedB, to);
                m.forkB = r.fork();
                acknowledged += r.appended();
            } else if (action < 70) {
                Feed f = s.openOrCreate(B.key);
                m.createdB = true;
                if (f.length() > 0) {
                    ImportResult r = f.importEntries(List.of(conflictsB.get(random.nextInt((int) f.length()))));
                    m.forkB = r.fork();
                }
            } else if (action < 95) {
                Feed f = s.openOrCreate(C.key);
                m.createdC = true;
                byte[] p = new byte[random.nextInt(700)];
                random.nextBytes(p);
                m.ackedC.add(f.write(C.writer, p));
                acknowledged++;
            } else {
                s.close();
                s = FileFeedStore.open(d);
            }
        }
        s.close();
    }

    /** After a restart: every acknowledged entry is there, every entry verifies, nothing is reported corrupt. */
    private void check(PowerLossDirectory d, Model m) throws Exception {
        FeedStore s = FileFeedStore.open(d);
        if (m.createdA) {
            Feed f = s.feed(A.key).orElseThrow(() -> new AssertionError("feed A was created and is gone"));
            assertTrue(f.length() >= m.ackedA, "feed A: acknowledged " + m.ackedA + ", found " + f.length());
            assertEquals(chainA.subList(0, (int) f.length()), raw(f.entries(0, f.length())));
            count(f);
            m.ackedA = f.length();
        }
        if (m.createdB) {
            Feed f = s.feed(B.key).orElseThrow(() -> new AssertionError("feed B was created and is gone"));
            if (m.forkB.isPresent()) {
                assertTrue(f.fork().isPresent(), "feed B: an acknowledged fork proof is gone");
                assertTrue(f.fork().get().seq() <= m.forkB.get().seq());
            }
            long mustHave = Math.min(m.ackedB, f.fork().map(ForkProof::seq).orElse(Long.MAX_VALUE));
            assertTrue(f.length() >= mustHave, "feed B: acknowledged " + mustHave + ", found " + f.length());
            f.fork().ifPresent(p -> assertEquals(p.seq(), f.length(), "feed B is served up to its fork position"));
            assertEquals(chainB.subList(0, (int) f.length()), raw(f.entries(0, f.length())));
            count(f);
            if (f.fork().isPresent() && m.forkB.isEmpty()) {
                forks++;
            }
            m.ackedB = f.length();
            m.forkB = f.fork();
        }
        if (m.createdC) {
            Feed f = s.feed(C.key).orElseThrow(() -> new AssertionError("feed C was created and is gone"));
            List<VerifiedEntry> held = f.entries(0, f.length());
            assertTrue(held.size() >= m.ackedC.size(), "feed C: acknowledged " + m.ackedC.size() + ", found " + held.size());
            assertEquals(m.ackedC, held.subList(0, m.ackedC.size()));
            for (VerifiedEntry e : held) {
                assertEquals(e, FeedVerifier.verify(e.entry()));
            }
            count(f);
            m.ackedC = new ArrayList<>(held);
        }
        s.close();
    }

    private void count(Feed f) {
        if (f.recovery().tornTailBytes() > 0) {
            tornTails++;
        }
    }

    private static List<FeedEntry> raw(List<VerifiedEntry> entries) {
        return entries.stream().map(VerifiedEntry::entry).toList();
    }
}
