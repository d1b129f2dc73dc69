package org.halo4j.servlet.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.halo4j.servlet.HaloPrincipal;

/**
 * Live sessions: a random 256-bit token per login, handed to the client once (cookie or bearer) and kept here
 * only as its SHA-256, so what this map holds cannot be replayed. Every session has the same lifetime, so the
 * order of creation is the order of expiry: dropping the expired ones looks only at the oldest, and when the
 * map is full the oldest is ended first. A new token is made at every login and none is ever taken from the
 * client, so a session cannot be fixed in advance.
 */
public final class Sessions {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final int max;
    private final LinkedHashMap<String, HaloPrincipal> byHash = new LinkedHashMap<>();

    public Sessions(int max) {
        this.max = max;
    }

    /** Starts {@code session}; returns its token. */
    public String create(HaloPrincipal session, Instant now) {
        byte[] raw = new byte[32];
        RANDOM.nextBytes(raw);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        String hash = hash(token); // the random token and its hash are made outside the lock: logins on all cores
        synchronized (this) {
            dropExpired(now);
            while (byHash.size() >= max) {
                Iterator<String> oldest = byHash.keySet().iterator();
                oldest.next();
                oldest.remove();
            }
            byHash.put(hash, session);
        }
        return token;
    }

    /** The live session of {@code token}, if any. */
    public Optional<HaloPrincipal> find(String token, Instant now) {
        if (token == null || token.length() != 43) {
            return Optional.empty();
        }
        String hash = hash(token);
        HaloPrincipal session;
        synchronized (this) {
            dropExpired(now);
            session = byHash.get(hash);
        }
        // also checked one by one: the order of creation is the order of expiry only while the clock moves forward
        return Optional.ofNullable(session).filter(s -> s.expiresAt().isAfter(now));
    }

    /** Ends the session of {@code token}; true if there was one. */
    public boolean end(String token) {
        if (token == null) {
            return false;
        }
        String hash = hash(token);
        synchronized (this) {
            return byHash.remove(hash) != null;
        }
    }

    public synchronized int size() {
        return byHash.size();
    }

    private void dropExpired(Instant now) {
        Iterator<Map.Entry<String, HaloPrincipal>> it = byHash.entrySet().iterator();
        while (it.hasNext()) {
            if (it.next().getValue().expiresAt().isAfter(now)) {
                return;
            }
            it.remove();
        }
    }

    /** How a token is kept: the hex of its SHA-256, so what is stored cannot be presented. */
    static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java platform", e);
        }
    }
}
