package org.halo4j.presentations;

import org.halo4j.errors.HaloRejectedException;
import org.halo4j.errors.RejectionCode;

/** The presentation answers another challenge than the one being finished. */
public class NonceMismatchException extends HaloRejectedException {

    private static final long serialVersionUID = 1L;

    public NonceMismatchException(RejectionCode code, String message) {
        super(code, message);
    }
}
