package org.halo4j.net;

import java.time.Duration;

/**
 * The bounds every peer channel keeps (the same on every peer unless configured otherwise).
 *
 * @param handshakeTimeout   from connection to both device proofs checked
 * @param idleTimeout        a connection that carries nothing for this long is closed
 * @param maxMessage         the largest {@link PeerChannel} message (reassembled from its chunks)
 * @param messagesPerSecond  sustained transport messages a peer may send per second; a burst of twice as many
 *                           is allowed, then the peer is cut off ({@code peer.flood})
 * @param maxConnections     connections a {@link PeerServer} runs at once
 */
public record ChannelLimits(Duration handshakeTimeout, Duration idleTimeout, int maxMessage, int messagesPerSecond,
                            int maxConnections) {

    /** 256 KiB: a batch of feed entries, each at most 64 KiB. */
    public static final int DEFAULT_MAX_MESSAGE = 256 * 1024;

    /** The defaults: 10 s handshake, 60 s idle, 256 KiB messages, 2000 messages/s, 64 connections. */
    public static final ChannelLimits DEFAULT = new ChannelLimits(Duration.ofSeconds(10), Duration.ofSeconds(60),
            DEFAULT_MAX_MESSAGE, 2000, 64);

    public ChannelLimits {
        if (handshakeTimeout.isNegative() || handshakeTimeout.isZero() || idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("timeouts must be positive");
        }
        if (maxMessage < 1024 || messagesPerSecond < 1 || maxConnections < 1) {
            throw new IllegalArgumentException("limits must be positive (maxMessage at least 1024)");
        }
    }

    public ChannelLimits withHandshakeTimeout(Duration d) {
        return new ChannelLimits(d, idleTimeout, maxMessage, messagesPerSecond, maxConnections);
    }

    public ChannelLimits withIdleTimeout(Duration d) {
        return new ChannelLimits(handshakeTimeout, d, maxMessage, messagesPerSecond, maxConnections);
    }

    public ChannelLimits withMessagesPerSecond(int n) {
        return new ChannelLimits(handshakeTimeout, idleTimeout, maxMessage, n, maxConnections);
    }

    public ChannelLimits withMaxConnections(int n) {
        return new ChannelLimits(handshakeTimeout, idleTimeout, maxMessage, messagesPerSecond, n);
    }
}
