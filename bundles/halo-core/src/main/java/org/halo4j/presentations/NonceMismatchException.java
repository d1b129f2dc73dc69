package org.halo4j.presentations;

import org.halo4j.credentials.CredentialRejectedException;
import org.halo4j.credentials.RejectionCode;

/** The presentation answers another challenge than the one being finished. */
public class NonceMismatchException extends CredentialRejectedException {

    private static final long serialVersionUID = 1L;

    public NonceMismatchException(RejectionCode code, String message) {
        super(code, message);
    }
}
