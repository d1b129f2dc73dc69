package org.halo4j.credentials;

/** Used before its {@code issued_at}, beyond {@link Limits#CLOCK_SKEW}. */
public class NotYetValidException extends CredentialRejectedException {

    private static final long serialVersionUID = 1L;

    public NotYetValidException(RejectionCode code, String message) {
        super(code, message);
    }
}
