package org.halo4j.keys;

import java.nio.charset.StandardCharsets;

/**
 * What a signature is for. Every HALO signature covers {@code DOMAIN || 0x00 || bytes} (DESIGN §3), so a
 * signature of one kind can never be replayed as another. Keys in a {@link Keyring} sign only through a
 * domain: there is no way to sign raw bytes.
 */
public enum SignatureDomain {
    /** A {@code CredentialBody}. */
    CREDENTIAL("halo/credential/v1"),
    /** A {@code PresentationBody}. */
    PRESENTATION("halo/presentation/v1"),
    /** A {@code FeedEntryBody}. */
    FEED_ENTRY("halo/feed-entry/v1"),
    /** A device's consent to its own authorization: identity key || device key. */
    DEVICE_CONSENT("halo/device-consent/v1"),
    /** A feed key's proof of possession: space key || identity key || device key. */
    FEED_ADMIT("halo/feed-admit/v1"),
    /** A device's proof in a peer channel: the Noise handshake hash || the side's role byte. */
    PEER_SESSION("halo/peer-session/v1");

    private final String label;
    private final byte[] prefix;

    SignatureDomain(String label) {
        this.label = label;
        byte[] l = label.getBytes(StandardCharsets.US_ASCII);
        this.prefix = new byte[l.length + 1];
        System.arraycopy(l, 0, prefix, 0, l.length);
        // the trailing byte stays 0x00: the separator
    }

    /** The domain string, e.g. {@code halo/credential/v1}. */
    public String label() {
        return label;
    }

    /** {@code DOMAIN || 0x00 || payload}: the exact bytes that are signed. */
    public byte[] message(byte[] payload) {
        byte[] m = new byte[prefix.length + payload.length];
        System.arraycopy(prefix, 0, m, 0, prefix.length);
        System.arraycopy(payload, 0, m, prefix.length, payload.length);
        return m;
    }

    /** {@code DOMAIN || 0x00 || a || b || ...}: for signatures over several keys. */
    public byte[] message(byte[]... parts) {
        int n = prefix.length;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] m = new byte[n];
        System.arraycopy(prefix, 0, m, 0, prefix.length);
        int off = prefix.length;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, m, off, p.length);
            off += p.length;
        }
        return m;
    }
}
