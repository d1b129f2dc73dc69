package org.halo4j.keys;

import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.Normalizer;
import java.util.Arrays;

import org.bouncycastle.crypto.digests.SHA512Digest;
import org.bouncycastle.crypto.generators.PKCS5S2ParametersGenerator;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * BIP39 with the English wordlist: entropy to words (11 bits per word, checksum = the first ENT/32 bits of
 * SHA-256(entropy)), words back to entropy with the checksum checked, and the seed
 * PBKDF2-HMAC-SHA512(phrase, "mnemonic" || passphrase, 2048 iterations, 64 bytes).
 *
 * <p>A phrase is handled as word indices; its text exists only as {@code char[]} or {@code byte[]} that are
 * wiped after use. The seed is always computed over the canonical phrase rebuilt from the wordlist (lowercase,
 * single spaces), never over what the person typed.
 */
final class Bip39 {

    /** Longest phrase text accepted, checked before any other work. 24 words need at most 215 characters. */
    static final int MAX_INPUT_CHARS = 1024;
    /** PBKDF2 iterations fixed by BIP39. */
    static final int PBKDF2_ITERATIONS = 2048;

    private static final int BITS_PER_WORD = 11;
    private static final byte[] SALT_PREFIX = "mnemonic".getBytes(StandardCharsets.US_ASCII);

    private Bip39() {
    }

    /**
     * Parses and checks a phrase: whitespace-separated words, NFKD-normalized and case-folded; then the word
     * count ({@code requiredWords}, or any BIP39 count 12, 15, 18, 21, 24 if it is 0), every word in the list,
     * and the checksum. Returns the word indices, which the caller wipes.
     */
    static int[] parse(char[] text, int requiredWords) throws KeyFormatException {
        int[] words = tokenize(text);
        try {
            checkCount(words.length, requiredWords);
            for (int i = 0; i < words.length; i++) {
                if (words[i] < 0) {
                    throw new KeyFormatException(KeyFormatException.Problem.PHRASE_UNKNOWN_WORD,
                            "word " + (i + 1) + " is not in the BIP39 English wordlist");
                }
            }
            Ed25519.wipe(entropyOf(words));
            return words;
        } catch (KeyFormatException | RuntimeException e) {
            Arrays.fill(words, 0);
            throw e;
        }
    }

    private static void checkCount(int found, int required) throws KeyFormatException {
        if (required > 0 && found != required) {
            throw new KeyFormatException(KeyFormatException.Problem.PHRASE_WORD_COUNT,
                    "expected " + required + " words, found " + found);
        }
        if (required <= 0 && (found < 12 || found > 24 || found % 3 != 0)) {
            throw new KeyFormatException(KeyFormatException.Problem.PHRASE_WORD_COUNT,
                    "expected 12, 15, 18, 21 or 24 words, found " + found);
        }
    }

    /**
     * Splits {@code text} into words and looks each up: -1 marks a word that is not in the list. Each non-ASCII
     * character is NFKD-normalized on its own (so the whole text never becomes a {@code String}); ASCII
     * letters are folded to lowercase; any run of whitespace separates words.
     */
    static int[] tokenize(char[] text) throws KeyFormatException {
        if (text == null) {
            throw new KeyFormatException(KeyFormatException.Problem.PHRASE_ENCODING, "expected a recovery phrase, found none");
        }
        if (text.length > MAX_INPUT_CHARS) {
            throw new KeyFormatException(KeyFormatException.Problem.TOO_LONG,
                    "a recovery phrase is at most " + MAX_INPUT_CHARS + " characters, found " + text.length);
        }
        Tokens tokens = new Tokens();
        try {
            int i = 0;
            while (i < text.length) {
                char c = text[i];
                if (c < 0x80) {
                    tokens.accept(c);
                    i++;
                    continue;
                }
                int cp = Character.codePointAt(text, i);
                int n = Character.charCount(cp);
                if (n == 1 && Character.isSurrogate(c)) {
                    throw tokens.encodingError();
                }
                CharSequence decomposed = Normalizer.normalize(CharBuffer.wrap(text, i, n), Normalizer.Form.NFKD);
                for (int j = 0; j < decomposed.length(); j++) {
                    tokens.accept(decomposed.charAt(j));
                }
                i += n;
            }
            return tokens.finish();
        } finally {
            tokens.wipe();
        }
    }

