package org.halo4j.credentials;

import org.halo4j.errors.HaloRejectedException;
import org.halo4j.errors.RejectionCode;

/** The bytes are not a well-formed, canonical HALO message (malformed, unknown field, non-canonical, invalid field, unknown assertion type, key mismatch). */
public class MalformedCredentialException extends HaloRejectedException {

    private static final long serialVersionUID = 1L;

    public MalformedCredentialException(RejectionCode code, String message) {
        super(code, message);
    }
}
