package org.halo4j.credentials;

import org.halo4j.errors.HaloRejectedException;
import org.halo4j.errors.RejectionCode;

/** Used after its {@code expires_at}, beyond {@link Limits#CLOCK_SKEW}. */
public class ExpiredException extends HaloRejectedException {

    private static final long serialVersionUID = 1L;

    public ExpiredException(RejectionCode code, String message) {
        super(code, message);
    }
}
