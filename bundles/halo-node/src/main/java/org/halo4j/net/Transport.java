package org.halo4j.net;

import java.time.Duration;

/**
 * A bidirectional stream of binary messages between two endpoints, each message at most
 * {@link #MAX_MESSAGE} bytes: a WebSocket connection, or one side of a relayed pair. Carries Noise messages only;
 * it neither encrypts nor authenticates ({@link PeerChannel} does). {@link #send} and {@link #receive} may be
 * called from two different threads; each of them from one thread at a time.
 */
public interface Transport extends AutoCloseable {

    /** The largest message a transport carries: the Noise message limit. */
    int MAX_MESSAGE = 65535;

    /** Sends one message; returns once the transport took it, or fails after {@code timeout}. */
    void send(byte[] message, Duration timeout) throws PeerException;

    /** The next message; waits at most {@code timeout}, then fails with {@code peer.timeout}. */
    byte[] receive(Duration timeout) throws PeerException;

    /** Where the other end is, for logs: an address, or the relay's. */
    String remote();

    /** Closes with a reason the other end may see (never secret). Idempotent. */
    void close(String reason);

    @Override
    default void close() {
        close("closed");
    }
}
