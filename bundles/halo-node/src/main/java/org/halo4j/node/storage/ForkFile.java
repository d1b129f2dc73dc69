package org.halo4j.node.storage;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.halo4j.errors.HaloRejectedException;
import org.halo4j.feeds.ForkProof;
import org.halo4j.keys.PublicKey;

/**
 * The fork proof kept beside a forked feed, version 1 ({@code docs/feeds.md}); published atomically, so it is
 * never torn. All integers unsigned big-endian.
 *
 * <pre>
 * magic "\x89HALOFK\n" (8) | version 00 01 (2) | length n (4) | CRC32C of the n bytes (4) | halo.v1.ForkProof (n)
 * </pre>
 */
final class ForkFile {

    static final byte[] MAGIC = {(byte) 0x89, 'H', 'A', 'L', 'O', 'F', 'K', '\n'};
    static final int VERSION = 1;
    static final int HEADER_LENGTH = 18;
    static final int MAX_LENGTH = HEADER_LENGTH + ForkProof.MAX_BYTES;
    static final String SUFFIX = ".fork";

    private ForkFile() {
    }

    static String fileName(PublicKey key) {
        return key.toHex() + SUFFIX;
    }

    static byte[] encode(ForkProof proof) {
        byte[] p = proof.toBytes();
        ByteBuffer b = ByteBuffer.allocate(HEADER_LENGTH + p.length);
        b.put(MAGIC).putShort((short) VERSION).putInt(p.length).putInt(FeedFileFormat.crc(p, 0, p.length)).put(p);
        return b.array();
    }

    /**
     * Reads a fork file of the feed of {@code expected}: header, checksum, then the proof decoded strictly and both
     * entries verified again.
     */
    static ForkProof decode(byte[] file, PublicKey expected, String name) throws StorageException {
        if (file.length < HEADER_LENGTH || !Arrays.equals(file, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw new StorageException("storage.not_a_feed_file", name + " is not a fork proof file");
        }
        ByteBuffer b = ByteBuffer.wrap(file);
        int version = b.getShort(MAGIC.length) & 0xffff;
        if (version != VERSION) {
            throw new StorageException("storage.unsupported_version", name + " is fork file version " + version
                    + "; this halo4j reads version " + VERSION);
        }
        long length = b.getInt(10) & 0xffffffffL;
        if (length != file.length - HEADER_LENGTH) {
            throw new CorruptFeedException(name, 10, "expected a proof of " + (file.length - HEADER_LENGTH)
                    + " bytes, the length field says " + length);
        }
        if (b.getInt(14) != FeedFileFormat.crc(file, HEADER_LENGTH, (int) length)) {
            throw new CorruptFeedException(name, 14, "the checksum of the fork proof does not match");
        }
        ForkProof proof;
        try {
            proof = ForkProof.parse(Arrays.copyOfRange(file, HEADER_LENGTH, file.length));
        } catch (HaloRejectedException e) {
            throw new CorruptFeedException(name, HEADER_LENGTH, "the fork proof does not verify: " + e.getMessage(), e);
        }
        if (!proof.feedKey().equals(expected)) {
            throw new CorruptFeedException(name, HEADER_LENGTH, "expected a fork proof of feed " + expected.shortId()
                    + ", found one of feed " + proof.feedKey().shortId());
        }
        return proof;
    }
}
