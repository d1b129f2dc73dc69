package org.halo4j.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("BIP39 English wordlist: 'shipped in the bundle and verified by its SHA-256 when loaded'")
class Bip39WordlistTest {

    static byte[] shipped() throws IOException {
        try (InputStream in = Bip39Wordlist.class.getResourceAsStream(Bip39Wordlist.RESOURCE)) {
            return in.readAllBytes();
        }
    }

    static int indexOf(String word) {
        return Bip39Wordlist.indexOf(word.toCharArray(), word.length());
    }

    @Nested
    @DisplayName("the shipped list")
    class Shipped {

        @Test
        @DisplayName("has 2048 words, from 'abandon' (0) to 'zoo' (2047), found by exact match only")
        void words() {
            assertEquals(0, indexOf("abandon"));
            assertEquals(3, indexOf("about"));
            assertEquals(2047, indexOf("zoo"));
            assertEquals(-1, indexOf("aban"));
            assertEquals(-1, indexOf("zoos"));
            assertEquals(-1, indexOf(""));
            for (int i = 0; i < Bip39Wordlist.SIZE; i++) {
                byte[] w = Bip39Wordlist.bytes(i);
                char[] c = new char[w.length];
                for (int j = 0; j < w.length; j++) {
                    c[j] = (char) w[j];
                }
                assertEquals(i, Bip39Wordlist.indexOf(c, c.length));
                assertTrue(w.length >= 3 && w.length <= Bip39Wordlist.MAX_WORD_LENGTH);
            }
        }
    }

    @Nested
    @DisplayName("verification: 'a list that does not match the published SHA-256 is refused'")
    class Verification {

        @Test
        @DisplayName("the shipped bytes pass")
        void shippedPasses() throws IOException {
            assertEquals(Bip39Wordlist.SIZE, Bip39Wordlist.verify(shipped()).length);
        }

        @Test
        @DisplayName("one changed letter, a CRLF line end or a missing last newline is refused")
        void tampered() throws IOException {
            byte[] changed = shipped();
            changed[100] ^= 1;
            assertThrows(IllegalStateException.class, () -> Bip39Wordlist.verify(changed));
            String crlf = new String(shipped(), StandardCharsets.US_ASCII).replace("\n", "\r\n");
            assertThrows(IllegalStateException.class, () -> Bip39Wordlist.verify(crlf.getBytes(StandardCharsets.US_ASCII)));
            byte[] shipped = shipped();
            assertThrows(IllegalStateException.class, () -> Bip39Wordlist.verify(Arrays.copyOf(shipped, shipped.length - 1)));
        }
    }
}
