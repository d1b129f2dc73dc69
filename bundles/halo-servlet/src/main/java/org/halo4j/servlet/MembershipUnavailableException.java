package org.halo4j.servlet;

/** The membership state could not be read; the filter answers 503 and lets nobody in. */
public class MembershipUnavailableException extends Exception {

    private static final long serialVersionUID = 1L;

    public MembershipUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
