package org.halo4j.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import org.halo4j.credentials.CredentialVerifier;
import org.halo4j.spaces.SpaceReplay;
import org.halo4j.spaces.SpaceState;

/**
 * Measures the heap held by the derived state of a space with N members, not counting the stored credential
 * log: heap in use after full collections with the log alone, then with the log and the replayed state.
 * Run: {@code java -cp benchmarks/target/benchmarks.jar org.halo4j.benchmarks.SpaceHeapMeasurement [members]}.
 */
public final class SpaceHeapMeasurement {

    private SpaceHeapMeasurement() {
    }

    public static void main(String[] args) throws Exception {
        int members = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        System.out.println("building a space of " + members + " members ...");
        SpaceHistory history = SpaceHistory.of(members);
        long withLog = usedAfterGc();
        SpaceState state = SpaceReplay.replay(history.spaceKey, history.entries);
        long withState = usedAfterGc();
        long bytes = withState - withLog;
        System.out.printf("members: %d%nheap held by the derived state: %.1f MiB (%d bytes, %.0f bytes per member)%n",
                state.members().size(), bytes / 1048576.0, bytes, (double) bytes / state.members().size());
        System.out.println("log still referenced: " + history.entries.size() + " entries; goal: at most 64 MiB");
        if (state.refused().size() + state.pending().size() > 0) {
            throw new IllegalStateException("the space did not replay cleanly");
        }
    }

    private static long usedAfterGc() throws InterruptedException {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(100);
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
