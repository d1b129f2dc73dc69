package org.halo4j.net.noise;

/** A Noise handshake or transport message that cannot be used: the session ends, nothing of it is trusted. */
public class NoiseException extends Exception {

    private static final long serialVersionUID = 1L;

    public NoiseException(String message) {
        super(message);
    }
}
