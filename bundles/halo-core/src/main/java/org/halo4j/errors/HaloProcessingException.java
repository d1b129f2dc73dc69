package org.halo4j.errors;

import java.util.Objects;

/**
 * Processing failed and no input was judged: storage or keyring I/O, a damaged file, configuration, or a
 * store at capacity. The stable {@link #code()} (for example {@code keyring.io}, {@code storage.locked},
 * {@code challenge.store_full}) is for UIs, logs and retries; the message names what was expected and what
 * was found, never key material. Contrast with {@link HaloRejectedException}: the input was judged and
 * refused.
 */
public class HaloProcessingException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String code;

    public HaloProcessingException(String code, String message) {
        super(message);
        this.code = Objects.requireNonNull(code);
    }

    public HaloProcessingException(String code, String message, Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code);
    }

    /** The stable code, such as {@code keyring.io}. */
    public String code() {
        return code;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + code + "]: " + getMessage();
    }
}
