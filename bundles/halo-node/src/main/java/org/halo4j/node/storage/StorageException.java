package org.halo4j.node.storage;

/**
 * Storage failed: a file could not be read or written, is not what halo4j wrote, or is damaged. Processing
 * failed; no input was judged (a refused entry is a {@link org.halo4j.credentials.CredentialRejectedException}).
 * The message names the file and what was expected and found, never key material.
 *
 * <p>Codes: {@code storage.io}, {@code storage.locked}, {@code storage.failed} (an earlier write of this feed
 * failed; open the feed again), {@code storage.closed}, {@code storage.not_a_feed_file},
 * {@code storage.unsupported_version}, and {@code storage.corrupt} ({@link CorruptFeedException}).
 */
public class StorageException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String code;

    public StorageException(String code, String message) {
        super(message);
        this.code = code;
    }

    public StorageException(String code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    /** Stable error code, e.g. {@code storage.corrupt}. */
    public String code() {
        return code;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + code + "]: " + getMessage();
    }
}
