package org.halo4j.net;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Two transports joined in memory, for tests that play both ends (or a man in the middle) in one JVM. */
final class PipeTransport implements Transport {

    private static final byte[] CLOSED = new byte[0];
    private final BlockingQueue<byte[]> in;
    private final BlockingQueue<byte[]> out;

    private PipeTransport(BlockingQueue<byte[]> in, BlockingQueue<byte[]> out) {
        this.in = in;
        this.out = out;
    }

    static PipeTransport[] pair() {
        BlockingQueue<byte[]> a = new LinkedBlockingQueue<>();
        BlockingQueue<byte[]> b = new LinkedBlockingQueue<>();
        return new PipeTransport[] {new PipeTransport(a, b), new PipeTransport(b, a)};
    }

    @Override
    public void send(byte[] message, Duration timeout) {
        out.add(message.clone());
    }

    @Override
    public byte[] receive(Duration timeout) throws PeerException {
        try {
            byte[] m = in.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (m == null) {
                throw new PeerException("peer.timeout", "nothing within " + timeout);
            }
            if (m == CLOSED) {
                in.add(CLOSED);
                throw new PeerException("peer.closed", "pipe closed");
            }
            return m;
        } catch (InterruptedException e) {
            throw new PeerException("peer.closed", "interrupted");
        }
    }

    @Override
    public String remote() {
        return "pipe";
    }

    @Override
    public void close(String reason) {
        out.add(CLOSED);
        in.add(CLOSED);
    }
}
