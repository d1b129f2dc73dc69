package org.halo4j.credentials;

/** The device chain does not prove that the signer acts for the issuer: missing, broken, wrong type, no consent, widened scope, not an admin, or a loop. */
public class ChainBrokenException extends CredentialRejectedException {

    private static final long serialVersionUID = 1L;

    public ChainBrokenException(RejectionCode code, String message) {
        super(code, message);
    }
}
