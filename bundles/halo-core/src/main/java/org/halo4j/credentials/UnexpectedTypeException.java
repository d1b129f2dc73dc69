package org.halo4j.credentials;

/** A valid credential of another assertion type than the caller expects. */
public class UnexpectedTypeException extends CredentialRejectedException {

    private static final long serialVersionUID = 1L;

    public UnexpectedTypeException(RejectionCode code, String message) {
        super(code, message);
    }
}
