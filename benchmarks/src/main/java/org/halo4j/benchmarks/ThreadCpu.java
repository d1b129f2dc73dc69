package org.halo4j.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;

/**
 * CPU time (user and system) of threads, from the JVM's thread accounting: what a piece of work cost the cores,
 * counted independently of the throughput it reached (which also depends on what else ran on them).
 */
final class ThreadCpu {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private ThreadCpu() {
    }

    /** Nanoseconds of CPU used so far by the live threads whose names start with {@code prefix}. */
    static long ofThreadsNamed(String prefix) {
        long sum = 0;
        for (ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (info != null && info.getThreadName().startsWith(prefix)) {
                long cpu = THREADS.getThreadCpuTime(info.getThreadId());
                if (cpu > 0) {
                    sum += cpu;
                }
            }
        }
        return sum;
    }

    /** Nanoseconds of CPU used so far by the calling thread. */
    static long ofCurrentThread() {
        return THREADS.getCurrentThreadCpuTime();
    }
}
