package org.halo4j.keys;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The clear header of a keyring file (format version 1), all integers unsigned big-endian:
 *
 * <pre>
 * offset length field
 *      0      8 magic 0x89 'H' 'A' 'L' 'O' 'K' 'R' 0x0A
 *      8      2 format version = 1
 *     10      4 Argon2id memory in KiB
 *     14      4 Argon2id iterations
 *     18      4 Argon2id parallelism
 *     22     16 Argon2id salt
 *     38     12 AES-GCM nonce
 *     50      4 ciphertext length n (including the 16-byte tag)
 *     54      n AES-256-GCM ciphertext || tag, with bytes 0..53 as associated data
 * </pre>
 *
 * {@link #parse} checks every field, in file order, before any key derivation: a file that is too short, is not
 * a keyring, has another version, or asks for more Argon2 work than the bounds of {@link Argon2Settings} is
 * rejected with a precise code and without allocating more than the file itself.
 */
final class KeyringHeader {

    static final byte[] MAGIC = {(byte) 0x89, 'H', 'A', 'L', 'O', 'K', 'R', 0x0A};
    static final int FORMAT_VERSION = 1;

    static final int SALT_LENGTH = 16;
    static final int NONCE_LENGTH = 12;
    static final int TAG_LENGTH = 16;

    static final int VERSION_OFFSET = 8;
    static final int MEMORY_OFFSET = 10;
    static final int ITERATIONS_OFFSET = 14;
    static final int PARALLELISM_OFFSET = 18;
    static final int SALT_OFFSET = 22;
    static final int NONCE_OFFSET = 38;
    static final int CIPHERTEXT_LENGTH_OFFSET = 50;
    /** Length of the header, which is also the associated data of the ciphertext. */
    static final int LENGTH = 54;

    /** No keyring file is larger: 16 MiB, room for about 240,000 keys. */
    static final int MAX_FILE_SIZE = 16 << 20;
    static final int MIN_CIPHERTEXT_LENGTH = TAG_LENGTH + KeyringContent.MIN_LENGTH;
    static final int MAX_CIPHERTEXT_LENGTH = MAX_FILE_SIZE - LENGTH;

    private final Argon2Settings settings;
    private final byte[] salt;
    private final byte[] nonce;
    private final int ciphertextLength;
    private final byte[] bytes;

    private KeyringHeader(Argon2Settings settings, byte[] salt, byte[] nonce, int ciphertextLength, byte[] bytes) {
        this.settings = settings;
        this.salt = salt;
        this.nonce = nonce;
        this.ciphertextLength = ciphertextLength;
        this.bytes = bytes;
    }

    /** The header of a file about to be written. */
    static KeyringHeader of(Argon2Settings settings, byte[] salt, byte[] nonce, int ciphertextLength) {
        if (salt.length != SALT_LENGTH || nonce.length != NONCE_LENGTH) {
            throw new IllegalArgumentException("salt is " + SALT_LENGTH + " bytes and nonce " + NONCE_LENGTH);
        }
        ByteBuffer b = ByteBuffer.allocate(LENGTH);
        b.put(MAGIC);
        b.putShort((short) FORMAT_VERSION);
        b.putInt(settings.memoryKiB());
        b.putInt(settings.iterations());
        b.putInt(settings.parallelism());
        b.put(salt);
        b.put(nonce);
        b.putInt(ciphertextLength);
        return new KeyringHeader(settings, salt.clone(), nonce.clone(), ciphertextLength, b.array());
    }

    /**
     * Reads and checks the header of a whole keyring file.
     *
     * @throws KeyringException {@code keyring.not_a_keyring}, {@code keyring.truncated},
     *                          {@code keyring.unsupported_version}, {@code keyring.argon2_*},
     *                          {@code keyring.ciphertext_length} or {@code keyring.trailing_data}
     */
    static KeyringHeader parse(byte[] file, Path path) throws KeyringException {
        int n = file.length;
        // Never quote the bytes found: a file given here by mistake may hold a secret.
        if (!Arrays.equals(file, 0, Math.min(n, MAGIC.length), MAGIC, 0, Math.min(n, MAGIC.length))) {
            throw new KeyringException("keyring.not_a_keyring",
                    path + " is not a halo4j keyring: it does not start with the keyring magic number");
        }
        if (n < VERSION_OFFSET + 2) {
            throw truncated(path, n, "the magic number and format version", VERSION_OFFSET + 2);
        }
        ByteBuffer b = ByteBuffer.wrap(file);
        int version = Short.toUnsignedInt(b.getShort(VERSION_OFFSET));
        if (version != FORMAT_VERSION) {
            throw new KeyringException("keyring.unsupported_version", "keyring " + path + " has format version "
                    + version + "; this halo4j reads version " + FORMAT_VERSION);
        }
        if (n < LENGTH) {
            throw truncated(path, n, "the header", LENGTH);
        }
        Argon2Settings settings = Argon2Settings.fromHeader(
                Integer.toUnsignedLong(b.getInt(MEMORY_OFFSET)),
                Integer.toUnsignedLong(b.getInt(ITERATIONS_OFFSET)),
                Integer.toUnsignedLong(b.getInt(PARALLELISM_OFFSET)));
        long ciphertextLength = Integer.toUnsignedLong(b.getInt(CIPHERTEXT_LENGTH_OFFSET));
        if (ciphertextLength < MIN_CIPHERTEXT_LENGTH || ciphertextLength > MAX_CIPHERTEXT_LENGTH) {
            throw new KeyringException("keyring.ciphertext_length", "keyring " + path
                    + ": the header announces " + ciphertextLength + " bytes of ciphertext; it must be "
                    + MIN_CIPHERTEXT_LENGTH + " to " + MAX_CIPHERTEXT_LENGTH);
        }
        long expected = LENGTH + ciphertextLength;
        if (n < expected) {
            throw truncated(path, n, "the header and the " + ciphertextLength + " bytes of ciphertext it announces",
                    expected);
        }
        if (n > expected) {
            throw new KeyringException("keyring.trailing_data", "keyring " + path + " is " + n
                    + " bytes, but its header announces " + expected + ": " + (n - expected)
                    + " bytes follow the ciphertext");
        }
        return new KeyringHeader(settings,
                Arrays.copyOfRange(file, SALT_OFFSET, SALT_OFFSET + SALT_LENGTH),
                Arrays.copyOfRange(file, NONCE_OFFSET, NONCE_OFFSET + NONCE_LENGTH),
                (int) ciphertextLength,
                Arrays.copyOf(file, LENGTH));
    }

    private static KeyringException truncated(Path path, int found, String what, long needed) {
        return new KeyringException("keyring.truncated", "keyring " + path + " is truncated: " + what + " need "
                + needed + " bytes, the file has " + found);
    }

    Argon2Settings settings() {
        return settings;
    }

    byte[] salt() {
        return salt.clone();
    }

    byte[] nonce() {
        return nonce.clone();
    }

    int ciphertextLength() {
        return ciphertextLength;
    }

    /** The exact header bytes: the associated data of the ciphertext. */
    byte[] bytes() {
        return bytes.clone();
    }
}
