package org.halo4j.claims;

import org.halo4j.errors.HaloRejectedException;
import org.halo4j.errors.RejectionCode;

/** A membership claim that is not accepted, with its reason ({@code claim.*}). */
public class ClaimRejectedException extends HaloRejectedException {

    private static final long serialVersionUID = 1L;

    public ClaimRejectedException(RejectionCode code, String message) {
        super(code, message);
    }
}
