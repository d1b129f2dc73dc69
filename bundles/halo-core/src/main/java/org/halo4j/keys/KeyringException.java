package org.halo4j.keys;

/**
 * A keyring could not do what was asked: storage failed, the file is not a keyring, or the key is not there.
 * Processing failed; the input was not judged. The message never contains key material.
 */
public class KeyringException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String code;

    public KeyringException(String code, String message) {
        super(message);
        this.code = code;
    }

    public KeyringException(String code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    /** Stable error code, e.g. {@code keyring.io}. */
    public String code() {
        return code;
    }
}
