package org.halo4j.credentials;

import org.halo4j.errors.HaloRejectedException;
import org.halo4j.errors.RejectionCode;

/** Used before its {@code issued_at}, beyond {@link Limits#CLOCK_SKEW}. */
public class NotYetValidException extends HaloRejectedException {

    private static final long serialVersionUID = 1L;

    public NotYetValidException(RejectionCode code, String message) {
        super(code, message);
    }
}
