package org.halo4j.keys;

/**
 * Counts Ed25519 verifications handed to Bouncy Castle on the current thread, so that tests can check what
 * hostile input costs without trusting the verifier's own bookkeeping. Per thread: concurrent tests do not
 * disturb each other. Not part of the API contract beyond that.
 */
public final class CryptoCounters {

    private static final ThreadLocal<long[]> VERIFICATIONS = ThreadLocal.withInitial(() -> new long[1]);

    private CryptoCounters() {
    }

    static void verification() {
        VERIFICATIONS.get()[0]++;
    }

    /** Ed25519 verifications started on this thread so far. */
    public static long verifications() {
        return VERIFICATIONS.get()[0];
    }
}
