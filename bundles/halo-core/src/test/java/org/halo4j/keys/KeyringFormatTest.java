package org.halo4j.keys;

import static org.halo4j.keys.KeyringTestFiles.LOW;
import static org.halo4j.keys.KeyringTestFiles.PASSPHRASE;
import static org.halo4j.keys.KeyringTestFiles.seed;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;

import org.bouncycastle.crypto.InvalidCipherTextException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("Keyring file format (docs/keyring.md)")
class KeyringFormatTest {

    @TempDir
    Path dir;

    @Nested
    @DisplayName("Header: magic, version, Argon2id parameters, salt, nonce, ciphertext length")
    class Header {

        @Test
        @DisplayName("the header is laid out byte for byte as documented")
        void layout() {
            byte[] salt = new byte[16];
            byte[] nonce = new byte[12];
            for (int i = 0; i < 16; i++) {
                salt[i] = (byte) (0xa0 + i);
            }
            for (int i = 0; i < 12; i++) {
                nonce[i] = (byte) (0xc0 + i);
            }
            byte[] h = KeyringHeader.of(new Argon2Settings(65536, 3, 1), salt, nonce, 0x0102).bytes();
            assertEquals("8948414c4f4b520a" + "0001" + "00010000" + "00000003" + "00000001"
                    + "a0a1a2a3a4a5a6a7a8a9aaabacadaeaf" + "c0c1c2c3c4c5c6c7c8c9cacb" + "00000102",
                    HexFormat.of().formatHex(h));
            assertEquals(54, KeyringHeader.LENGTH);
        }

        @Test
        @DisplayName("a header round-trips through parse")
        void parse() throws Exception {
            byte[] file = KeyringTestFiles.seal(new byte[] {1, 0, 0, 0, 0}, PASSPHRASE, LOW);
            KeyringHeader h = KeyringHeader.parse(file, Path.of("k"));
            assertEquals(LOW, h.settings());
            assertEquals(5 + 16, h.ciphertextLength());
        }
    }

    @Nested
    @DisplayName("Content: a versioned list of kind-tagged entries, never Java serialization")
    class Content {

        private byte[] entry(int kind, byte[] body) {
            return ByteBuffer.allocate(5 + body.length).put((byte) kind).putInt(body.length).put(body).array();
        }

        private byte[] content(int version, byte[]... entries) {
            int n = 5;
            for (byte[] e : entries) {
                n += e.length;
            }
            ByteBuffer b = ByteBuffer.allocate(n).put((byte) version).putInt(entries.length);
            for (byte[] e : entries) {
                b.put(e);
            }
            return b.array();
        }

        private byte[] ed25519Body(byte[] seed) {
            return ByteBuffer.allocate(64).put(Ed25519.publicKey(seed).toBytes()).put(seed).array();
        }

        private String decodeError(byte[] plaintext) {
            SeedStore store = new SeedStore();
            try {
                return assertThrows(KeyringException.class, () -> KeyringContent.decode(plaintext, store)).code();
            } finally {
                store.close();
            }
        }

        @Test
        @DisplayName("encode then decode gives the same keys, in public key order")
        void roundTrip() throws Exception {
            SeedStore store = new SeedStore();
            store.add(Ed25519.publicKey(seed(1)), seed(1));
            store.add(Ed25519.publicKey(seed(2)), seed(2));
            byte[] plaintext = KeyringContent.encode(store);
            assertEquals(5 + 2 * 69, plaintext.length);
            assertEquals(1, plaintext[0]);
            SeedStore back = new SeedStore();
            KeyringContent.decode(plaintext, back);
            assertEquals(store.keys(), back.keys());
            boolean oneFirst = Ed25519.publicKey(seed(1)).compareTo(Ed25519.publicKey(seed(2))) < 0;
            byte[] first = ed25519Body(oneFirst ? seed(1) : seed(2));
            byte[] second = ed25519Body(oneFirst ? seed(2) : seed(1));
            assertArrayEquals(content(1, entry(1, first), entry(1, second)), plaintext);
        }

        @Test
        @DisplayName("an unknown entry kind is keyring.unsupported_entry, not silently dropped")
        void unknownKind() {
            assertEquals("keyring.unsupported_entry",
                    decodeError(content(1, entry(1, ed25519Body(seed(1))), entry(3, new byte[24]))));
        }

