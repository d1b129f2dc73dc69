package org.halo4j.presentations;

import org.halo4j.errors.HaloRejectedException;
import org.halo4j.errors.RejectionCode;

/** No open challenge matches: never issued, already consumed (a replay), or expired. */
public class ChallengeException extends HaloRejectedException {

    private static final long serialVersionUID = 1L;

    public ChallengeException(RejectionCode code, String message) {
        super(code, message);
    }
}
