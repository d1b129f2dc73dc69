package org.halo4j.invitations;

/** An invitation that cannot be used, with a stable code ({@code invitation.malformed}, {@code invitation.locked}, …). */
public class InvitationException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String code;

    public InvitationException(String code, String message) {
        super(message);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
