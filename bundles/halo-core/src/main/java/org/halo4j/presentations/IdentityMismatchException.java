package org.halo4j.presentations;

import org.halo4j.errors.HaloRejectedException;
import org.halo4j.errors.RejectionCode;

/** The presentation claims an identity its proof or its credentials do not belong to. */
public class IdentityMismatchException extends HaloRejectedException {

    private static final long serialVersionUID = 1L;

    public IdentityMismatchException(RejectionCode code, String message) {
        super(code, message);
    }
}
