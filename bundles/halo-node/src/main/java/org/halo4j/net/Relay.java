package org.halo4j.net;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Pairs connections that meet on a topic and passes their messages through unchanged: the two ends run their
 * Noise handshake with each other, so the relay sees ciphertext only and cannot read, alter or splice a session
 * ({@link PeerChannel}). One connection waits per topic; the next one on that topic is paired with it, and a
 * third waits for a fourth. A connection that waits longer than {@code maxWait} is closed. Thread-safe; each
 * connection runs on the thread that calls {@link #join}.
 */
public final class Relay {

    /** Sees every relayed message (for counting; a relay never sees plaintext, and tests check that). */
    public interface Observer {
        void relayed(String topic, byte[] message);
    }

    /** A topic is 64 lowercase hex characters (32 bytes, derived from the space key with a salt: docs/net.md). */
    public static boolean isTopic(String topic) {
        return topic.length() == 64 && topic.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
    }

    private record Waiter(Transport transport, CompletableFuture<Transport> partner) {
    }

    private final Map<String, Waiter> waiting = new HashMap<>();
    private final Duration maxWait;
    private final Observer observer;
    private final AtomicLong pairs = new AtomicLong();
    private final AtomicLong messages = new AtomicLong();

    public Relay(Duration maxWait, Observer observer) {
        this.maxWait = maxWait;
        this.observer = observer;
    }

    /** The first message a meeting pair gets from the relay: which side starts the handshake. */
    public static final byte RESPOND = 1;
    public static final byte INITIATE = 2;

    /**
     * Joins {@code transport} to {@code topic}: waits for a partner, or takes the one waiting, then passes
     * messages from this transport to the partner (the partner's thread passes the other direction) until either
     * end closes. Returns when the pair is over.
     */
    public void join(String topic, Transport transport) throws PeerException {
        join(topic, transport, false);
    }

    /**
     * As {@link #join(String, Transport)}, for two peers of equal standing (members' devices meeting on a
     * space's topic): once paired, each first gets one byte from the relay, {@link #RESPOND} for the one that
     * waited and {@link #INITIATE} for the one that came second, so that exactly one starts the handshake. The
     * byte is the relay's word, not authenticated: a lying relay can only make the handshake fail.
     */
    public void meet(String topic, Transport transport) throws PeerException {
        join(topic, transport, true);
    }

    private void join(String topic, Transport transport, boolean announceRoles) throws PeerException {
        if (!isTopic(topic)) {
            throw new PeerException("relay.topic", "a relay topic is 64 hex characters");
        }
        Waiter mine = null;
        Transport partner = null;
        synchronized (waiting) {
            Waiter w = waiting.remove(topic);
            if (w != null && w.partner().complete(transport)) {
                partner = w.transport();
                pairs.incrementAndGet();
                if (announceRoles) {
                    try {
                        partner.send(new byte[] {RESPOND}, Duration.ofSeconds(10));
                        transport.send(new byte[] {INITIATE}, Duration.ofSeconds(10));
                    } catch (PeerException e) {
                        partner.close("relay: the other side left");
                        throw e;
                    }
                }
            } else {
                mine = new Waiter(transport, new CompletableFuture<>());
                waiting.put(topic, mine);
            }
        }
        if (mine != null) {
            try {
                partner = mine.partner().get(maxWait.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                synchronized (waiting) {
                    waiting.remove(topic, mine);
                }
                if (mine.partner().complete(null)) {
                    throw new PeerException("relay.timeout", "nobody joined the topic within " + maxWait.toSeconds() + " s");
                }
                partner = mine.partner().getNow(null); // paired at the last moment
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                synchronized (waiting) {
                    waiting.remove(topic, mine);
                }
                mine.partner().complete(null);
                throw new PeerException("peer.closed", "interrupted while waiting on the relay");
            } catch (ExecutionException e) {
                throw new PeerException("peer.closed", "the relay gave up on this topic");
            }
        }
        pump(topic, transport, partner);
    }

    private void pump(String topic, Transport from, Transport to) {
        try {
            while (true) {
                byte[] m = from.receive(Duration.ofDays(1));
                messages.incrementAndGet();
                observer.relayed(topic, m);
                to.send(m, Duration.ofSeconds(30));
            }
        } catch (PeerException end) {
            from.close("relay: " + end.code());
            to.close("relay: the other side left");
        }
    }

    /** Pairs made since start. */
    public long pairs() {
        return pairs.get();
    }

    /** Messages passed since start. */
    public long messages() {
        return messages.get();
    }
}
