package org.halo4j.keys;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Key agreement keys derived from Ed25519 keys, as the did:key method derives {@code keyAgreement}: the
 * public key is the birational map of the Edwards point to Montgomery form, {@code u = (1 + y) / (1 - y)};
 * the private scalar is the clamped first half of {@code SHA-512(seed)}.
 */
public final class X25519 {

    /** Length of an X25519 public key or shared secret. */
    public static final int LENGTH = 32;

    private static final BigInteger P = BigInteger.ONE.shiftLeft(255).subtract(BigInteger.valueOf(19));

    private X25519() {
    }

    /** The X25519 public key that belongs to the Ed25519 public key {@code key}. */
    public static byte[] publicKeyOf(PublicKey key) {
        byte[] le = key.rawBytes().clone();
        le[31] &= 0x7f; // drop the sign bit of x
        BigInteger y = new BigInteger(1, reverse(le));
        BigInteger oneMinusY = BigInteger.ONE.subtract(y).mod(P);
        if (oneMinusY.signum() == 0) {
            throw new IllegalArgumentException("key " + key.shortId() + " has no X25519 form (y = 1)");
        }
        BigInteger u = BigInteger.ONE.add(y).multiply(oneMinusY.modInverse(P)).mod(P);
        byte[] be = u.toByteArray();
        byte[] out = new byte[LENGTH];
        for (int i = 0; i < LENGTH && i < be.length; i++) {
            out[i] = be[be.length - 1 - i];
        }
        return out;
    }

    /** The X25519 private scalar of an Ed25519 seed: clamped SHA-512(seed)[0..32]. The caller wipes it. */
    static byte[] privateScalarOf(byte[] seed) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-512").digest(seed);
            byte[] k = new byte[LENGTH];
            System.arraycopy(h, 0, k, 0, LENGTH);
            Ed25519.wipe(h);
            k[0] &= (byte) 248;
            k[31] &= 127;
            k[31] |= 64;
            return k;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-512 is missing from this JVM", e);
        }
    }

    /**
     * X25519 of the seed's private scalar with {@code peerPublic}.
     *
     * @throws IllegalArgumentException if the peer key is not 32 bytes or is a low-order point (the shared
     *                                  secret would be all zeros)
     */
    static byte[] agree(byte[] seed, byte[] peerPublic) {
        checkPeer(peerPublic);
        byte[] k = privateScalarOf(seed);
        try {
            return agreeScalar(k, peerPublic);
        } finally {
            Ed25519.wipe(k);
        }
    }

    /**
     * RFC 7748 X25519 of the 32-byte scalar {@code k} (clamped by Bouncy Castle) with {@code peerPublic}:
     * {@link #agree} after the scalar is known, and the entry for the Wycheproof vectors.
     *
     * @throws IllegalArgumentException if a length is wrong or the shared secret is all zeros (RFC 7748 §6.1)
     */
    static byte[] agreeScalar(byte[] k, byte[] peerPublic) {
        checkPeer(peerPublic);
        if (k == null || k.length != LENGTH) {
            throw new IllegalArgumentException("an X25519 private scalar is " + LENGTH + " bytes");
        }
        byte[] shared = new byte[LENGTH];
        org.bouncycastle.math.ec.rfc7748.X25519.scalarMult(k, 0, peerPublic, 0, shared, 0);
        int acc = 0;
        for (byte b : shared) {
            acc |= b;
        }
        if (acc == 0) {
            throw new IllegalArgumentException("the peer's X25519 key is a low-order point");
        }
        return shared;
    }

    private static void checkPeer(byte[] peerPublic) {
        if (peerPublic == null || peerPublic.length != LENGTH) {
            throw new IllegalArgumentException("an X25519 public key is " + LENGTH + " bytes, found "
                    + (peerPublic == null ? "none" : peerPublic.length));
        }
    }

    private static byte[] reverse(byte[] a) {
        byte[] r = new byte[a.length];
        for (int i = 0; i < a.length; i++) {
            r[i] = a[a.length - 1 - i];
        }
        return r;
    }
}