        @Test
        @DisplayName("an unknown content version is keyring.unsupported_content_version")
        void unknownVersion() {
            assertEquals("keyring.unsupported_content_version", decodeError(content(2)));
        }

        @Test
        @DisplayName("malformed content is keyring.corrupt: wrong body length, seed/key mismatch, duplicate, extra bytes, huge count")
        void corrupt() {
            assertEquals("keyring.corrupt", decodeError(content(1, entry(1, new byte[63]))));
            byte[] mismatched = ed25519Body(seed(1));
            mismatched[0] ^= 1;
            assertEquals("keyring.corrupt", decodeError(content(1, entry(1, mismatched))));
            assertEquals("keyring.corrupt",
                    decodeError(content(1, entry(1, ed25519Body(seed(1))), entry(1, ed25519Body(seed(1))))));
            byte[] extra = Arrays.copyOf(content(1), 6);
            assertEquals("keyring.corrupt", decodeError(extra));
            assertEquals("keyring.corrupt", decodeError(
                    ByteBuffer.allocate(5).put((byte) 1).putInt(-1).array()));
            assertEquals("keyring.corrupt", decodeError(new byte[] {1, 0}));
        }

        @Test
        @DisplayName("a sealed file with an unknown entry kind opens to keyring.unsupported_entry")
        void endToEnd() throws Exception {
            Path file = dir.resolve("k");
            KeyringTestFiles.write(file, KeyringTestFiles.seal(content(1, entry(9, new byte[3])), PASSPHRASE, LOW));
            KeyringException e = assertThrows(KeyringException.class, () -> FileKeyring.open(file, PASSPHRASE));
            assertEquals("keyring.unsupported_entry", e.code());
        }
    }

    @Nested
    @DisplayName("Cipher: Argon2id v0x13 and AES-256-GCM with the header as associated data")
    class Cipher {

        @Test
        @DisplayName("the passphrase is UTF-8 encoded exactly as given, and unpaired surrogates are refused")
        void utf8() throws Exception {
            String s = "pässwörd € 𝄞 !";
            assertArrayEquals(s.getBytes(StandardCharsets.UTF_8), KeyringCipher.utf8(s.toCharArray()));
            assertEquals("keyring.passphrase_encoding",
                    assertThrows(KeyringException.class, () -> KeyringCipher.utf8(new char[] {'a', '\ud834'})).code());
            assertEquals("keyring.passphrase_encoding",
                    assertThrows(KeyringException.class, () -> KeyringCipher.utf8(new char[] {'\udd1e', 'a'})).code());
            assertEquals("keyring.empty_passphrase",
                    assertThrows(KeyringException.class, () -> KeyringCipher.utf8(new char[0])).code());
        }

        @Test
        @DisplayName("the key depends on passphrase, salt and every Argon2 parameter")
        void derivation() throws Exception {
            byte[] salt = new byte[16];
            byte[] k = KeyringCipher.deriveKey(PASSPHRASE, salt, LOW);
            assertEquals(32, k.length);
            assertArrayEquals(k, KeyringCipher.deriveKey(PASSPHRASE, salt, LOW));
            byte[] salt2 = salt.clone();
            salt2[0] = 1;
            assertFalse(Arrays.equals(k, KeyringCipher.deriveKey(PASSPHRASE, salt2, LOW)));
            assertFalse(Arrays.equals(k, KeyringCipher.deriveKey("other".toCharArray(), salt, LOW)));
            assertFalse(Arrays.equals(k, KeyringCipher.deriveKey(PASSPHRASE, salt, new Argon2Settings(1024, 2, 1))));
            assertFalse(Arrays.equals(k, KeyringCipher.deriveKey(PASSPHRASE, salt, new Argon2Settings(1024, 1, 2))));
            assertFalse(Arrays.equals(k, KeyringCipher.deriveKey(PASSPHRASE, salt, new Argon2Settings(1032, 1, 1))));
        }

