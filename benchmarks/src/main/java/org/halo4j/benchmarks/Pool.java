package org.halo4j.benchmarks;

/**
 * Size and cursor of the input pools. Every benchmark cycles through {@link #SIZE} distinct, valid inputs
 * prepared in {@code @Setup}, so no benchmark measures one input the CPU has learnt by heart.
 */
final class Pool {

    /** Distinct inputs per benchmark; a power of two. */
    static final int SIZE = 1024;

    private int cursor;

    /** The next index, cycling through {@code 0 .. SIZE-1}. */
    int next() {
        int i = cursor;
        cursor = (i + 1) & (SIZE - 1);
        return i;
    }
}
