package org.halo4j.servlet.internal;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Browser logins waiting for a wallet: the login page asks for one, shows its short code, and polls; a wallet
 * that the person gives the code to ({@code halo login URL --code CODE}) reads which site and which browser it is
 * about to log in, asks the person, and posts a presentation for the login's own challenge; the browser's next
 * poll then receives the session. Each pending login is bound to the browser that asked for it by a random token
 * in an HttpOnly cookie (kept here only as a hash), lives as long as its challenge, and completes once. One client
 * address has at most a few waiting at once, so that nobody fills the table for everyone.
 *
 * <p>Codes are 8 characters of a 32-letter alphabet without look-alikes (40 bits), shown as {@code ABCD-EFGH}.
 */
public final class BrowserLogins {

    private static final String ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    private static final SecureRandom RANDOM = new SecureRandom();

    /** One pending login. {@code sessionToken} is set once a wallet completed it. */
    public static final class Pending {
        public final String code;
        public final byte[] nonce;
        public final String browser;
        public final String next;
        public final Instant expiresAt;
        private final String browserHash;
        private final String client;
        private volatile String sessionToken;
        private volatile String did;

        Pending(String code, byte[] nonce, String browser, String next, Instant expiresAt, String browserHash,
                String client) {
            this.code = code;
            this.nonce = nonce.clone();
            this.browser = browser;
            this.next = next;
            this.expiresAt = expiresAt;
            this.browserHash = browserHash;
            this.client = client;
        }

        public Optional<String> sessionToken() {
            return Optional.ofNullable(sessionToken);
        }

        public Optional<String> did() {
            return Optional.ofNullable(did);
        }
    }

    /** What a new pending login gives the browser: its code, and the token for its cookie. */
    public record Started(Pending pending, String browserToken) {
    }

    private final int max;
    private final int perClient;
    private final java.time.Duration lifetime;
    private final LinkedHashMap<String, Pending> byCode = new LinkedHashMap<>();
    private final Map<String, Pending> byBrowser = new LinkedHashMap<>();
    private final Map<String, Integer> byClient = new java.util.HashMap<>();

    /**
     * @param max       pending logins at most
     * @param perClient pending logins of one client at most
     * @param lifetime  how long a code stays valid (its challenge's lifetime)
     */
    public BrowserLogins(int max, int perClient, java.time.Duration lifetime) {
        this.max = max;
        this.perClient = perClient;
        this.lifetime = lifetime;
    }

    /**
     * A new pending login for the challenge {@code nonce}.
     *
     * @return empty if {@code max} logins are waiting, or {@code perClient} of {@code client} (the caller answers
     *         503: a flood never evicts a person's)
     */
    public synchronized Optional<Started> start(byte[] nonce, String browser, String next, String client, Instant now) {
        dropExpired(now);
        if (byCode.size() >= max || byClient.getOrDefault(client, 0) >= perClient) {
            return Optional.empty();
        }
        String code;
        do {
            StringBuilder sb = new StringBuilder(8);
            for (int i = 0; i < 8; i++) {
                sb.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
            }
            code = sb.toString();
        } while (byCode.containsKey(code));
        byte[] raw = new byte[32];
        RANDOM.nextBytes(raw);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        Pending p = new Pending(code, nonce, browser, next, now.plus(lifetime), Sessions.hash(token), client);
        byCode.put(code, p);
        byBrowser.put(p.browserHash, p);
        byClient.merge(client, 1, Integer::sum);
        return Optional.of(new Started(p, token));
    }

    /** The waiting login of {@code typed} (any case, with or without the dash; O read as 0, I and L as 1). */
    public synchronized Optional<Pending> byCode(String typed, Instant now) {
        dropExpired(now);
        return Optional.ofNullable(byCode.get(normalize(typed))).filter(p -> p.sessionToken == null)
                .filter(p -> p.expiresAt.isAfter(now));
    }

    /** The login the browser holding {@code browserToken} waits for. */
    public synchronized Optional<Pending> byBrowser(String browserToken, Instant now) {
        if (browserToken == null || browserToken.length() != 43) {
            return Optional.empty();
        }
        dropExpired(now);
        return Optional.ofNullable(byBrowser.get(Sessions.hash(browserToken))).filter(p -> p.expiresAt.isAfter(now));
    }

    /** Completes {@code p} with the session a wallet started for it; false if it was completed already. */
    public synchronized boolean complete(Pending p, String sessionToken, String did) {
        if (p.sessionToken != null || byCode.get(p.code) != p) {
            return false;
        }
        p.sessionToken = sessionToken;
        p.did = did;
        return true;
    }

    /** Forgets {@code p} once its browser has taken the session. */
    public synchronized void finish(Pending p) {
        if (byCode.remove(p.code) != null) {
            forget(p);
        }
    }

    private void forget(Pending p) {
        byBrowser.remove(p.browserHash);
        byClient.computeIfPresent(p.client, (k, n) -> n <= 1 ? null : n - 1);
    }

    public synchronized int size() {
        return byCode.size();
    }

    /** The code as people read it: {@code ABCD-EFGH}. */
    public static String display(String code) {
        return code.substring(0, 4) + "-" + code.substring(4);
    }

    static String normalize(String typed) {
        if (typed == null || typed.length() > 16) {
            return "";
        }
        StringBuilder sb = new StringBuilder(8);
        for (char c : typed.toUpperCase(java.util.Locale.ROOT).toCharArray()) {
            if (c == '-' || c == ' ') {
                continue;
            }
            sb.append(c == 'O' ? '0' : c == 'I' || c == 'L' ? '1' : c);
        }
        return sb.toString();
    }

    private void dropExpired(Instant now) {
        Iterator<Map.Entry<String, Pending>> it = byCode.entrySet().iterator();
        while (it.hasNext()) {
            Pending p = it.next().getValue();
            if (p.expiresAt.isAfter(now)) {
                return; // one lifetime for all: the oldest expires first
            }
            it.remove();
            forget(p);
        }
    }
}
