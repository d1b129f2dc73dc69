package org.halo4j.spaces;

/**
 * Told how far a long piece of work has come, so that a person at a terminal sees it move: replaying a large
 * space checks every credential's signatures, and reading its feeds checks every entry's. Called from the
 * thread doing the work, every few hundred items and once at the end; it must be quick and must not throw.
 */
@FunctionalInterface
public interface ReplayProgress {

    /** Reports nothing. */
    ReplayProgress NONE = (phase, done, total) -> { };

    /** Items between two reports. */
    int EVERY = 256;

    /**
     * @param phase what is being done, for a person ("checking credentials")
     * @param done  items done so far
     * @param total items in all
     */
    void progress(String phase, long done, long total);
}
