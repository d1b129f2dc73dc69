package org.halo4j.credentials;

/** A signature (of a credential, presentation, consent or feed proof of possession) does not verify. */
public class InvalidSignatureException extends CredentialRejectedException {

    private static final long serialVersionUID = 1L;

    public InvalidSignatureException(RejectionCode code, String message) {
        super(code, message);
    }
}
