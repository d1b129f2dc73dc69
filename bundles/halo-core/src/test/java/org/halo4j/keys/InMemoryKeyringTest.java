package org.halo4j.keys;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Set;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("InMemoryKeyring: the Keyring contract without a file")
class InMemoryKeyringTest {

    private static final byte[] PAYLOAD = "payload".getBytes(StandardCharsets.UTF_8);

    private static byte[] seed(int start) {
        byte[] seed = new byte[Ed25519.SEED_LENGTH];
        for (int i = 0; i < seed.length; i++) {
            seed[i] = (byte) (start + 7 * i);
        }
        return seed;
    }

    @Test
    @DisplayName("the Keyring signs, never hands a private key out, and Ed25519.verify accepts its signatures")
    void signs() throws Exception {
        InMemoryKeyring keyring = new InMemoryKeyring();
        PublicKey key = keyring.generate();
        assertEquals(Set.of(key), keyring.keys());
        byte[] signature = keyring.sign(key, SignatureDomain.DEVICE_CONSENT, PAYLOAD);
        assertTrue(Ed25519.verify(key, SignatureDomain.DEVICE_CONSENT, PAYLOAD, signature));
    }

    @Test
    @DisplayName("importSeed keeps its own copy: the caller may wipe its array at once")
    void importCopies() throws Exception {
        InMemoryKeyring keyring = new InMemoryKeyring();
        byte[] seed = seed(40);
        PublicKey key = keyring.importSeed(seed);
        Arrays.fill(seed, (byte) 0);
        assertEquals(Ed25519.publicKey(seed(40)), key);
        assertArrayEquals(Ed25519.sign(seed(40), SignatureDomain.CREDENTIAL, PAYLOAD),
                keyring.sign(key, SignatureDomain.CREDENTIAL, PAYLOAD));
        assertEquals(key, keyring.importSeed(seed(40)));
        assertEquals(1, keyring.keys().size());
    }

    @Test
    @DisplayName("destroy removes the key; signing with it is then UnknownKeyException")
    void destroy() throws Exception {
        InMemoryKeyring keyring = new InMemoryKeyring();
        PublicKey key = keyring.generate();
        keyring.destroy(key);
        keyring.destroy(key);
        assertFalse(keyring.contains(key));
        assertThrows(UnknownKeyException.class, () -> keyring.sign(key, SignatureDomain.CREDENTIAL, PAYLOAD));
        assertThrows(UnknownKeyException.class, () -> keyring.agree(key, X25519.publicKeyOf(key)));
    }
}
