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
        PHRASE_WORD_COUNT("phrase.word_count"),
        PHRASE_UNKNOWN_WORD("phrase.unknown_word"),
        PHRASE_CHECKSUM("phrase.checksum"),
        PHRASE_ENCODING("phrase.encoding");

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
