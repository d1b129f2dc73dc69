package org.halo4j.presentations;

import org.halo4j.errors.HaloRejectedException;
import org.halo4j.errors.RejectionCode;

/** The presentation (or challenge) is for another relying party: a presentation captured by one site cannot log in to another. */
public class AudienceMismatchException extends HaloRejectedException {

    private static final long serialVersionUID = 1L;

    public AudienceMismatchException(RejectionCode code, String message) {
        super(code, message);
    }
}
