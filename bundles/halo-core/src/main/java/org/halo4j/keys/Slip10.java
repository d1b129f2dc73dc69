package org.halo4j.keys;

import java.nio.charset.StandardCharsets;

import org.bouncycastle.crypto.digests.SHA512Digest;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * SLIP-0010 key derivation for ed25519, which has only hardened children. A node is 64 bytes: the private key
 * (32) followed by the chain code (32).
 * <ul>
 * <li>master = HMAC-SHA512(key = "ed25519 seed", seed)</li>
 * <li>child i = HMAC-SHA512(key = chain code, 0x00 || private key || ser32(i | 0x80000000))</li>
 * </ul>
 * Every intermediate node is wiped as soon as the next one exists.
 */
final class Slip10 {

    /** Length of a node: private key || chain code. */
    static final int NODE_LENGTH = 64;
    /** The bit that marks an index as hardened; SLIP-0010 ed25519 sets it on every index. */
    static final int HARDENED = 0x80000000;

    private static final byte[] CURVE_KEY = "ed25519 seed".getBytes(StandardCharsets.US_ASCII);
    private static final int MIN_SEED = 16;
    private static final int MAX_SEED = 64;

    private Slip10() {
    }

    /** The 32-byte private key (an Ed25519 seed) at {@code path} (indices without the hardened bit). */
    static byte[] deriveKey(byte[] seed, int... path) {
        byte[] node = deriveNode(seed, path);
        try {
            byte[] key = new byte[Ed25519.SEED_LENGTH];
            System.arraycopy(node, 0, key, 0, key.length);
            return key;
        } finally {
            Ed25519.wipe(node);
        }
    }

    /** The node (private key || chain code) at {@code path}; the caller wipes it. */
    static byte[] deriveNode(byte[] seed, int... path) {
        byte[] node = master(seed);
        for (int index : path) {
            byte[] next = child(node, index);
            Ed25519.wipe(node);
            node = next;
        }
        return node;
    }

    /** The master node of a 16- to 64-byte seed. */
    static byte[] master(byte[] seed) {
        if (seed == null || seed.length < MIN_SEED || seed.length > MAX_SEED) {
            throw new IllegalArgumentException("a SLIP-0010 seed is " + MIN_SEED + " to " + MAX_SEED + " bytes, found "
                    + (seed == null ? "none" : seed.length));
        }
        return hmacSha512(CURVE_KEY, seed, 0, seed.length);
    }

    /** The hardened child {@code index} (0 to 2^31 - 1; the hardened bit is added here) of {@code node}. */
    static byte[] child(byte[] node, int index) {
        if (node == null || node.length != NODE_LENGTH) {
            throw new IllegalArgumentException("a SLIP-0010 node is " + NODE_LENGTH + " bytes");
        }
        if (index < 0) {
            throw new IllegalArgumentException("a path index is 0 to 2^31 - 1 before hardening, found " + Integer.toUnsignedString(index));
        }
        byte[] data = new byte[1 + 32 + 4];
        byte[] chainCode = new byte[32];
        try {
            System.arraycopy(node, 0, data, 1, 32);
            int i = index | HARDENED;
            data[33] = (byte) (i >>> 24);
            data[34] = (byte) (i >>> 16);
            data[35] = (byte) (i >>> 8);
            data[36] = (byte) i;
            System.arraycopy(node, 32, chainCode, 0, 32);
            return hmacSha512(chainCode, data, 0, data.length);
        } finally {
            Ed25519.wipe(data);
            Ed25519.wipe(chainCode);
        }
    }

    private static byte[] hmacSha512(byte[] key, byte[] data, int off, int len) {
        HMac mac = new HMac(new SHA512Digest());
        KeyParameter param = new KeyParameter(key);
        mac.init(param);
        Ed25519.wipe(param.getKey()); // BC's copy of the key; the MAC keeps only its padded state
        mac.update(data, off, len);
        byte[] out = new byte[NODE_LENGTH];
        mac.doFinal(out, 0);
        return out;
    }
}
