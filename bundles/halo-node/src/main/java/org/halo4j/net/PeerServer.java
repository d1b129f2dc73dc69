package org.halo4j.net;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;

/**
 * A WebSocket server for peer channels (Jetty 12): each route is a path (or a prefix ending in {@code /*}) whose
 * connections are handed, as {@link Transport}s, to a {@link Handler} on a thread of their own. At most
 * {@link ChannelLimits#maxConnections()} connections run at once; more are answered with HTTP 503 before any
 * WebSocket work. Frames and messages above {@link Transport#MAX_MESSAGE} bytes close the connection (1009),
 * compression extensions are refused, and a connection idle for {@link ChannelLimits#idleTimeout()} is closed.
 */
public final class PeerServer implements AutoCloseable {

    /** Runs one connection until it ends; the transport is closed after it returns or throws. */
    public interface Handler {
        void handle(Transport transport, String path) throws Exception;
    }

    private final Server server;
    private final ThreadPoolExecutor connections;
    private final AtomicInteger refused = new AtomicInteger();
    private InetSocketAddress address;

    private PeerServer(Server server, ThreadPoolExecutor connections) {
        this.server = server;
        this.connections = connections;
    }

    /**
     * Starts a server on {@code host:port} (port 0: any free port) with {@code routes}, path → handler.
     *
     * @throws PeerException {@code peer.bind} if the address cannot be bound
     */
    public static PeerServer start(String host, int port, ChannelLimits limits, Map<String, Handler> routes)
            throws PeerException {
        QueuedThreadPool jettyThreads = new QueuedThreadPool(16, 2);
        jettyThreads.setName("halo-net");
        jettyThreads.setDaemon(true);
        Server server = new Server(jettyThreads);
        ServerConnector connector = new ServerConnector(server, 1, 1);
        connector.setHost(host);
        connector.setPort(port);
        connector.setIdleTimeout(limits.idleTimeout().toMillis());
        server.addConnector(connector);
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor connections = new ThreadPoolExecutor(0, limits.maxConnections(), 30, TimeUnit.SECONDS,
                new SynchronousQueue<>(), r -> {
                    Thread t = new Thread(r, "halo-peer-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        PeerServer peerServer = new PeerServer(server, connections);
        server.setHandler(WebSocketUpgradeHandler.from(server, container -> {
            container.setMaxBinaryMessageSize(Transport.MAX_MESSAGE);
            container.setMaxFrameSize(Transport.MAX_MESSAGE);
            container.setMaxTextMessageSize(1024);
            container.setAutoFragment(false);
            container.setIdleTimeout(limits.idleTimeout());
            for (Map.Entry<String, Handler> route : routes.entrySet()) {
                Handler handler = route.getValue();
                container.addMapping(route.getKey(), (req, resp, cb) -> {
                    resp.setExtensions(List.of());
                    String path = Request.getPathInContext(req);
                    WebSocketTransport transport = new WebSocketTransport();
                    try {
                        connections.execute(() -> peerServer.run(transport, handler, path, limits));
                    } catch (RejectedExecutionException busy) {
                        peerServer.refused.incrementAndGet();
                        resp.setStatus(503);
                        resp.getHeaders().put("Retry-After", "5");
                        cb.succeeded();
                        return null;
                    }
                    return transport;
                });
            }
        }));
        try {
            server.start();
        } catch (Exception e) {
            connections.shutdownNow();
            try {
                server.stop();
            } catch (Exception ignored) {
                // the first failure is the one to report
            }
            throw new PeerException("peer.bind", "could not listen on " + host + ":" + port + ": " + e.getMessage(), e);
        }
        peerServer.address = new InetSocketAddress(connector.getHost(), connector.getLocalPort());
        return peerServer;
    }

    private void run(WebSocketTransport transport, Handler handler, String path, ChannelLimits limits) {
        try {
            transport.awaitOpen(limits.handshakeTimeout());
            handler.handle(transport, path);
        } catch (Exception e) {
            transport.close(e instanceof PeerException p ? p.code() : "error");
            return;
        }
        transport.close("done");
    }

    /** The address the server listens on (with the port it was given when asked for port 0). */
    public InetSocketAddress address() {
        return address;
    }

    /** Connections running now. */
    public int activeConnections() {
        return connections.getActiveCount();
    }

    /** Connections refused so far because {@link ChannelLimits#maxConnections()} were running. */
    public int refusedConnections() {
        return refused.get();
    }

    /** Stops accepting, closes every connection and waits up to {@code grace} for handlers to end. */
    public void stop(Duration grace) {
        try {
            server.stop();
        } catch (Exception e) {
            // stopping a server that failed is still stopped
        }
        connections.shutdown();
        try {
            if (!connections.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                connections.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            connections.shutdownNow();
        }
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(5));
    }
}
