package org.halo4j.credentials;

/** Used after its {@code expires_at}, beyond {@link Limits#CLOCK_SKEW}. */
public class ExpiredException extends CredentialRejectedException {

    private static final long serialVersionUID = 1L;

    public ExpiredException(RejectionCode code, String message) {
        super(code, message);
    }
}
