package org.halo4j.presentations;

import org.halo4j.credentials.CredentialRejectedException;
import org.halo4j.credentials.RejectionCode;

/** The presentation claims an identity its proof or its credentials do not belong to. */
public class IdentityMismatchException extends CredentialRejectedException {

    private static final long serialVersionUID = 1L;

    public IdentityMismatchException(RejectionCode code, String message) {
        super(code, message);
    }
}
