package org.halo4j.node.storage;

import org.halo4j.errors.HaloProcessingException;

/**
 * Storage failed: a file could not be read or written, is not what halo4j wrote, or is damaged. Processing
 * failed; no input was judged (a refused entry is a {@link org.halo4j.errors.HaloRejectedException}).
 * The message names the file and what was expected and found, never key material.
 *
 * <p>Codes: {@code storage.io}, {@code storage.locked}, {@code storage.failed} (an earlier write of this feed
 * failed; open the feed again), {@code storage.closed}, {@code storage.not_a_feed_file},
 * {@code storage.unsupported_version}, and {@code storage.corrupt} ({@link CorruptFeedException}).
 */
public class StorageException extends HaloProcessingException {

    private static final long serialVersionUID = 1L;

    public StorageException(String code, String message) {
        super(code, message);
    }

    public StorageException(String code, String message, Throwable cause) {
        super(code, message, cause);
    }
}
