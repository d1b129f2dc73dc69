package org.halo4j.presentations;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.halo4j.internal.json.Json;

/**
 * A login challenge issued by a relying party: a random nonce, the relying party's origin and a short
 * lifetime. Serializes to JSON ({@link #toJson()} / {@link #fromJson(String)}) so that the nodes of a cluster
 * can share pending ceremonies.
 */
public final class Challenge {

    /** Length of a challenge nonce. */
    public static final int NONCE_LENGTH = 32;
    /** Longest audience (origin), in UTF-8 bytes. */
    public static final int MAX_AUDIENCE_BYTES = 512;

    private static final HexFormat HEX = HexFormat.of();

    private final byte[] nonce;
    private final String audience;
    private final Instant issuedAt;
    private final Instant expiresAt;

    public Challenge(byte[] nonce, String audience, Instant issuedAt, Instant expiresAt) {
        if (nonce == null || nonce.length != NONCE_LENGTH) {
            throw new IllegalArgumentException("a challenge nonce is " + NONCE_LENGTH + " bytes");
        }
        this.nonce = nonce.clone();
        this.audience = Objects.requireNonNull(audience);
        if (audience.isEmpty() || audience.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_AUDIENCE_BYTES) {
            throw new IllegalArgumentException("a challenge audience is 1 to " + MAX_AUDIENCE_BYTES + " bytes");
        }
        this.issuedAt = Objects.requireNonNull(issuedAt);
        this.expiresAt = Objects.requireNonNull(expiresAt);
        if (expiresAt.isBefore(issuedAt)) {
            throw new IllegalArgumentException("a challenge cannot expire before it is issued");
        }
    }

    /** A copy of the nonce. */
    public byte[] nonce() {
        return nonce.clone();
    }

    /** The nonce in lowercase hex: what the wallet signs. */
    public String nonceHex() {
        return HEX.formatHex(nonce);
    }

    /** The relying party's origin (RFC 6454), e.g. {@code https://app.example.com}. */
    public String audience() {
        return audience;
    }

    public Instant issuedAt() {
        return issuedAt;
    }

    public Instant expiresAt() {
        return expiresAt;
    }

    /** {@code {"nonce":"…","audience":"…","issuedAt":"…","expiresAt":"…"}}. */
    public String toJson() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("nonce", nonceHex());
        m.put("audience", audience);
        m.put("issuedAt", issuedAt.toString());
        m.put("expiresAt", expiresAt.toString());
        return Json.write(m);
    }

    /**
     * Reads {@link #toJson()}'s form.
     *
     * @throws IllegalArgumentException if the text is not a challenge
     */
    public static Challenge fromJson(String json) {
        Map<String, String> m = Json.readFlat(json);
        if (!m.keySet().equals(java.util.Set.of("nonce", "audience", "issuedAt", "expiresAt"))) {
            throw new IllegalArgumentException("a challenge has exactly the fields nonce, audience, issuedAt, expiresAt");
        }
        try {
            String hex = m.get("nonce");
            if (hex.length() != 2 * NONCE_LENGTH) {
                throw new IllegalArgumentException("nonce must be " + (2 * NONCE_LENGTH) + " hex digits");
            }
            return new Challenge(HEX.parseHex(hex), m.get("audience"),
                    Instant.parse(m.get("issuedAt")), Instant.parse(m.get("expiresAt")));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("a challenge time is not an ISO-8601 instant", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Challenge c && Arrays.equals(nonce, c.nonce) && audience.equals(c.audience)
                && issuedAt.equals(c.issuedAt) && expiresAt.equals(c.expiresAt);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(nonce);
    }

    @Override
    public String toString() {
        return "Challenge[" + nonceHex().substring(0, 8) + "… for " + audience + " until " + expiresAt + "]";
    }
}
