package org.halo4j.servlet;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Requests per client per minute, in a fixed one-minute window per client ({@link #clientKey}: an IPv4 address
 * or an IPv6 /64). Bounded: the least recently seen clients are forgotten first (which can only give a forgotten
 * client a fresh window, never lock anyone out). Thread-safe. The filter counts its challenge and login requests
 * and every challenge it hands out with a 401; {@code HaloAuthenticationFilter} (halo-shiro) does the same.
 */
public final class RequestRateLimiter {

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

    public RequestRateLimiter(int perMinute) {
        this.perMinute = perMinute;
    }

    /**
     * The client a request is counted for: its IPv4 address, or the /64 network of its IPv6 address (one host
     * commonly holds a whole /64, so counting single IPv6 addresses would count nothing).
     */
    public static String clientKey(String address) {
        if (address == null) {
            return "?";
        }
        if (address.indexOf(':') < 0) {
            return address;
        }
        try {
            byte[] a = java.net.InetAddress.getByName(address.startsWith("[") ? address.substring(1, address.length() - 1)
                    : address).getAddress();
            if (a.length == 16) {
                return java.util.HexFormat.of().formatHex(a, 0, 8) + "::/64";
            }
            return address;
        } catch (java.net.UnknownHostException e) {
            return address; // a literal that does not parse: count it as it is
        }
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
