package org.halo4j.credentials;

import org.halo4j.errors.HaloRejectedException;
import org.halo4j.errors.RejectionCode;

/** A signature (of a credential, presentation, consent or feed proof of possession) does not verify. */
public class InvalidSignatureException extends HaloRejectedException {

    private static final long serialVersionUID = 1L;

    public InvalidSignatureException(RejectionCode code, String message) {
        super(code, message);
    }
}
