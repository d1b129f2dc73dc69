package org.halo4j.credentials;

import org.halo4j.errors.HaloRejectedException;
import org.halo4j.errors.RejectionCode;

/** A valid credential of another assertion type than the caller expects. */
public class UnexpectedTypeException extends HaloRejectedException {

    private static final long serialVersionUID = 1L;

    public UnexpectedTypeException(RejectionCode code, String message) {
        super(code, message);
    }
}
