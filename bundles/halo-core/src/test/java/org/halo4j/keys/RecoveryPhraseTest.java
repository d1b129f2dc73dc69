package org.halo4j.keys;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("RecoveryPhrase: 'an identity is derived from a 24-word BIP39 phrase, English wordlist; only 24-word phrases are accepted'")
class RecoveryPhraseTest {

    /** The 24-word phrase of 32 zero bytes (BIP39 vector). */
    static final String ZERO = "abandon ".repeat(23) + "art";
    /** The 24-word phrase of 32 bytes 0x80 (BIP39 vector). */
    static final String EIGHTY = "letter advice cage absurd amount doctor acoustic avoid "
            + "letter advice cage absurd amount doctor acoustic avoid "
            + "letter advice cage absurd amount doctor acoustic bless";

    static String[] words(String phrase) {
        return phrase.split(" ");
    }

    static KeyFormatException rejected(String text) {
        return assertThrows(KeyFormatException.class, () -> RecoveryPhrase.parse(text.toCharArray()));
    }

    static int[] indices(String text) throws KeyFormatException {
        try (RecoveryPhrase p = RecoveryPhrase.parse(text.toCharArray())) {
            return p.wordIndices();
        }
    }

    /** A SecureRandom that returns a fixed byte and counts what was asked of it. */
    static final class FixedRandom extends SecureRandom {
        private static final long serialVersionUID = 1L;
        private final byte value;
        int requested;

        FixedRandom(byte value) {
            this.value = value;
        }

        @Override
        public void nextBytes(byte[] bytes) {
            requested += bytes.length;
            Arrays.fill(bytes, value);
        }
    }

    @Nested
    @DisplayName("generate: 'the phrase is 24 words from 32 bytes of CSPRNG entropy'")
    class Generate {

        @Test
        @DisplayName("takes exactly 32 bytes from the random source and encodes them as BIP39 does")
        void thirtyTwoBytes() {
            FixedRandom zero = new FixedRandom((byte) 0);
            try (RecoveryPhrase p = RecoveryPhrase.generate(zero)) {
                assertEquals(32, zero.requested);
                assertEquals(ZERO, new String(p.toChars()));
            }
            try (RecoveryPhrase p = RecoveryPhrase.generate(new FixedRandom((byte) 0x80))) {
                assertEquals(EIGHTY, new String(p.toChars()));
            }
        }

        @Test
        @DisplayName("a generated phrase has 24 words and parses back to itself")
        void roundTrip() throws KeyFormatException {
            SecureRandom random = new SecureRandom();
            for (int i = 0; i < 32; i++) {
                try (RecoveryPhrase p = RecoveryPhrase.generate(random)) {
                    char[] text = p.toChars();
                    assertEquals(24, new String(text).split(" ").length);
                    try (RecoveryPhrase q = RecoveryPhrase.parse(text)) {
                        assertArrayEquals(p.wordIndices(), q.wordIndices());
                    }
                }
            }
        }
    }

    @Nested
    @DisplayName("word count: 'only 24-word phrases are accepted'")
    class WordCount {

        @Test
        @DisplayName("23 words: PHRASE_WORD_COUNT, 'expected 24 words, found 23'")
        void twentyThree() {
            KeyFormatException e = rejected("abandon ".repeat(22) + "art");
            assertEquals(KeyFormatException.Problem.PHRASE_WORD_COUNT, e.problem());
            assertEquals("expected 24 words, found 23", e.getMessage());
        }

        @Test
        @DisplayName("25 words: PHRASE_WORD_COUNT, 'expected 24 words, found 25'")
        void twentyFive() {
            KeyFormatException e = rejected(ZERO + " abandon");
            assertEquals(KeyFormatException.Problem.PHRASE_WORD_COUNT, e.problem());
            assertEquals("expected 24 words, found 25", e.getMessage());
        }

        @Test
        @DisplayName("a valid 12-word BIP39 phrase is still refused")
        void twelve() {
            KeyFormatException e = rejected("abandon ".repeat(11) + "about");
            assertEquals(KeyFormatException.Problem.PHRASE_WORD_COUNT, e.problem());
            assertEquals("expected 24 words, found 12", e.getMessage());
        }

        @Test
        @DisplayName("empty and whitespace-only text: found 0")
        void empty() {
            assertEquals("expected 24 words, found 0", rejected("").getMessage());
            assertEquals("expected 24 words, found 0", rejected(" \t\n ").getMessage());
        }
    }

    @Nested
    @DisplayName("unknown word: 'the error names the word's position, never a word'")
    class UnknownWord {

        @ParameterizedTest(name = "position {0}")
        @ValueSource(ints = {1, 7, 24})
        @DisplayName("a word not in the list at position k: PHRASE_UNKNOWN_WORD naming k")
        void position(int k) {
            String[] w = words(EIGHTY);
            w[k - 1] = "qwerty";
            KeyFormatException e = rejected(String.join(" ", w));
            assertEquals(KeyFormatException.Problem.PHRASE_UNKNOWN_WORD, e.problem());
            assertEquals("word " + k + " is not in the BIP39 English wordlist", e.getMessage());
            assertNoWordOf(String.join(" ", w), e);
        }