        @Test
        @DisplayName("Argon2id v0x13 gives the reference implementation's known answers (password, somesalt, m=256 KiB, t=2)")
        void argon2IdKnownAnswers() throws Exception {
            // Vectors of the Argon2 reference implementation (P-H-C phc-winner-argon2, src/test.c, Argon2id v=19).
            byte[] salt = "somesalt".getBytes(StandardCharsets.US_ASCII);
            assertEquals("9dfeb910e80bad0311fee20f9c0e2b12c17987b4cac90c2ef54d5b3021c68bfe", HexFormat.of().formatHex(
                    KeyringCipher.deriveKey("password".toCharArray(), salt, new Argon2Settings(256, 2, 1))));
            assertEquals("6d093c501fd5999645e0ea3bf620d7b8be7fd2db59c20d9fff9539da2bf57037", HexFormat.of().formatHex(
                    KeyringCipher.deriveKey("password".toCharArray(), salt, new Argon2Settings(256, 2, 2))));
        }

        @Test
        @DisplayName("AES-GCM round-trips and rejects changed associated data")
        void gcm() throws Exception {
            byte[] key = new byte[32];
            byte[] nonce = new byte[12];
            byte[] aad = {1, 2, 3};
            byte[] plaintext = "secret".getBytes(StandardCharsets.US_ASCII);
            byte[] ct = KeyringCipher.encrypt(key, nonce, aad, plaintext);
            assertEquals(plaintext.length + 16, ct.length);
            assertArrayEquals(plaintext, KeyringCipher.decrypt(key, nonce, aad, ct, 0, ct.length));
            assertThrows(InvalidCipherTextException.class,
                    () -> KeyringCipher.decrypt(key, nonce, new byte[] {1, 2, 4}, ct, 0, ct.length));
        }

        @Test
        @DisplayName("AES-256-GCM agrees with the GCM specification's test case 14 and with the JDK's own AES/GCM")
        void gcmKnownAnswer() throws Exception {
            byte[] key = new byte[32];
            byte[] nonce = new byte[12];
            byte[] ct = KeyringCipher.encrypt(key, nonce, new byte[0], new byte[16]);
            assertEquals("cea7403d4d606b6e074ec5d3baf39d18" + "d0d1c8a799996bf0265b98b5d48ab919", HexFormat.of().formatHex(ct));

            byte[] k = HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
            byte[] n = HexFormat.of().parseHex("a0a1a2a3a4a5a6a7a8a9aaab");
            byte[] aad = "header".getBytes(StandardCharsets.US_ASCII);
            byte[] plaintext = "the content of a keyring, longer than a block".getBytes(StandardCharsets.US_ASCII);
            javax.crypto.Cipher jdk = javax.crypto.Cipher.getInstance("AES/GCM/NoPadding");
            jdk.init(javax.crypto.Cipher.ENCRYPT_MODE, new javax.crypto.spec.SecretKeySpec(k, "AES"),
                    new javax.crypto.spec.GCMParameterSpec(128, n));
            jdk.updateAAD(aad);
            assertArrayEquals(jdk.doFinal(plaintext), KeyringCipher.encrypt(k, n, aad, plaintext));
        }
    }

    @Nested
    @DisplayName("Argon2Settings bounds")
    class Settings {

        @Test
        @DisplayName("the record refuses out-of-bounds values with IllegalArgumentException")
        void bounds() {
            assertThrows(IllegalArgumentException.class, () -> new Argon2Settings(7, 1, 1));
            assertThrows(IllegalArgumentException.class, () -> new Argon2Settings((1 << 20) + 1, 1, 1));
            assertThrows(IllegalArgumentException.class, () -> new Argon2Settings(1024, 0, 1));
            assertThrows(IllegalArgumentException.class, () -> new Argon2Settings(1024, 101, 1));
            assertThrows(IllegalArgumentException.class, () -> new Argon2Settings(1024, 1, 0));
            assertThrows(IllegalArgumentException.class, () -> new Argon2Settings(1024, 1, 17));
            assertThrows(IllegalArgumentException.class, () -> new Argon2Settings(64, 1, 9));
            assertThrows(IllegalArgumentException.class, () -> new Argon2Settings(1 << 20, 5, 1));
            new Argon2Settings(8, 1, 1);
            new Argon2Settings(1 << 20, 4, 16);
            new Argon2Settings(40960, 100, 1);
            assertEquals(new Argon2Settings(1024, 1, 1), Argon2Settings.forTests());
        }
    }
}
