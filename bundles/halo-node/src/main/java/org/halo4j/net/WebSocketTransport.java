package org.halo4j.net;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;

/**
 * A {@link Transport} on a Jetty WebSocket session (client or server side). Binary messages only, at most
 * {@link Transport#MAX_MESSAGE} bytes, each in one frame (auto-fragment is off, so the frame limit holds: see
 * STACK.md). Back-pressure: the session is asked for its next message only while fewer than {@link #QUEUE}
 * received messages wait to be read, so a peer that sends faster than this side reads is slowed by TCP, and
 * memory stays bounded. Public only because Jetty calls its listener methods reflectively; build it through
 * {@link PeerConnector} and {@link PeerServer}.
 */
public final class WebSocketTransport implements Transport, Session.Listener {

    /** Received messages held before the session stops reading from the socket. */
    static final int QUEUE = 16;

    private static final byte[] CLOSED = new byte[0];

    private final BlockingQueue<byte[]> received = new ArrayBlockingQueue<>(QUEUE + 1);
    private final CountDownLatch opened = new CountDownLatch(1);
    private final Object demandLock = new Object();
    private volatile Session session;
    private volatile String closeReason;
    private boolean demandPending;
    private volatile String remote = "?";

    WebSocketTransport() {
    }

    @Override
    public void onWebSocketOpen(Session s) {
        this.session = s;
        this.remote = String.valueOf(s.getRemoteSocketAddress());
        opened.countDown();
        s.demand();
    }

    @Override
    public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
        byte[] copy = new byte[payload.remaining()];
        payload.get(copy);
        callback.succeed();
        received.offer(copy); // never full: demand stops at QUEUE
        demandIfRoom();
    }

    @Override
    public void onWebSocketText(String message) {
        Session s = session;
        if (s != null) {
            s.close(StatusCode.BAD_DATA, "binary messages only", Callback.NOOP);
        }
    }

    /**
     * The connection closed. Jetty 12.0 (the one Felix HTTP Jetty 12 embeds: the node inside a container) calls
     * only this form; 12.1 deprecates it and calls it from its default of the form with a callback, which it
     * then completes. Overriding both is refused by 12.1, so this class overrides this form alone.
     */
    @Override
    @SuppressWarnings("removal")
    public void onWebSocketClose(int statusCode, String reason) {
        closed(reason == null || reason.isEmpty() ? "closed (" + statusCode + ")" : reason + " (" + statusCode + ")");
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        closed(cause.getClass().getSimpleName() + ": " + cause.getMessage());
    }

    private void closed(String reason) {
        if (closeReason == null) {
            closeReason = reason;
        }
        opened.countDown();
        received.offer(CLOSED);
    }

    private void demandIfRoom() {
        synchronized (demandLock) {
            if (received.size() < QUEUE) {
                demandPending = false;
                Session s = session;
                if (s != null && closeReason == null) {
                    s.demand();
                }
            } else {
                demandPending = true;
            }
        }
    }

    /** Waits until the WebSocket is open (a client connects asynchronously). */
    void awaitOpen(Duration timeout) throws PeerException {
        try {
            if (!opened.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new PeerException("peer.timeout", "the WebSocket did not open within " + timeout.toSeconds() + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PeerException("peer.closed", "interrupted while connecting");
        }
        if (session == null) {
            throw new PeerException("peer.closed", "the connection closed before it opened: " + closeReason);
        }
    }

    @Override
    public void send(byte[] message, Duration timeout) throws PeerException {
        if (message.length > MAX_MESSAGE) {
            throw new PeerException("peer.too_big", "a transport message is at most " + MAX_MESSAGE + " bytes, not "
                    + message.length);
        }
        Session s = session;
        if (s == null || closeReason != null || !s.isOpen()) {
            throw new PeerException("peer.closed", "the connection to " + remote + " is closed"
                    + (closeReason == null ? "" : ": " + closeReason));
        }
        CompletableFuture<Void> sent = new CompletableFuture<>();
        s.sendBinary(ByteBuffer.wrap(message), Callback.from(() -> sent.complete(null), sent::completeExceptionally));
        try {
            sent.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            close("send timed out");
            throw new PeerException("peer.timeout", remote + " did not take a message within " + timeout.toSeconds()
                    + " s");
        } catch (ExecutionException e) {
            throw new PeerException("peer.closed", "the connection to " + remote + " failed: "
                    + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PeerException("peer.closed", "interrupted while sending");
        }
    }

    @Override
    public byte[] receive(Duration timeout) throws PeerException {
        byte[] m;
        try {
            m = received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PeerException("peer.closed", "interrupted while receiving");
        }
        if (m == null) {
            throw new PeerException("peer.timeout", remote + " sent nothing for " + timeout.toSeconds() + " s");
        }
        if (m == CLOSED) {
            received.offer(CLOSED); // every later receive sees the close too
            throw new PeerException("peer.closed", remote + " closed the connection: " + closeReason);
        }
        synchronized (demandLock) {
            if (demandPending) {
                demandIfRoom();
            }
        }
        return m;
    }

    @Override
    public String remote() {
        return remote;
    }

    @Override
    public void close(String reason) {
        Session s = session;
        if (s != null && s.isOpen()) {
            s.close(StatusCode.NORMAL, truncate(reason), Callback.NOOP);
        }
        closed(reason);
    }

    /** A WebSocket close reason is at most 123 bytes of UTF-8. */
    private static String truncate(String reason) {
        String r = reason == null ? "" : reason;
        while (r.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 120) {
            r = r.substring(0, r.length() - 1);
        }
        return r;
    }
}
