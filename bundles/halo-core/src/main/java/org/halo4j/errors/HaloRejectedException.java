package org.halo4j.errors;

import java.util.Objects;

/**
 * Input was rejected: a credential, chain, presentation, feed entry or challenge answer that is malformed,
 * forged, out of date or not allowed. The precise reason is {@link #code()}; the message says what was
 * expected and what was found, with short key ids, never key material. Contrast with
 * {@link HaloProcessingException}: storage, configuration or capacity failed and no input was judged.
 */
public class HaloRejectedException extends Exception {

    private static final long serialVersionUID = 1L;

    private final RejectionCode code;

    public HaloRejectedException(RejectionCode code, String message) {
        super(message);
        this.code = Objects.requireNonNull(code);
    }

    /** The stable reason. */
    public RejectionCode code() {
        return code;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + code.code() + "]: " + getMessage();
    }
}
