package org.halo4j.node.agent;

/**
 * What the agent could not do, with a stable code (for example {@code keyring.wrong_passphrase},
 * {@code space.unknown}, {@code phrase.checksum}) and a message that says what was expected and what was found.
 */
public class AgentException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String code;

    public AgentException(String code, String message) {
        super(message);
        this.code = code;
    }

    public AgentException(String code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    /** The stable code. */
    public String code() {
        return code;
    }
}
