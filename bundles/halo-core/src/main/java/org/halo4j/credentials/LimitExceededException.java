package org.halo4j.credentials;

import org.halo4j.errors.HaloRejectedException;
import org.halo4j.errors.RejectionCode;

/** A limit of DESIGN §3 was exceeded; checked before any cryptography. */
public class LimitExceededException extends HaloRejectedException {

    private static final long serialVersionUID = 1L;

    public LimitExceededException(RejectionCode code, String message) {
        super(code, message);
    }
}
