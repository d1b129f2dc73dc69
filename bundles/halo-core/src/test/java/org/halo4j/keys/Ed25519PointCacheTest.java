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
    @DisplayName("more keys than the memory holds: every one still verifies")
    void beyondCapacity() throws Exception {
        InMemoryKeyring k = new InMemoryKeyring();
        byte[] payload = {9};
        for (int i = 0; i < Ed25519.POINT_CACHE_SIZE + 10; i += 97) {
            PublicKey key = k.generate();
            assertThat(Ed25519.verify(key, SignatureDomain.CREDENTIAL, payload, k.sign(key, SignatureDomain.CREDENTIAL, payload))).isTrue();
        }
    }

    @Test
    @DisplayName("a key that is not a curve point never verifies")
    void notAPoint() {
        byte[] notOnCurve = new byte[32];
        notOnCurve[0] = 2; // y = 2 has no x on the curve
        assertThat(Ed25519.verifyRaw(notOnCurve, new byte[] {1}, new byte[64])).isFalse();
    }
}
