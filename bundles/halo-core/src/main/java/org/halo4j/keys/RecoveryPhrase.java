package org.halo4j.keys;

import java.security.SecureRandom;
import java.util.Arrays;

import javax.security.auth.Destroyable;

/**
 * The 24-word BIP39 recovery phrase of an identity (DESIGN §2): English wordlist, 256 bits of entropy, BIP39
 * passphrase always empty. The identity key is derived from it at SLIP-0010 {@code m/4256'/0'} (see
 * {@link IdentityKeys}).
 *
 * <p>The phrase is a secret. It is held as word indices, never as a {@code String}; its text is only handed
 * out as a {@code char[]} that the caller wipes. {@link #close()} (or {@link #destroy()}) overwrites it, after
 * which every method but {@link #isDestroyed()} throws {@link IllegalStateException}. {@link #toString()} never
 * shows a word. Thread-safe.
 */
public final class RecoveryPhrase implements AutoCloseable, Destroyable {

    /** The only accepted length of a recovery phrase, in words. */
    public static final int WORDS = 24;
    /** Bytes of entropy a phrase encodes. */
    static final int ENTROPY_BYTES = 32;

    private final int[] words;
    private boolean destroyed;

    private RecoveryPhrase(int[] words) {
        this.words = words;
    }

    /**
     * A new phrase from 32 bytes of {@code random}, which must be a CSPRNG.
     */
    public static RecoveryPhrase generate(SecureRandom random) {
        byte[] entropy = new byte[ENTROPY_BYTES];
        try {
            random.nextBytes(entropy);
            return new RecoveryPhrase(Bip39.wordsOf(entropy));
        } finally {
            Ed25519.wipe(entropy);
        }
    }

    /**
     * Reads a phrase typed by a person. Input rules: at most 1024 characters; each
     * non-ASCII character is NFKD-normalized (so full-width letters are accepted); letters are case-folded; any
     * run of whitespace separates words. Then, in this order: exactly 24 words, each in the BIP39 English
     * wordlist, and a matching checksum. {@code text} is not modified; the caller wipes it.
     *
     * @throws KeyFormatException {@code TOO_LONG}; {@code PHRASE_ENCODING} for a character that is not a letter
     *                            or whitespace; {@code PHRASE_WORD_COUNT} ("expected 24 words, found N");
     *                            {@code PHRASE_UNKNOWN_WORD} naming the 1-based position of the first unknown
     *                            word; {@code PHRASE_CHECKSUM}. Messages never repeat a word of the input.
     */
    /** A phrase from word indices (taking ownership of the array), as a keyring stores it; checksum checked. */
    static RecoveryPhrase ofWords(int[] words) throws KeyFormatException {
        if (words.length != WORDS) {
            throw new KeyFormatException(KeyFormatException.Problem.PHRASE_WORD_COUNT, "expected 24 words, found " + words.length);
        }
        Ed25519.wipe(Bip39.entropyOf(words)); // checks the checksum
        return new RecoveryPhrase(words);
    }

    /** A copy of the word indices, for a keyring to store; the caller wipes it. */
    synchronized int[] wordIndices() {
        checkNotDestroyed();
        return words.clone();
    }

    public static RecoveryPhrase parse(char[] text) throws KeyFormatException {
        return new RecoveryPhrase(Bip39.parse(text, WORDS));
    }

    /**
     * The phrase as text: 24 lowercase words separated by single spaces, for showing to its owner. The caller
     * wipes the array after use.
     */
    public synchronized char[] toChars() {
        checkNotDestroyed();
        return Bip39.phraseChars(words);
    }

    /**
     * True if {@code typed} (normalized as in {@link #parse}) is exactly the word at {@code position} (1 to 24):
     * for confirming a backup by re-typing some of its words. Any malformed input is simply not a match.
     */
    public synchronized boolean matchesWord(int position, char[] typed) {
        checkNotDestroyed();
        if (position < 1 || position > WORDS) {
            throw new IllegalArgumentException("a word position is 1 to " + WORDS + ", found " + position);
        }
        int[] found;
        try {
            found = Bip39.tokenize(typed);
        } catch (KeyFormatException e) {
            return false;
        }
        boolean match = found.length == 1 && found[0] >= 0 && found[0] == words[position - 1];
        Arrays.fill(found, 0);
        return match;
    }

    /**
     * The 32-byte Ed25519 seed of the identity key: SLIP-0010 ed25519 at {@code m/4256'/0'} of the BIP39 seed
     * with the empty passphrase. The caller wipes it.
     */
    synchronized byte[] deriveIdentitySeed() {
        checkNotDestroyed();
        byte[] bip39Seed = Bip39.seed(words);
        try {
            return Slip10.deriveKey(bip39Seed, IdentityKeys.PATH);
        } finally {
            Ed25519.wipe(bip39Seed);
        }
    }

    /** Overwrites the phrase. Idempotent. */
    @Override
    public synchronized void destroy() {
        Arrays.fill(words, 0);
        destroyed = true;
    }

    @Override
    public synchronized boolean isDestroyed() {
        return destroyed;
    }

    /** Same as {@link #destroy()}. */
    @Override
    public void close() {
        destroy();
    }

    private void checkNotDestroyed() {
        if (destroyed) {
            throw new IllegalStateException("this recovery phrase has been destroyed");
        }
    }

    /** Never shows a word: {@code RecoveryPhrase[24 words]} or {@code RecoveryPhrase[destroyed]}. */
    @Override
    public synchronized String toString() {
        return destroyed ? "RecoveryPhrase[destroyed]" : "RecoveryPhrase[" + WORDS + " words]";
    }
}
