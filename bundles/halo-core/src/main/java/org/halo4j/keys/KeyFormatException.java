package org.halo4j.keys;

/**
 * Text or bytes that should hold a key (hex, {@code did:key}, a recovery phrase) do not. Input was rejected;
 * nothing was changed. {@link #problem()} names the defect; the message says what was expected and what was
 * found, never key material.
 */
public class KeyFormatException extends Exception {

    private static final long serialVersionUID = 1L;

    /** What is wrong with the input; {@link #code()} is stable for UIs and logs. */
    public enum Problem {
        WRONG_LENGTH("key.length"),
        NOT_HEX("key.hex"),
        NOT_DID_KEY("did.prefix"),
        NOT_BASE58("did.base58"),
        WRONG_MULTICODEC("did.multicodec"),
        /** 32 bytes of the right form that are not a valid Ed25519 point: most often a typo. */
        NOT_A_POINT("key.not_a_point"),
        /** A recovery phrase does not have exactly 24 words. */
        PHRASE_WORD_COUNT("phrase.word_count"),
        /** A word of a recovery phrase is not in the BIP39 English wordlist; the message gives its position. */
        PHRASE_UNKNOWN_WORD("phrase.unknown_word"),
        /** The words of a recovery phrase are all known but their BIP39 checksum does not match. */
        PHRASE_CHECKSUM("phrase.checksum"),
        /** A recovery phrase holds a character that is neither a letter a-z (after NFKD) nor whitespace. */
        PHRASE_ENCODING("phrase.encoding"),
        /** The text is longer than any valid input of its kind; it was refused before any other work. */
        TOO_LONG("input.too_long");

        private final String code;

        Problem(String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }
    }

    private final Problem problem;

    public KeyFormatException(Problem problem, String message) {
        super(message);
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }

    /** Stable error code, e.g. {@code did.multicodec}. */
    public String code() {
        return problem.code();
    }
}