        @Test
        @DisplayName("a word longer than any in the list is unknown, not cut short")
        void overlong() {
            String[] w = words(ZERO);
            w[4] = "abandonabandon";
            KeyFormatException e = rejected(String.join(" ", w));
            assertEquals(KeyFormatException.Problem.PHRASE_UNKNOWN_WORD, e.problem());
            assertEquals("word 5 is not in the BIP39 English wordlist", e.getMessage());
        }

        @Test
        @DisplayName("a four-letter prefix is not accepted as its word (no abbreviations)")
        void prefix() {
            String[] w = words(EIGHTY);
            w[0] = "lett";
            assertEquals(KeyFormatException.Problem.PHRASE_UNKNOWN_WORD, rejected(String.join(" ", w)).problem());
        }

        @Test
        @DisplayName("the count is checked before the words: 23 words with an unknown one report the count")
        void countFirst() {
            assertEquals(KeyFormatException.Problem.PHRASE_WORD_COUNT, rejected("qwerty " + "abandon ".repeat(22)).problem());
        }
    }

    @Nested
    @DisplayName("checksum: 'the last ENT/32 bits are the first bits of SHA-256(entropy)'")
    class Checksum {

        @Test
        @DisplayName("24 known words with a wrong checksum: PHRASE_CHECKSUM")
        void wrong() {
            KeyFormatException e = rejected("abandon ".repeat(24).trim());
            assertEquals(KeyFormatException.Problem.PHRASE_CHECKSUM, e.problem());
            assertEquals("phrase.checksum", e.code());
            assertNoWordOf(ZERO, e);
        }

        @Test
        @DisplayName("two swapped words: PHRASE_CHECKSUM")
        void swapped() {
            String[] w = words(EIGHTY);
            String t = w[0];
            w[0] = w[1];
            w[1] = t;
            assertEquals(KeyFormatException.Problem.PHRASE_CHECKSUM, rejected(String.join(" ", w)).problem());
        }
    }

    @Nested
    @DisplayName("normalization: 'NFKD, case-folded, any whitespace run separates words'")
    class Normalization {

        @Test
        @DisplayName("uppercase and mixed case are accepted")
        void caseFolding() throws KeyFormatException {
            assertArrayEquals(indices(EIGHTY), indices(EIGHTY.toUpperCase()));
            assertArrayEquals(indices(EIGHTY), indices("Letter ADVICE cAgE" + EIGHTY.substring("letter advice cage".length())));
        }

        @Test
        @DisplayName("leading, trailing and repeated whitespace, tabs and newlines are accepted")
        void whitespace() throws KeyFormatException {
            String messy = "\n\t  " + EIGHTY.replace(" ", " \t\r\n  ").replaceFirst(" ", "     ") + "  \n";
            assertArrayEquals(indices(EIGHTY), indices(messy));
        }

        @Test
        @DisplayName("full-width letters (NFKD to ASCII) are accepted")
        void fullWidth() throws KeyFormatException {
            StringBuilder s = new StringBuilder();
            for (char c : EIGHTY.toCharArray()) {
                s.append(c == ' ' ? '\u3000' : (char) (c - 'a' + '\uFF41')); // ideographic space, full-width a-z
            }
            assertArrayEquals(indices(EIGHTY), indices(s.toString()));
            assertArrayEquals(indices(EIGHTY), indices(s.toString().toUpperCase()));
        }

        @Test
        @DisplayName("letters outside the BMP (mathematical bold, surrogate pairs) are normalized too")
        void surrogatePairs() throws KeyFormatException {
            StringBuilder s = new StringBuilder();
            for (char c : EIGHTY.toCharArray()) {
                s.appendCodePoint(c == ' ' ? '\u00A0' : 0x1D41A + (c - 'a')); // no-break space, bold small a-z
            }
            assertArrayEquals(indices(EIGHTY), indices(s.toString()));
        }

        @Test
        @DisplayName("a diacritic is not dropped: NFKD leaves a combining mark, which is refused")
        void diacritic() {
            KeyFormatException e = rejected(EIGHTY.replaceFirst("advice", "advic\u00E9"));
            assertEquals(KeyFormatException.Problem.PHRASE_ENCODING, e.problem());
            assertEquals("word 2 holds a character that is neither a letter a-z nor whitespace", e.getMessage());
        }

        @Test
        @DisplayName("parse does not modify the caller's array")
        void inputUntouched() throws KeyFormatException {
            char[] text = EIGHTY.toUpperCase().toCharArray();
            char[] copy = text.clone();
            RecoveryPhrase.parse(text).close();
            assertArrayEquals(copy, text);
        }
    }

