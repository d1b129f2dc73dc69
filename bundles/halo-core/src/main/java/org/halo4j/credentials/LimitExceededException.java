package org.halo4j.credentials;

/** A limit of DESIGN §3 was exceeded; checked before any cryptography. */
public class LimitExceededException extends CredentialRejectedException {

    private static final long serialVersionUID = 1L;

    public LimitExceededException(RejectionCode code, String message) {
        super(code, message);
    }
}
