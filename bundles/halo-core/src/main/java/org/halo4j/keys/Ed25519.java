package org.halo4j.keys;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Ed25519 (RFC 8032) through Bouncy Castle. Lengths are checked before Bouncy Castle is called, so a wrong
 * length is a {@code false} or an {@link IllegalArgumentException}, never an index error from inside BC.
 *
 * <p>Verification is public; signing is for {@link Keyring} implementations, which keep the private seed.
 */
public final class Ed25519 {

    /** Length of a private seed (the RFC 8032 private key). */
    public static final int SEED_LENGTH = 32;
    /** Length of a signature. */
    public static final int SIGNATURE_LENGTH = 64;

    /** Most decoded public points remembered; when full, the memory starts over. */
    static final int POINT_CACHE_SIZE = 4096;
    private static final ConcurrentHashMap<PublicKey, org.bouncycastle.math.ec.rfc8032.Ed25519.PublicPoint> POINTS =
            new ConcurrentHashMap<>();

    private Ed25519() {
    }

    /**
     * Verifies {@code signature} by {@code key} over {@code DOMAIN || 0x00 || payload}.
     *
     * @return true only if the signature is 64 bytes and valid (strict RFC 8032 verification: canonical S,
     *         canonical point encodings)
     */
    public static boolean verify(PublicKey key, SignatureDomain domain, byte[] payload, byte[] signature) {
        if (key == null || domain == null || payload == null) {
            return false;
        }
        return verify(key, domain.message(payload), signature);
    }

    /** Verifies a signature over exactly {@code message}, with no domain: only for test vectors. */
    static boolean verifyRaw(byte[] publicKey, byte[] message, byte[] signature) {
        if (publicKey == null || publicKey.length != PublicKey.LENGTH) {
            return false;
        }
        return verify(PublicKey.of(publicKey), message, signature);
    }

    /**
     * The one verification path. The public key is decoded and validated once (RFC 8032 point decoding) and
     * the decoded point of a key that produced a valid signature is remembered, so devices that sign again
     * skip the point decompression; every signature is verified in full every time.
     */
    private static boolean verify(PublicKey key, byte[] message, byte[] signature) {
        if (signature == null || signature.length != SIGNATURE_LENGTH || message == null) {
            return false;
        }
        CryptoCounters.verification();
        org.bouncycastle.math.ec.rfc8032.Ed25519.PublicPoint point = POINTS.get(key);
        boolean known = point != null;
        if (!known) {
            point = org.bouncycastle.math.ec.rfc8032.Ed25519.validatePublicKeyPartialExport(key.rawBytes(), 0);
            if (point == null) {
                return false;
            }
        }
        boolean valid = org.bouncycastle.math.ec.rfc8032.Ed25519.verify(signature, 0, point, message, 0, message.length);
        if (valid && !known) {
            if (POINTS.size() >= POINT_CACHE_SIZE) {
                POINTS.clear();
            }
            POINTS.put(key, point);
        }
        return valid;
    }

    /**
     * True if {@code key} is a valid Ed25519 public key (RFC 8032 point decoding): 32 bytes that are not a
     * point can never sign, so a key typed or issued about them is a mistake. Costs one point decompression
     * unless the key already signed here.
     */
    public static boolean isValidPoint(PublicKey key) {
        if (key == null) {
            return false;
        }
        return POINTS.containsKey(key)
                || org.bouncycastle.math.ec.rfc8032.Ed25519.validatePublicKeyPartialExport(key.rawBytes(), 0) != null;
    }

    /** A new random seed from {@code random}. The caller owns (and wipes) it. */
    static byte[] generateSeed(SecureRandom random) {
        byte[] seed = new byte[SEED_LENGTH];
        random.nextBytes(seed);
        return seed;
    }

    /** The public key of a 32-byte seed. */
    static PublicKey publicKey(byte[] seed) {
        checkSeed(seed);
        byte[] pk = new byte[PublicKey.LENGTH];
        org.bouncycastle.math.ec.rfc8032.Ed25519.generatePublicKey(seed, 0, pk, 0);
        return PublicKey.of(pk);
    }

    /** Signs {@code DOMAIN || 0x00 || payload} with {@code seed}. */
    static byte[] sign(byte[] seed, SignatureDomain domain, byte[] payload) {
        return signRaw(seed, domain.message(payload));
    }

    static byte[] signRaw(byte[] seed, byte[] message) {
        checkSeed(seed);
        byte[] sig = new byte[SIGNATURE_LENGTH];
        org.bouncycastle.math.ec.rfc8032.Ed25519.sign(seed, 0, message, 0, message.length, sig, 0);
        return sig;
    }

    private static void checkSeed(byte[] seed) {
        if (seed == null || seed.length != SEED_LENGTH) {
            throw new IllegalArgumentException("an Ed25519 seed is " + SEED_LENGTH + " bytes, found "
                    + (seed == null ? "none" : seed.length));
        }
    }

    /** Overwrites {@code secret} with zeros. */
    static void wipe(byte[] secret) {
        if (secret != null) {
            Arrays.fill(secret, (byte) 0);
        }
    }
}
