package org.halo4j.node.storage;

import java.io.IOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

/**
 * An in-memory {@link Directory} that simulates power loss. Each {@link PowerLossFile} keeps the bytes made
 * durable by its last force apart from the writes and truncations since. The power goes out at a chosen mutating
 * operation (write, force, truncate, publish): that operation and every later one, reads included, throws
 * {@link PowerLost}. {@link #restart()} gives the directory as a machine finds it after the power comes back:
 * the forced bytes of each file, plus a random prefix of its unforced operations, the last of which may be torn
 * (a random prefix of its bytes, sometimes with lost sectors read back as zeros, sometimes with the file's size
 * already extended over zeros). A publish is atomic: all or nothing.
 */
final class PowerLossDirectory implements Directory {

    /** The power is out. */
    static final class PowerLost extends IOException {
        private static final long serialVersionUID = 1L;

        PowerLost() {
            super("power lost");
        }
    }

    private final Random random;
    private final Map<String, PowerLossFile> files = new HashMap<>();
    private long ops;
    private long cutAt = Long.MAX_VALUE;
    private boolean lost;
    private String cutDuring = "";

    PowerLossDirectory(Random random) {
        this.random = random;
    }

    /** The power goes out at mutating operation number {@code op} from now (0: the next one). */
    synchronized void cutAfter(long op) {
        cutAt = ops + op;
    }

    /** Mutating operations so far. */
    synchronized long ops() {
        return ops;
    }

    synchronized boolean lost() {
        return lost;
    }

    /** The operation the power went out in: {@code write}, {@code force}, {@code truncate} or {@code publish}. */
    synchronized String cutDuring() {
        return cutDuring;
    }

    /** The files as they are after the power comes back: what was forced, and some of what was not. */
    synchronized PowerLossDirectory restart() {
        PowerLossDirectory after = new PowerLossDirectory(random);
        files.forEach((name, f) -> after.files.put(name, f.survivor(after, random)));
        return after;
    }

    /** Raw bytes of a file as reads see them now, for tests that damage files. */
    synchronized byte[] bytes(String name) {
        return files.get(name).current();
    }

    /** Replaces a file's bytes, durably, for tests that damage files. */
    synchronized void put(String name, byte[] content) {
        files.put(name, new PowerLossFile(this, content));
    }

    /**
     * Counts a mutating operation; throws if the power is already out.
     *
     * @return false if the power goes out during this operation
     */
    synchronized boolean mutate(String operation) throws PowerLost {
        check();
        if (ops++ == cutAt) {
            lost = true;
            cutDuring = operation;
            return false;
        }
        return true;
    }

    synchronized void check() throws PowerLost {
        if (lost) {
            throw new PowerLost();
        }
    }

    @Override
    public synchronized Set<String> names() throws IOException {
        check();
        return new TreeSet<>(files.keySet());
    }

    @Override
    public synchronized boolean exists(String name) throws IOException {
        check();
        return files.containsKey(name);
    }

    @Override
    public synchronized DurableFile open(String name) throws IOException {
        check();
        PowerLossFile f = files.get(name);
        if (f == null) {
            throw new java.nio.file.NoSuchFileException(name);
        }
        return f;
    }

    @Override
    public synchronized void publish(String name, byte[] content) throws IOException {
        if (!mutate("publish")) {
            if (random.nextBoolean()) {
                files.put(name, new PowerLossFile(this, content.clone()));
            }
            throw new PowerLost();
        }
        files.put(name, new PowerLossFile(this, content.clone()));
    }

    @Override
    public String describe(String name) {
        return "memory:" + name;
    }

    @Override
    public void close() {
        // nothing to release
    }

    static byte[] zeros(byte[] b, int from, int to) {
        Arrays.fill(b, from, to, (byte) 0);
        return b;
    }
}
