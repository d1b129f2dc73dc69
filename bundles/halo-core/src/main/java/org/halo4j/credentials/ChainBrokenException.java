package org.halo4j.credentials;

import org.halo4j.errors.HaloRejectedException;
import org.halo4j.errors.RejectionCode;

/** The device chain does not prove that the signer acts for the issuer: missing, broken, wrong type, no consent, widened scope, not an admin, or a loop. */
public class ChainBrokenException extends HaloRejectedException {

    private static final long serialVersionUID = 1L;

    public ChainBrokenException(RejectionCode code, String message) {
        super(code, message);
    }
}
