package org.halo4j.net;

import java.net.URI;
import java.time.Duration;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.client.WebSocketClient;

/**
 * Opens WebSocket {@link Transport}s to peers and nodes ({@code ws://host:port/path}). One connector holds one
 * Jetty client and its threads; close it when done.
 */
public final class PeerConnector implements AutoCloseable {

    private final WebSocketClient client;
    private final ChannelLimits limits;

    public PeerConnector(ChannelLimits limits) throws PeerException {
        this.limits = limits;
        QueuedThreadPool threads = new QueuedThreadPool(8, 1);
        threads.setName("halo-net-client");
        threads.setDaemon(true);
        org.eclipse.jetty.client.HttpClient http = new org.eclipse.jetty.client.HttpClient();
        http.setExecutor(threads);
        this.client = new WebSocketClient(http);
        client.setMaxBinaryMessageSize(Transport.MAX_MESSAGE);
        client.setMaxFrameSize(Transport.MAX_MESSAGE);
        client.setMaxTextMessageSize(1024);
        client.setAutoFragment(false);
        client.setIdleTimeout(limits.idleTimeout());
        client.setConnectTimeout(limits.handshakeTimeout().toMillis());
        client.setStopAtShutdown(false);
        try {
            client.start();
        } catch (Exception e) {
            throw new PeerException("peer.start", "could not start the WebSocket client: " + e.getMessage(), e);
        }
    }

    /**
     * Connects to {@code uri} ({@code ws:} or {@code wss:}).
     *
     * @throws PeerException {@code peer.unreachable} if nobody answers, {@code peer.timeout} after the
     *                       handshake timeout
     */
    public Transport connect(URI uri) throws PeerException {
        String scheme = uri.getScheme();
        if (!"ws".equals(scheme) && !"wss".equals(scheme)) {
            throw new PeerException("peer.address", "a peer address is ws://HOST:PORT or wss://HOST:PORT, not " + uri);
        }
        WebSocketTransport transport = new WebSocketTransport();
        try {
            client.connect(transport, uri).get(limits.handshakeTimeout().toMillis(),
                    java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new PeerException("peer.timeout", uri + " did not answer within "
                    + limits.handshakeTimeout().toSeconds() + " s");
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable c = e.getCause();
            throw new PeerException("peer.unreachable", "could not connect to " + uri + ": "
                    + (c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage()), c);
        } catch (java.io.IOException e) {
            throw new PeerException("peer.unreachable", "could not connect to " + uri + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PeerException("peer.closed", "interrupted while connecting to " + uri);
        }
        transport.awaitOpen(limits.handshakeTimeout());
        return transport;
    }

    /** Stops the client and its threads. */
    @Override
    public void close() {
        try {
            client.stop();
        } catch (Exception e) {
            // stopping is best effort: the threads are daemons
        }
    }
}
