package org.halo4j.servlet.internal;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Requests per client per minute, in a fixed one-minute window per client. Bounded: the least recently seen
 * clients are forgotten first (which can only give a forgotten client a fresh window, never lock anyone out).
 */
public final class RateLimiter {

    private static final int MAX_CLIENTS = 10_000;

    private record Window(long minute, int count) {
    }

    private final int perMinute;
    private final Map<String, Window> windows = new LinkedHashMap<>(256, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Window> eldest) {
            return size() > MAX_CLIENTS;
        }
    };

    public RateLimiter(int perMinute) {
        this.perMinute = perMinute;
    }

    /** Counts one request of {@code client}; 0 if allowed, else the seconds until it may try again. */
    public synchronized long acquire(String client, Instant now) {
        long minute = now.getEpochSecond() / 60;
        Window w = windows.get(client);
        if (w == null || w.minute() != minute) {
            w = new Window(minute, 0);
        }
        if (w.count() >= perMinute) {
            windows.put(client, w);
            return 60 - now.getEpochSecond() % 60;
        }
        windows.put(client, new Window(minute, w.count() + 1));
        return 0;
    }
}
