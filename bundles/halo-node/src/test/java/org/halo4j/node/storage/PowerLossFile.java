package org.halo4j.node.storage;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * One file of a {@link PowerLossDirectory}: the bytes as of the last {@link #force()} ({@code durable}) and the
 * writes and truncations since ({@code pending}), which reads already see.
 */
final class PowerLossFile implements DurableFile {

    /** A write ({@code bytes} at {@code position}) or, with {@code bytes == null}, a truncation to {@code position}. */
    private record Op(long position, byte[] bytes) {
    }

    private static final int SECTOR = 512;

    private final PowerLossDirectory dir;
    private byte[] durable;
    private byte[] current;
    private final List<Op> pending = new ArrayList<>();

    PowerLossFile(PowerLossDirectory dir, byte[] content) {
        this.dir = dir;
        this.durable = content;
        this.current = content;
    }

    synchronized byte[] current() {
        return current.clone();
    }

    @Override
    public synchronized long size() throws IOException {
        dir.check();
        return current.length;
    }

    @Override
    public synchronized void read(long position, ByteBuffer dst) throws IOException {
        dir.check();
        int n = dst.remaining();
        if (position + n > current.length) {
            throw new EOFException("end of file at byte " + current.length);
        }
        dst.put(current, (int) position, n);
    }

    @Override
    public synchronized void write(long position, ByteBuffer src) throws IOException {
        dir.check();
        byte[] bytes = new byte[src.remaining()];
        src.get(bytes);
        pending.add(new Op(position, bytes));
        current = apply(current, position, bytes);
        if (!dir.mutate("write")) {
            throw new PowerLossDirectory.PowerLost();
        }
    }

    @Override
    public synchronized void force() throws IOException {
        if (!dir.mutate("force")) {
            throw new PowerLossDirectory.PowerLost();
        }
        durable = current;
        pending.clear();
    }

    @Override
    public synchronized void truncate(long size) throws IOException {
        dir.check();
        pending.add(new Op(size, null));
        current = Arrays.copyOf(current, (int) Math.min(size, current.length));
        if (!dir.mutate("truncate")) {
            throw new PowerLossDirectory.PowerLost();
        }
    }

    @Override
    public void close() {
        // the bytes stay in the directory
    }

    /** What a restarted machine finds: the durable bytes and a random prefix of the pending operations, the last torn. */
    synchronized PowerLossFile survivor(PowerLossDirectory into, Random random) {
        byte[] b = durable;
        int applied = random.nextInt(pending.size() + 1);
        for (int i = 0; i < applied; i++) {
            Op op = pending.get(i);
            boolean last = i == applied - 1;
            if (op.bytes() == null) {
                b = Arrays.copyOf(b, (int) Math.min(op.position(), b.length));
            } else if (last) {
                b = torn(b, op, random);
            } else {
                b = apply(b, op.position(), op.bytes());
            }
        }
        return new PowerLossFile(into, b);
    }

    /** A random prefix of a write; sometimes a lost sector inside it, sometimes the size extended over zeros. */
    private static byte[] torn(byte[] b, Op op, Random random) {
        int kept = random.nextInt(op.bytes().length + 1);
        byte[] out = apply(b, op.position(), Arrays.copyOf(op.bytes(), kept));
        int start = (int) op.position();
        switch (random.nextInt(4)) {
            case 0 -> { // a sector of the written prefix never reached the disk
                if (kept > 0) {
                    int from = start + random.nextInt(kept);
                    from -= from % SECTOR;
                    from = Math.max(from, start);
                    PowerLossDirectory.zeros(out, from, Math.min(out.length, from + SECTOR));
                }
            }
            case 1 -> { // the size reached the disk, the data did not
                int full = start + op.bytes().length;
                if (full > out.length) {
                    out = Arrays.copyOf(out, full);
                }
            }
            default -> { // a clean prefix
            }
        }
        return out;
    }

    private static byte[] apply(byte[] b, long position, byte[] bytes) {
        int end = (int) position + bytes.length;
        byte[] out = Arrays.copyOf(b, Math.max(b.length, end));
        System.arraycopy(bytes, 0, out, (int) position, bytes.length);
        return out;
    }
}
