package org.halo4j.keys;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("IdentityKeys: 'identity key = SLIP-0010 ed25519 at m/4256'/0' of the BIP39 seed, passphrase empty'")
class IdentityKeysTest {

    /*
     * Pinned identities. These values were computed once and checked against an independent implementation
     * (Python hashlib PBKDF2-HMAC-SHA512 and HMAC-SHA512, and the 'cryptography' package's Ed25519). If one of
     * these tests fails, the derivation changed and every existing phrase would recover a different identity:
     * fix the code, never the expected value.
     */
    static final String ZERO_DID = "did:key:z6MkwFpoKRNUea9TqyXorHtP34ra3XzhAKUcsRUhD6dcU49h";
    static final String ZERO_KEY = "f9a8be35ed09a32d8e43a02f68a60831dcc8ecb369bf8eadae3ec0d55d11c28c";
    static final String EIGHTY_DID = "did:key:z6MkwPUjhzBJ4PxBRVsur9G2PRyKAEHQCdDM7QgRKBUsHLFp";
    static final String EIGHTY_KEY = "fb9eb47bee2ad1998578c675fd1bb1295cb96f05f55706b8cc01b6c747b72a07";

    static RecoveryPhrase phrase(String text) throws KeyFormatException {
        return RecoveryPhrase.parse(text.toCharArray());
    }

    @Nested
    @DisplayName("regression: 'the derivation is fixed forever'")
    class Pinned {

        @Test
        @DisplayName("'abandon x23 art' (32 zero bytes) is " + ZERO_DID)
        void zero() throws KeyFormatException {
            try (RecoveryPhrase p = phrase(RecoveryPhraseTest.ZERO)) {
                PublicKey key = IdentityKeys.publicKeyOf(p);
                assertEquals(ZERO_KEY, key.toHex());
                assertEquals(ZERO_DID, key.toDidKey());
            }
        }

        @Test
        @DisplayName("'letter advice cage ... bless' (32 bytes 0x80) is " + EIGHTY_DID)
        void eighty() throws KeyFormatException {
            try (RecoveryPhrase p = phrase(RecoveryPhraseTest.EIGHTY)) {
                PublicKey key = IdentityKeys.publicKeyOf(p);
                assertEquals(EIGHTY_KEY, key.toHex());
                assertEquals(EIGHTY_DID, key.toDidKey());
            }
        }

        @Test
        @DisplayName("the path constant is m/4256'/0'")
        void path() {
            assertEquals("m/4256'/0'", IdentityKeys.DERIVATION_PATH);
            assertArrayEquals(Slip10VectorsTest.path(IdentityKeys.DERIVATION_PATH), IdentityKeys.PATH);
        }
    }

    @Nested
    @DisplayName("derivation: 'BIP39 seed with the empty passphrase, then SLIP-0010 at m/4256'/0''")
    class Derivation {

        @Test
        @DisplayName("the identity seed is the SLIP-0010 key at m/4256'/0' of the BIP39 seed, and at no neighbouring path")
        void steps() throws KeyFormatException {
            try (RecoveryPhrase p = phrase(RecoveryPhraseTest.EIGHTY)) {
                byte[] bip39Seed = Bip39.seed(p.wordIndices());
                assertArrayEquals(Bip39.seedWithTestPassphrase(p.wordIndices(), new char[0]), bip39Seed);
                byte[] identity = p.deriveIdentitySeed();
                assertEquals(32, identity.length);
                assertArrayEquals(Slip10.deriveKey(bip39Seed, 4256, 0), identity);
                assertFalse(Arrays.equals(Slip10.deriveKey(bip39Seed, 4256), identity));
                assertFalse(Arrays.equals(Slip10.deriveKey(bip39Seed, 4256, 1), identity));
                assertFalse(Arrays.equals(Slip10.deriveKey(bip39Seed, 44, 0), identity));
                assertFalse(Arrays.equals(Bip39.seedWithTestPassphrase(p.wordIndices(), "TREZOR".toCharArray()), bip39Seed));
            }
        }

        @Test
        @DisplayName("the seed is computed over the canonical phrase: case, spacing and full-width input give the same identity")
        void canonical() throws KeyFormatException {
            String messy = "  " + RecoveryPhraseTest.EIGHTY.toUpperCase().replace(" ", "\n\t ") + "\r\n";
            StringBuilder wide = new StringBuilder();
            for (char c : RecoveryPhraseTest.EIGHTY.toCharArray()) {
                wide.append(c == ' ' ? '\u3000' : (char) (c - 'a' + '\uFF41'));
            }
            for (String text : new String[] {messy, wide.toString()}) {
                try (RecoveryPhrase p = phrase(text)) {
                    assertEquals(EIGHTY_DID, IdentityKeys.publicKeyOf(p).toDidKey());
                    assertArrayEquals(RecoveryPhraseTest.EIGHTY.getBytes(StandardCharsets.US_ASCII), Bip39.phraseBytes(p.wordIndices()));
                }
            }
        }

        @Test
        @DisplayName("different phrases give different identities")
        void distinct() throws KeyFormatException {
            try (RecoveryPhrase a = phrase(RecoveryPhraseTest.ZERO); RecoveryPhrase b = phrase(RecoveryPhraseTest.EIGHTY)) {
                assertNotEquals(IdentityKeys.publicKeyOf(a), IdentityKeys.publicKeyOf(b));
            }
        }
    }

    @Nested
    @DisplayName("keyring: 'the Keyring offers sign and agree, never the private bytes'")
    class Import {

        @Test
        @DisplayName("importIdentity puts the identity key into the keyring, which then signs as the identity")
        void importIdentity() throws Exception {
            InMemoryKeyring keyring = new InMemoryKeyring();
            try (RecoveryPhrase p = phrase(RecoveryPhraseTest.ZERO)) {
                PublicKey key = IdentityKeys.importIdentity(keyring, p);
                assertEquals(ZERO_DID, key.toDidKey());
                assertTrue(keyring.contains(key));
                assertFalse(p.isDestroyed(), "the caller destroys the phrase once the backup is confirmed");
                byte[] payload = "genesis".getBytes(StandardCharsets.US_ASCII);
                byte[] sig = keyring.sign(key, SignatureDomain.CREDENTIAL, payload);
                assertTrue(Ed25519.verify(key, SignatureDomain.CREDENTIAL, payload, sig));
            }
        }

        @Test
        @DisplayName("a destroyed phrase can no longer be imported")
        void destroyed() throws KeyFormatException {
            RecoveryPhrase p = phrase(RecoveryPhraseTest.ZERO);
            p.destroy();
            assertThrows(IllegalStateException.class, () -> IdentityKeys.importIdentity(new InMemoryKeyring(), p));
        }
    }
}