    @Nested
    @DisplayName("encoding: 'a character that is neither a letter nor whitespace is refused, naming the word'")
    class Encoding {

        @Test
        @DisplayName("digits, punctuation, control characters, zero-width space, emoji and lone surrogates")
        void refused() {
            List<String> bad = List.of("1", ",", "-", "\u0000", "\u200B", "\uD83D\uDE00", "\uD800", "\uDC00");
            for (String b : bad) {
                String[] w = words(EIGHTY);
                w[2] = w[2] + b;
                KeyFormatException e = rejected(String.join(" ", w));
                assertEquals(KeyFormatException.Problem.PHRASE_ENCODING, e.problem(), "for " + b.codePointAt(0));
                assertEquals("word 3 holds a character that is neither a letter a-z nor whitespace", e.getMessage());
            }
        }

        @Test
        @DisplayName("null: PHRASE_ENCODING")
        void nullText() {
            KeyFormatException e = assertThrows(KeyFormatException.class, () -> RecoveryPhrase.parse(null));
            assertEquals(KeyFormatException.Problem.PHRASE_ENCODING, e.problem());
        }

        @Test
        @DisplayName("length is bounded before any work: 1024 characters accepted, 1025 refused with TOO_LONG")
        void bounded() throws KeyFormatException {
            String atLimit = EIGHTY + " ".repeat(1024 - EIGHTY.length());
            assertEquals(1024, atLimit.length());
            assertArrayEquals(indices(EIGHTY), indices(atLimit));
            KeyFormatException e = rejected(atLimit + " ");
            assertEquals(KeyFormatException.Problem.TOO_LONG, e.problem());
            assertEquals("a recovery phrase is at most 1024 characters, found 1025", e.getMessage());
            assertEquals(KeyFormatException.Problem.TOO_LONG, rejected("qwerty,".repeat(200)).problem());
        }
    }

    @Nested
    @DisplayName("secrecy: 'the phrase is never in a String; it is wiped after use'")
    class Secrecy {

        @Test
        @DisplayName("toString shows no word")
        void toStringHidesWords() throws KeyFormatException {
            RecoveryPhrase p = RecoveryPhrase.parse(EIGHTY.toCharArray());
            assertEquals("RecoveryPhrase[24 words]", p.toString());
            p.close();
            assertEquals("RecoveryPhrase[destroyed]", p.toString());
        }

        @Test
        @DisplayName("close() destroys the phrase: its words are overwritten and every use then fails")
        void close() throws KeyFormatException {
            RecoveryPhrase p;
            try (RecoveryPhrase q = RecoveryPhrase.parse(EIGHTY.toCharArray())) {
                p = q;
                assertFalse(q.isDestroyed());
            }
            assertTrue(p.isDestroyed());
            assertThrows(IllegalStateException.class, p::toChars);
            assertThrows(IllegalStateException.class, p::deriveIdentitySeed);
            assertThrows(IllegalStateException.class, p::wordIndices);
            assertThrows(IllegalStateException.class, () -> p.matchesWord(1, "letter".toCharArray()));
            assertThrows(IllegalStateException.class, () -> IdentityKeys.publicKeyOf(p));
            p.destroy(); // idempotent
        }
    }

    @Nested
    @DisplayName("matchesWord: 'the person confirms the backup by re-typing some words'")
    class MatchesWord {

        @Test
        @DisplayName("the word at a 1-based position matches, normalized as in parse; anything else does not")
        void matches() throws KeyFormatException {
            try (RecoveryPhrase p = RecoveryPhrase.parse(EIGHTY.toCharArray())) {
                assertTrue(p.matchesWord(1, "letter".toCharArray()));
                assertTrue(p.matchesWord(24, " BLESS\n".toCharArray()));
                assertTrue(p.matchesWord(3, "\uFF43\uFF41\uFF47\uFF45".toCharArray()));
                assertFalse(p.matchesWord(2, "letter".toCharArray()));
                assertFalse(p.matchesWord(1, "letter advice".toCharArray()));
                assertFalse(p.matchesWord(1, "lett".toCharArray()));
                assertFalse(p.matchesWord(1, "letter1".toCharArray()));
                assertFalse(p.matchesWord(1, "".toCharArray()));
                assertFalse(p.matchesWord(1, null));
                assertThrows(IllegalArgumentException.class, () -> p.matchesWord(0, "letter".toCharArray()));
                assertThrows(IllegalArgumentException.class, () -> p.matchesWord(25, "bless".toCharArray()));
            }
        }
    }

    /** No error message may contain a word of the input (the phrase is a secret). */
    static void assertNoWordOf(String text, KeyFormatException e) {
        String message = e.getMessage().toLowerCase();
        for (String w : text.split("\\s+")) {
            assertFalse(message.matches("(?s).*\\b" + w + "\\b.*"), "message repeats a word of the phrase: " + message);
        }
    }
}