    /** Words and their indices as they are read; everything here is wiped when parsing ends. */
    private static final class Tokens {
        private final char[] word = new char[Bip39Wordlist.MAX_WORD_LENGTH];
        private final int[] indices = new int[MAX_INPUT_CHARS];
        private int length;
        private boolean overlong;
        private boolean inWord;
        private int count;

        void accept(char c) throws KeyFormatException {
            char folded = c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
            if (folded >= 'a' && folded <= 'z') {
                if (length < word.length) {
                    word[length++] = folded;
                } else {
                    overlong = true;
                }
                inWord = true;
            } else if (Character.isWhitespace(folded) || Character.isSpaceChar(folded)) {
                endWord();
            } else {
                throw encodingError();
            }
        }

        KeyFormatException encodingError() {
            return new KeyFormatException(KeyFormatException.Problem.PHRASE_ENCODING,
                    "word " + (count + 1) + " holds a character that is neither a letter a-z nor whitespace");
        }

        private void endWord() throws KeyFormatException {
            if (!inWord) {
                return;
            }
            if (count == indices.length) {
                throw new KeyFormatException(KeyFormatException.Problem.PHRASE_WORD_COUNT,
                        "expected 24 words, found more than " + indices.length);
            }
            indices[count++] = overlong ? -1 : Bip39Wordlist.indexOf(word, length);
            Arrays.fill(word, '\0');
            length = 0;
            overlong = false;
            inWord = false;
        }

        int[] finish() throws KeyFormatException {
            endWord();
            return Arrays.copyOf(indices, count);
        }

        void wipe() {
            Arrays.fill(word, '\0');
            Arrays.fill(indices, 0);
        }
    }

    /**
     * The word indices of {@code entropy} (16, 20, 24, 28 or 32 bytes): entropy || checksum, 11 bits per word.
     */
    static int[] wordsOf(byte[] entropy) {
        if (entropy == null || entropy.length < 16 || entropy.length > 32 || entropy.length % 4 != 0) {
            throw new IllegalArgumentException("BIP39 entropy is 16, 20, 24, 28 or 32 bytes, found "
                    + (entropy == null ? "none" : entropy.length));
        }
        int entBits = entropy.length * 8;
        int words = (entBits + entBits / 32) / BITS_PER_WORD;
        byte[] bits = Arrays.copyOf(entropy, entropy.length + 1);
        byte[] hash = sha256(entropy);
        try {
            bits[entropy.length] = hash[0];
            int[] out = new int[words];
            for (int i = 0; i < words; i++) {
                out[i] = readBits(bits, i * BITS_PER_WORD);
            }
            return out;
        } finally {
            Ed25519.wipe(bits);
            Ed25519.wipe(hash);
        }
    }

    /**
     * The entropy of a phrase of known words, after checking its checksum. The caller wipes it.
     *
     * @throws KeyFormatException {@code PHRASE_CHECKSUM} if the checksum bits do not match
     */
    static byte[] entropyOf(int[] words) throws KeyFormatException {
        int totalBits = words.length * BITS_PER_WORD;
        int csBits = totalBits / 33;
        int entBytes = (totalBits - csBits) / 8;
        byte[] bits = new byte[(totalBits + 7) / 8];
        try {
            for (int i = 0; i < words.length; i++) {
                writeBits(bits, i * BITS_PER_WORD, words[i]);
            }
            byte[] entropy = Arrays.copyOf(bits, entBytes);
            byte[] hash = sha256(entropy);
            int expected = (hash[0] & 0xff) >>> (8 - csBits);
            int found = (bits[entBytes] & 0xff) >>> (8 - csBits);
            Ed25519.wipe(hash);
            if (expected != found) {
                Ed25519.wipe(entropy);
                throw new KeyFormatException(KeyFormatException.Problem.PHRASE_CHECKSUM,
                        "the checksum of the phrase does not match: a word is mistyped or two words are swapped");
            }
            return entropy;
        } finally {
            Ed25519.wipe(bits);
        }
    }

