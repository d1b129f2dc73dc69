package org.halo4j.keys;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Ed25519: remembering decoded points never changes a verdict")
class Ed25519PointCacheTest {

    @Test
    @DisplayName("after a key's valid signature is remembered, bad signatures and other payloads still fail")
    void cachedKeyStillVerifiesEverySignature() throws Exception {
        InMemoryKeyring k = new InMemoryKeyring();
        PublicKey key = k.generate();
        byte[] payload = {1, 2, 3};
        byte[] sig = k.sign(key, SignatureDomain.CREDENTIAL, payload);
        for (int round = 0; round < 3; round++) {
            assertThat(Ed25519.verify(key, SignatureDomain.CREDENTIAL, payload, sig)).isTrue();
            byte[] bad = sig.clone();
            bad[round] ^= 1;
            assertThat(Ed25519.verify(key, SignatureDomain.CREDENTIAL, payload, bad)).isFalse();
            assertThat(Ed25519.verify(key, SignatureDomain.PRESENTATION, payload, sig)).isFalse();
            assertThat(Ed25519.verify(key, SignatureDomain.CREDENTIAL, new byte[] {1, 2, 4}, sig)).isFalse();
        }
    }

    @Test
    @DisplayName("more keys than the memory holds (it fills and starts over): every one still verifies, and only its own signatures")
    void beyondCapacity() throws Exception {
        InMemoryKeyring k = new InMemoryKeyring();
        byte[] payload = {9};
        int n = Ed25519.POINT_CACHE_SIZE + Ed25519.POINT_CACHE_SIZE / 2;
        PublicKey[] keys = new PublicKey[n];
        byte[][] sigs = new byte[n][];
        for (int i = 0; i < n; i++) {
            keys[i] = k.generate();
            sigs[i] = k.sign(keys[i], SignatureDomain.CREDENTIAL, payload);
            assertThat(Ed25519.verify(keys[i], SignatureDomain.CREDENTIAL, payload, sigs[i])).isTrue();
        }
        // A second pass after the memory has started over at least once: hits and misses alike.
        for (int i = 0; i < n; i++) {
            assertThat(Ed25519.verify(keys[i], SignatureDomain.CREDENTIAL, payload, sigs[i])).isTrue();
            assertThat(Ed25519.verify(keys[i], SignatureDomain.CREDENTIAL, payload, sigs[(i + 1) % n]))
                    .as("key %d with another key's signature", i).isFalse();
        }
    }

    @Test
    @DisplayName("a key that is not a curve point never verifies, even with a signature that passes for a real key")
    void notAPoint() throws Exception {
        InMemoryKeyring k = new InMemoryKeyring();
        PublicKey real = k.generate();
        byte[] payload = {1};
        byte[] sig = k.sign(real, SignatureDomain.CREDENTIAL, payload);
        assertThat(Ed25519.verify(real, SignatureDomain.CREDENTIAL, payload, sig)).isTrue();
        // The same key with the y coordinate changed to one that has no x on the curve (y = 2), sign bit kept.
        byte[] notOnCurve = new byte[32];
        notOnCurve[0] = 2;
        notOnCurve[31] = (byte) (real.toBytes()[31] & 0x80);
        PublicKey bogus = PublicKey.of(notOnCurve);
        assertThat(Ed25519.isValidPoint(bogus)).isFalse();
        assertThat(Ed25519.isValidPoint(real)).isTrue();
        assertThat(Ed25519.verify(bogus, SignatureDomain.CREDENTIAL, payload, sig)).isFalse();
        assertThat(Ed25519.verifyRaw(notOnCurve, new byte[] {1}, new byte[64])).isFalse();
    }
}
