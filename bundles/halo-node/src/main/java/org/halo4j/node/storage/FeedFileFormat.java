package org.halo4j.node.storage;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Optional;
import java.util.zip.CRC32C;
import org.halo4j.credentials.Limits;
import org.halo4j.keys.KeyFormatException;
import org.halo4j.keys.PublicKey;

/**
 * The feed file, version 1 ({@code docs/feeds.md}); all integers unsigned big-endian.
 *
 * <pre>
 * header  magic "\x89HALOFD\n" (8) | version 00 01 (2) | feed key (32) | CRC32C of the 42 bytes before (4)
 * record  length n (4), 1 ≤ n ≤ Limits.MAX_MESSAGE_BYTES | CRC32C of the n bytes (4) | encoded FeedEntry (n)
 * </pre>
 * The file is named after the feed key: 64 lowercase hex digits and {@code .feed}.
 */
final class FeedFileFormat {

    static final byte[] MAGIC = {(byte) 0x89, 'H', 'A', 'L', 'O', 'F', 'D', '\n'};
    static final int VERSION = 1;
    static final int KEY_OFFSET = 10;
    static final int CRC_OFFSET = KEY_OFFSET + PublicKey.LENGTH;
    static final int HEADER_LENGTH = CRC_OFFSET + 4;
    /** Length field and CRC of a record. */
    static final int FRAME_HEADER = 8;
    /** Largest record: a frame header and an entry of the largest size. */
    static final int MAX_RECORD = FRAME_HEADER + Limits.MAX_MESSAGE_BYTES;
    static final String SUFFIX = ".feed";

    private FeedFileFormat() {
    }

    static String fileName(PublicKey key) {
        return key.toHex() + SUFFIX;
    }

    /** The key a file name stands for, if it is a feed file's name. */
    static Optional<PublicKey> keyOf(String name) {
        if (!name.endsWith(SUFFIX) || name.length() != 2 * PublicKey.LENGTH + SUFFIX.length()) {
            return Optional.empty();
        }
        String hex = name.substring(0, 2 * PublicKey.LENGTH);
        if (!hex.equals(hex.toLowerCase(java.util.Locale.ROOT))) {
            return Optional.empty();
        }
        try {
            return Optional.of(PublicKey.fromHex(hex));
        } catch (KeyFormatException e) {
            return Optional.empty();
        }
    }

    static byte[] header(PublicKey key) {
        ByteBuffer b = ByteBuffer.allocate(HEADER_LENGTH);
        b.put(MAGIC).putShort((short) VERSION).put(key.toBytes());
        b.putInt(crc(b.array(), 0, CRC_OFFSET));
        return b.array();
    }

    /**
     * Checks a header read from the file {@code name}.
     *
     * @throws StorageException {@code storage.not_a_feed_file}, {@code storage.unsupported_version}, or
     *                          {@link CorruptFeedException} for a wrong key or checksum
     */
    static void checkHeader(byte[] header, PublicKey expected, String name) throws StorageException {
        if (!Arrays.equals(header, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw new StorageException("storage.not_a_feed_file", name + " does not start with the feed file magic "
                    + "89 48 41 4c 4f 46 44 0a");
        }
        int version = ((header[8] & 0xff) << 8) | (header[9] & 0xff);
        if (version != VERSION) {
            throw new StorageException("storage.unsupported_version", name + " is feed file version " + version
                    + "; this halo4j reads version " + VERSION);
        }
        int stored = ByteBuffer.wrap(header, CRC_OFFSET, 4).getInt();
        if (stored != crc(header, 0, CRC_OFFSET)) {
            throw new CorruptFeedException(name, 0, "the header checksum does not match");
        }
        if (!expected.matches(Arrays.copyOfRange(header, KEY_OFFSET, CRC_OFFSET))) {
            throw new CorruptFeedException(name, KEY_OFFSET, "expected the header of feed " + expected.shortId()
                    + ", found feed " + PublicKey.of(Arrays.copyOfRange(header, KEY_OFFSET, CRC_OFFSET)).shortId());
        }
    }

    /** A record: length, CRC32C, entry bytes. */
    static ByteBuffer record(byte[] entry) {
        ByteBuffer b = ByteBuffer.allocate(FRAME_HEADER + entry.length);
        b.putInt(entry.length).putInt(crc(entry, 0, entry.length)).put(entry);
        return b.flip();
    }

    /** True if {@code length} may be a record's length field. */
    static boolean lengthInRange(long length) {
        return length >= 1 && length <= Limits.MAX_MESSAGE_BYTES;
    }

    static int crc(byte[] b, int offset, int length) {
        CRC32C c = new CRC32C();
        c.update(b, offset, length);
        return (int) c.getValue();
    }
}
