package org.halo4j.node.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.halo4j.feeds.VerifiedEntry;
import org.halo4j.keys.Argon2Settings;
import org.halo4j.keys.FileKeyring;
import org.halo4j.keys.PublicKey;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DESIGN §8: "a crash at any point loses no acknowledged write — proven both by killing processes and by a storage
 * layer that drops every write not yet forced to disk". A child JVM ({@link CrashChild}) appends to a feed and
 * rewrites its keyring; this test kills it with SIGKILL at a random moment, then opens the store and the keyring
 * and checks every acknowledged write. Runs {@code -Dhalo.crash.cycles} kill cycles (default 200; 1000 for the
 * long run) on {@code -Dhalo.crash.lanes} children at a time (default 2); {@code -Dhalo.crash.seed} repeats a run.
 */
@DisplayName("Killed while writing (DESIGN §8)")
class KillCrashTest {

    static final int CYCLES = Integer.getInteger("halo.crash.cycles", 200);
    static final int LANES = Math.max(1, Integer.getInteger("halo.crash.lanes", 2));
    /** A fresh directory (feed and keyring) every this many cycles, so that opening stays quick. */
    static final int CYCLES_PER_DIRECTORY = 4;
    /**
     * The cheapest Argon2id settings a keyring file may have: what is under test is the keyring's atomic rewrite, not
     * its cost, and every child opens the keyring once.
     */
    static final Argon2Settings ARGON2 = new Argon2Settings(Argon2Settings.MIN_MEMORY_KIB, 1, 1);

    @TempDir
    Path tmp;

    private final AtomicLong killedEarly = new AtomicLong();
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicLong keyringWrites = new AtomicLong();
    private final AtomicLong tornTails = new AtomicLong();
    private final AtomicLong childCpu = new AtomicLong();

    /** What a child printed: its acknowledged writes. */
    record Acks(long maxSeq, int appends, Set<String> added, Set<String> removed, Set<String> removing,
                List<String> lines) {
        static Acks of(List<String> lines) {
            long max = -1;
            int appends = 0;
            Set<String> added = new HashSet<>();
            Set<String> removed = new HashSet<>();
            Set<String> removing = new HashSet<>();
            for (String l : lines) {
                if (l.startsWith("removing ")) {
                    removing.add(l.substring(9));
                }
                if (l.startsWith("acked ")) {
                    max = Math.max(max, Long.parseLong(l.substring(6)));
                    appends++;
                } else if (l.startsWith("key+ ")) {
                    added.add(l.substring(5));
                } else if (l.startsWith("key- ")) {
                    removed.add(l.substring(5));
                }
            }
            removing.removeAll(removed);
            return new Acks(max, appends, added, removed, removing, lines);
        }
    }

    @Test
    @DisplayName("\"a crash at any point loses no acknowledged write\": SIGKILL at random moments, every acknowledged entry and key survives")
    void killCycles() throws Exception {
        long seed = Long.getLong("halo.crash.seed", System.nanoTime());
        long started = System.nanoTime();
        Path warm = tmp.resolve("warm");
        PublicKey warmKey = newKeyring(warm);
        ChildJvm jvm = ChildJvm.prepare(tmp.resolve("jvm"), CrashChild.class,
                List.of(warm.toString(), warmKey.toHex(), "1", "exit"));
        double prepared = (System.nanoTime() - started) / 1e9;

        ExecutorService pool = Executors.newFixedThreadPool(LANES);
        try {
            List<Future<Void>> lanes = new ArrayList<>();
            for (int lane = 0; lane < LANES; lane++) {
                int cycles = CYCLES / LANES + (lane < CYCLES % LANES ? 1 : 0);
                Path dir = tmp.resolve("lane" + lane);
                Random random = new Random(seed + lane);
                String name = "lane " + lane + " (seed " + seed + ")";
                lanes.add(pool.submit(() -> {
                    lane(jvm, dir, cycles, random, name);
                    return null;
                }));
            }
            for (Future<Void> f : lanes) {
                f.get();
            }
        } finally {
            pool.shutdownNow(); // a lane that failed stops the others; each kills its child on the way out
            pool.awaitTermination(2, TimeUnit.MINUTES);
        }
        System.out.printf("kill test: %d SIGKILL cycles on %d lanes (%d before the first append), %d appends and %d "
                        + "keyring writes acknowledged, %d torn tails cut; children %s, %.2f CPU-s each; %.1f s (%.1f s to prepare), "
                        + "seed %d%n",
                CYCLES, LANES, killedEarly.get(), acknowledged.get(), keyringWrites.get(), tornTails.get(),
                jvm.accelerated() ? "from jars and a class archive" : "from the plain classpath",
                childCpu.get() / 1e9 / CYCLES,
                (System.nanoTime() - started) / 1e9, prepared, seed);
    }

    private static PublicKey newKeyring(Path dir) throws Exception {
        Files.createDirectories(dir);
        try (FileKeyring k = FileKeyring.create(dir.resolve(CrashChild.KEYRING), CrashChild.PASSPHRASE, ARGON2)) {
            return k.generate();
        }
    }

