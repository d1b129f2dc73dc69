package org.halo4j.node.storage;

/**
 * A feed file (or its fork proof) is damaged in a way no crash can cause: a record in the middle fails its
 * checksum, a checksummed entry fails verification, a header is wrong. halo4j never skips such a record, because
 * acknowledged entries may follow it; the feed cannot be opened until the file is repaired or the feed replicated
 * again. Code {@code storage.corrupt}.
 */
public class CorruptFeedException extends StorageException {

    private static final long serialVersionUID = 1L;

    private final String file;
    private final long offset;

    public CorruptFeedException(String file, long offset, String message) {
        super("storage.corrupt", file + " at byte " + offset + ": " + message);
        this.file = file;
        this.offset = offset;
    }

    public CorruptFeedException(String file, long offset, String message, Throwable cause) {
        super("storage.corrupt", file + " at byte " + offset + ": " + message, cause);
        this.file = file;
        this.offset = offset;
    }

    /** The damaged file's name in the store directory. */
    public String file() {
        return file;
    }

    /** Byte offset in the file where the damage starts. */
    public long offset() {
        return offset;
    }
}
