package org.halo4j.node.storage;

/**
 * What opening a feed file cut from its end.
 *
 * @param tornTailBytes bytes of an incomplete last record (a write that a crash interrupted, never acknowledged)
 * @param forkedBytes   bytes of entries at or after a recorded fork position, left by a crash between keeping the
 *                      fork proof and cutting the feed
 */
public record Recovery(long tornTailBytes, long forkedBytes) {

    /** Nothing was cut. */
    public static final Recovery CLEAN = new Recovery(0, 0);

    public Recovery {
        if (tornTailBytes < 0 || forkedBytes < 0) {
            throw new IllegalArgumentException("bytes cut are 0 or more, found " + tornTailBytes + " and " + forkedBytes);
        }
    }

    /** True if nothing was cut. */
    public boolean isClean() {
        return tornTailBytes == 0 && forkedBytes == 0;
    }
}
