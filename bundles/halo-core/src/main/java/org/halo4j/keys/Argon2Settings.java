package org.halo4j.keys;

/**
 * Argon2id (RFC 9106, version 0x13) cost parameters of a {@link FileKeyring}. They are written in the keyring's
 * header and read back from it when the keyring is opened, so a keyring made with {@link #forTests()} opens
 * quickly and one made with {@link #DEFAULTS} stays as costly to attack as when it was made.
 *
 * <p>Every value is bounded, both here and when a header is read, so that a hostile file cannot make halo4j
 * allocate or compute without limit: memory {@value #MIN_MEMORY_KIB} KiB to {@value #MAX_MEMORY_KIB} KiB (1 GiB)
 * and at least 8 KiB per lane, iterations {@value #MIN_ITERATIONS} to {@value #MAX_ITERATIONS}, parallelism
 * {@value #MIN_PARALLELISM} to {@value #MAX_PARALLELISM}, and memory × iterations at most
 * {@value #MAX_COST_KIB} KiB (4 GiB of memory passes, about 20 times the default).
 *
 * @param memoryKiB   memory in KiB (Argon2 {@code m})
 * @param iterations  passes over the memory (Argon2 {@code t})
 * @param parallelism lanes (Argon2 {@code p})
 */
public record Argon2Settings(int memoryKiB, int iterations, int parallelism) {

    public static final int MIN_MEMORY_KIB = 8;
    public static final int MAX_MEMORY_KIB = 1 << 20;
    public static final int MIN_ITERATIONS = 1;
    public static final int MAX_ITERATIONS = 100;
    public static final int MIN_PARALLELISM = 1;
    public static final int MAX_PARALLELISM = 16;
    /** Upper bound of memoryKiB × iterations: the total work of one derivation. */
    public static final long MAX_COST_KIB = 4L << 20;

    /** 64 MiB, 3 iterations, 1 lane (DESIGN §9): for every keyring that holds real keys. */
    public static final Argon2Settings DEFAULTS = new Argon2Settings(65536, 3, 1);

    private static final Argon2Settings FOR_TESTS = new Argon2Settings(1024, 1, 1);

    /**
     * @throws IllegalArgumentException if a value is outside the bounds above
     */
    public Argon2Settings {
        KeyringException problem = problem(memoryKiB, iterations, parallelism);
        if (problem != null) {
            throw new IllegalArgumentException(problem.getMessage());
        }
    }

    /** 1 MiB, 1 iteration, 1 lane: fast, and far too weak for real keys. Only for tests. */
    public static Argon2Settings forTests() {
        return FOR_TESTS;
    }

    /**
     * The settings read from a keyring header, where each value is an unsigned 32-bit number.
     *
     * @throws KeyringException with code {@code keyring.argon2_memory}, {@code keyring.argon2_iterations},
     *                          {@code keyring.argon2_parallelism} or {@code keyring.argon2_cost}
     */
    static Argon2Settings fromHeader(long memoryKiB, long iterations, long parallelism) throws KeyringException {
        KeyringException problem = problem(memoryKiB, iterations, parallelism);
        if (problem != null) {
            throw problem;
        }
        return new Argon2Settings((int) memoryKiB, (int) iterations, (int) parallelism);
    }

    /** Memory × iterations in KiB: the work of one derivation. */
    long costKiB() {
        return (long) memoryKiB * iterations;
    }

    private static KeyringException problem(long memoryKiB, long iterations, long parallelism) {
        if (memoryKiB < MIN_MEMORY_KIB || memoryKiB > MAX_MEMORY_KIB) {
            return new KeyringException("keyring.argon2_memory", "Argon2id memory must be " + MIN_MEMORY_KIB + " to "
                    + MAX_MEMORY_KIB + " KiB, found " + memoryKiB + " KiB");
        }
        if (iterations < MIN_ITERATIONS || iterations > MAX_ITERATIONS) {
            return new KeyringException("keyring.argon2_iterations", "Argon2id iterations must be " + MIN_ITERATIONS
                    + " to " + MAX_ITERATIONS + ", found " + iterations);
        }
        if (parallelism < MIN_PARALLELISM || parallelism > MAX_PARALLELISM) {
            return new KeyringException("keyring.argon2_parallelism", "Argon2id parallelism must be "
                    + MIN_PARALLELISM + " to " + MAX_PARALLELISM + ", found " + parallelism);
        }
        if (memoryKiB < 8 * parallelism) {
            return new KeyringException("keyring.argon2_memory", "Argon2id memory must be at least 8 KiB per lane: "
                    + (8 * parallelism) + " KiB for " + parallelism + " lanes, found " + memoryKiB + " KiB");
        }
        if (memoryKiB * iterations > MAX_COST_KIB) {
            return new KeyringException("keyring.argon2_cost", "Argon2id memory × iterations must be at most "
                    + MAX_COST_KIB + " KiB, found " + memoryKiB + " KiB × " + iterations);
        }
        return null;
    }

    @Override
    public String toString() {
        return "Argon2id(m=" + memoryKiB + " KiB, t=" + iterations + ", p=" + parallelism + ")";
    }
}