    /** {@code cycles} kill cycles in a row, a fresh directory every {@link #CYCLES_PER_DIRECTORY}. */
    private void lane(ChildJvm jvm, Path root, int cycles, Random random, String name) throws Exception {
        Path dir = null;
        PublicKey feedKey = null;
        long acked = -1;
        Set<String> liveKeys = new HashSet<>();
        for (int cycle = 0; cycle < cycles; cycle++) {
            if (cycle % CYCLES_PER_DIRECTORY == 0) {
                dir = root.resolve("run" + cycle);
                feedKey = newKeyring(dir);
                acked = -1;
                liveKeys.clear();
            }
            Acks acks = runAndKill(jvm, dir, feedKey, random);
            liveKeys.addAll(acks.added());
            liveKeys.removeAll(acks.removed());
            liveKeys.removeAll(acks.removing()); // in flight when killed: there or not
            acked = Math.max(acked, acks.maxSeq());
            acknowledged.addAndGet(acks.appends());
            keyringWrites.addAndGet(acks.added().size() + acks.removed().size());
            Set<String> held = check(dir, feedKey, acked, liveKeys, acks.removed(), name + " cycle " + cycle
                    + " (child printed " + acks.lines() + ")");
            liveKeys.clear();
            liveKeys.addAll(held); // what the file holds now is durable
        }
    }

    /** After a kill: the store opens, the feed holds every acknowledged entry and verifies, the keyring opens right. */
    private Set<String> check(Path dir, PublicKey feedKey, long acked, Set<String> liveKeys, Set<String> removed,
                              String context) throws Exception {
        try (FeedStore store = FileFeedStore.open(dir.resolve(CrashChild.FEEDS))) {
            if (acked >= 0) {
                Feed feed = store.feed(feedKey).orElseThrow(() -> new AssertionError("the feed is gone after " + context));
                assertTrue(feed.length() > acked, "acknowledged seq " + acked + ", found " + feed.length()
                        + " entries after " + context);
                assertFalse(feed.fork().isPresent(), context);
                List<VerifiedEntry> all = feed.entries(0, feed.length());
                assertEquals(feed.length(), all.size());
                if (feed.recovery().tornTailBytes() > 0) {
                    tornTails.incrementAndGet();
                }
            }
        }
        try (FileKeyring k = FileKeyring.open(dir.resolve(CrashChild.KEYRING), CrashChild.PASSPHRASE)) {
            assertTrue(k.contains(feedKey), "the feed key is gone after " + context);
            for (String hex : liveKeys) {
                assertTrue(k.contains(PublicKey.fromHex(hex)), () -> "acknowledged key " + hex.substring(0, 8)
                        + " is gone after " + context + "; the keyring holds " + k.keys());
            }
            for (String hex : removed) {
                assertFalse(k.contains(PublicKey.fromHex(hex)), "removed key " + hex.substring(0, 8)
                        + " is back after " + context);
            }
            Set<String> held = new HashSet<>();
            k.keys().stream().filter(key -> !key.equals(feedKey)).forEach(key -> held.add(key.toHex()));
            return held;
        }
    }

    /**
     * Starts a child and kills it with SIGKILL: mostly 5 to 150 ms after its first acknowledged append; one time in
     * eight at a random moment of its first 600 ms (starting, opening and recovering the store, first writes). The
     * child's output goes to a file, which is read after it died: a pipe would lose the last lines, because the JDK
     * closes a dead child's output stream under a reader that has not finished.
     */
    private Acks runAndKill(ChildJvm jvm, Path dir, PublicKey feedKey, Random random) throws Exception {
        Path output = dir.resolve("child.out");
        Process p = new ProcessBuilder(jvm.command(CrashChild.class,
                List.of(dir.toString(), feedKey.toHex(), Long.toString(random.nextLong()))))
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .redirectOutput(output.toFile())
                .start();
        try {
            if (random.nextInt(8) == 0) {
                Thread.sleep(random.nextInt(600));
                killedEarly.incrementAndGet();
            } else {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (!Files.readString(output).contains("acked ") && p.isAlive() && System.nanoTime() < deadline) {
                    Thread.sleep(2);
                }
                if (!p.isAlive()) {
                    fail("the child ended by itself: " + read(output));
                }
                Thread.sleep(5 + random.nextInt(146));
            }
        } finally {
            p.toHandle().info().totalCpuDuration().ifPresent(d -> childCpu.addAndGet(d.toNanos()));
            p.destroyForcibly(); // SIGKILL on Linux
        }
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the child did not die");
        return Acks.of(read(output));
    }

    /** The complete lines of a child's output: a line cut by the kill was never acknowledged. */
    private static List<String> read(Path output) throws IOException {
        String text = Files.readString(output, StandardCharsets.UTF_8);
        int end = text.lastIndexOf('\n');
        return end < 0 ? List.of() : List.of(text.substring(0, end).split("\n"));
    }
}
