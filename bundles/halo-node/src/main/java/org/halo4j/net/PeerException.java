package org.halo4j.net;

/**
 * A peer channel failed or was refused. {@link #code()} is stable and names the reason ({@code peer.timeout},
 * {@code peer.closed}, {@code peer.too_big}, {@code peer.protocol}, {@code peer.handshake}, {@code peer.proof},
 * {@code peer.flood}, {@code peer.unreachable}, …); the message says it for a person and never holds a secret.
 */
public class PeerException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String code;

    public PeerException(String code, String message) {
        super(message);
        this.code = code;
    }

    public PeerException(String code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    /** The stable reason code. */
    public String code() {
        return code;
    }
}
