package org.halo4j.credentials;

import java.util.Objects;

/**
 * Input was rejected: a credential, chain or presentation that is malformed, forged, out of date or not
 * allowed. The precise reason is {@link #code()}; the message says what was expected and what was found,
 * with short key ids, never key material. Contrast with processing failures (storage, configuration), which
 * are not this type.
 */
public class CredentialRejectedException extends Exception {

    private static final long serialVersionUID = 1L;

    private final RejectionCode code;

    public CredentialRejectedException(RejectionCode code, String message) {
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