    /** The canonical phrase as ASCII bytes: the list's words, lowercase, separated by single spaces. */
    static byte[] phraseBytes(int[] words) {
        byte[] out = new byte[phraseLength(words)];
        int off = 0;
        for (int i = 0; i < words.length; i++) {
            if (i > 0) {
                out[off++] = ' ';
            }
            byte[] w = Bip39Wordlist.bytes(words[i]);
            System.arraycopy(w, 0, out, off, w.length);
            off += w.length;
        }
        return out;
    }

    /** The canonical phrase as characters, for showing it to its owner. The caller wipes it. */
    static char[] phraseChars(int[] words) {
        char[] out = new char[phraseLength(words)];
        int off = 0;
        for (int i = 0; i < words.length; i++) {
            if (i > 0) {
                out[off++] = ' ';
            }
            for (byte b : Bip39Wordlist.bytes(words[i])) {
                out[off++] = (char) b;
            }
        }
        return out;
    }

    private static int phraseLength(int[] words) {
        int n = Math.max(0, words.length - 1);
        for (int w : words) {
            n += Bip39Wordlist.length(w);
        }
        return n;
    }

    /** The 64-byte BIP39 seed with the empty passphrase, the only one halo4j uses. The caller wipes it. */
    static byte[] seed(int[] words) {
        return seed(words, new byte[0]);
    }

    /**
     * The BIP39 seed with an ASCII passphrase: only for the published test vectors (passphrase "TREZOR"); an
     * identity always uses the empty passphrase.
     */
    static byte[] seedWithTestPassphrase(int[] words, char[] asciiPassphrase) {
        byte[] p = new byte[asciiPassphrase.length];
        try {
            for (int i = 0; i < p.length; i++) {
                if (asciiPassphrase[i] >= 0x80) {
                    throw new IllegalArgumentException("the test passphrase must be ASCII");
                }
                p[i] = (byte) asciiPassphrase[i];
            }
            return seed(words, p);
        } finally {
            Ed25519.wipe(p);
        }
    }

    private static byte[] seed(int[] words, byte[] passphraseUtf8) {
        byte[] password = phraseBytes(words);
        byte[] salt = new byte[SALT_PREFIX.length + passphraseUtf8.length];
        System.arraycopy(SALT_PREFIX, 0, salt, 0, SALT_PREFIX.length);
        System.arraycopy(passphraseUtf8, 0, salt, SALT_PREFIX.length, passphraseUtf8.length);
        try {
            PKCS5S2ParametersGenerator pbkdf2 = new PKCS5S2ParametersGenerator(new SHA512Digest());
            pbkdf2.init(password, salt, PBKDF2_ITERATIONS);
            KeyParameter derived = (KeyParameter) pbkdf2.generateDerivedMacParameters(512);
            return derived.getKey(); // BC's own fresh array: handed to the caller, who wipes it
        } finally {
            Ed25519.wipe(password);
            Ed25519.wipe(salt);
        }
    }

    private static int readBits(byte[] bits, int offset) {
        int v = 0;
        for (int b = 0; b < BITS_PER_WORD; b++) {
            int bit = offset + b;
            v = (v << 1) | ((bits[bit >>> 3] >>> (7 - (bit & 7))) & 1);
        }
        return v;
    }

    private static void writeBits(byte[] bits, int offset, int value) {
        for (int b = 0; b < BITS_PER_WORD; b++) {
            if (((value >>> (BITS_PER_WORD - 1 - b)) & 1) != 0) {
                int bit = offset + b;
                bits[bit >>> 3] |= (byte) (0x80 >>> (bit & 7));
            }
        }
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
