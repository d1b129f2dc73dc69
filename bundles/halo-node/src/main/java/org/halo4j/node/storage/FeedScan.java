package org.halo4j.node.storage;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Optional;
import java.util.OptionalLong;
import org.halo4j.errors.HaloRejectedException;
import org.halo4j.feeds.FeedVerifier;
import org.halo4j.feeds.VerifiedEntry;
import org.halo4j.keys.PublicKey;

/**
 * Reads a feed file from its header to its end, verifying every entry (signature and hash chain), and decides
 * what a bad record at position {@code p} is:
 * <ul>
 *   <li>a <b>torn tail</b> — the last append, interrupted by a crash and never acknowledged — if the bytes from
 *       {@code p} to the end are no more than one record can be and no valid record of a later entry starts
 *       anywhere in them: they are cut;</li>
 *   <li><b>corruption</b> otherwise, or whenever a record whose checksum matches fails verification: an error,
 *       because acknowledged entries may lie behind it. Nothing is ever skipped.</li>
 * </ul>
 * Every append is forced before the next begins, so a crash can leave at most one incomplete record, at the end.
 */
final class FeedScan {

    /**
     * What the file holds.
     *
     * @param offsets     offset of each entry's record; only the first {@code count} are used
     * @param count       entries kept
     * @param end         where the kept records end: the file's new size
     * @param head        the last kept entry
     * @param tornBytes   bytes of a torn tail after {@code end}
     * @param forkedBytes bytes at or after the fork position after {@code end}
     */
    record Result(long[] offsets, int count, long end, Optional<VerifiedEntry> head, long tornBytes, long forkedBytes) {
    }

    private final DurableFile file;
    private final String name;
    private final PublicKey key;
    private final long size;

    private FeedScan(DurableFile file, String name, PublicKey key, long size) {
        this.file = file;
        this.name = name;
        this.key = key;
        this.size = size;
    }

    /**
     * Scans {@code file} (whose header was checked). Stops at {@code forkSeq}: entries from there on are not
     * kept. Cuts nothing itself; the caller truncates to {@link Result#end()}.
     */
    static Result scan(DurableFile file, String name, PublicKey key, OptionalLong forkSeq)
            throws IOException, StorageException {
        return new FeedScan(file, name, key, file.size()).run(forkSeq);
    }

    private Result run(OptionalLong forkSeq) throws IOException, StorageException {
        long[] offsets = new long[16];
        int count = 0;
        Optional<VerifiedEntry> head = Optional.empty();
        long pos = FeedFileFormat.HEADER_LENGTH;
        while (pos < size) {
            if (forkSeq.isPresent() && count >= forkSeq.getAsLong()) {
                return new Result(offsets, count, pos, head, 0, size - pos);
            }
            long remaining = size - pos;
            if (remaining < FeedFileFormat.FRAME_HEADER) {
                return tornOrCorrupt(offsets, count, pos, head,
                        "incomplete record header (" + remaining + " of " + FeedFileFormat.FRAME_HEADER + " bytes)");
            }
            ByteBuffer frame = read(pos, FeedFileFormat.FRAME_HEADER);
            long length = frame.getInt(0) & 0xffffffffL;
            int crc = frame.getInt(4);
            if (!FeedFileFormat.lengthInRange(length)) {
                return tornOrCorrupt(offsets, count, pos, head, "record length " + length + " outside 1 .. "
                        + (FeedFileFormat.MAX_RECORD - FeedFileFormat.FRAME_HEADER));
            }
            if (remaining < FeedFileFormat.FRAME_HEADER + length) {
                return tornOrCorrupt(offsets, count, pos, head, "record of " + length + " bytes runs past the end ("
                        + (remaining - FeedFileFormat.FRAME_HEADER) + " present)");
            }
            byte[] entry = read(pos + FeedFileFormat.FRAME_HEADER, (int) length).array();
            if (crc != FeedFileFormat.crc(entry, 0, entry.length)) {
                return tornOrCorrupt(offsets, count, pos, head, "record checksum does not match");
            }
            VerifiedEntry e;
            try {
                e = FeedVerifier.verifyNext(key, head, ByteString.copyFrom(entry));
            } catch (HaloRejectedException x) {
                throw new CorruptFeedException(name, pos, "entry " + count + " has a valid checksum but fails "
                        + "verification: " + x.getMessage(), x);
            }
            if (count == offsets.length) {
                offsets = Arrays.copyOf(offsets, count * 2);
            }
            offsets[count++] = pos;
            head = Optional.of(e);
            pos += FeedFileFormat.FRAME_HEADER + length;
        }
        return new Result(offsets, count, pos, head, 0, 0);
    }

    /** A bad record at {@code pos}: a torn tail if nothing valid can follow it, else corruption. */
    private Result tornOrCorrupt(long[] offsets, int count, long pos, Optional<VerifiedEntry> head, String problem)
            throws IOException, StorageException {
        long remaining = size - pos;
        if (remaining > FeedFileFormat.MAX_RECORD) {
            throw new CorruptFeedException(name, pos, "entry " + count + ": " + problem + ", and " + remaining
                    + " bytes follow, more than one record can be; expected at most " + FeedFileFormat.MAX_RECORD);
        }
        byte[] region = read(pos, (int) remaining).array();
        OptionalLong later = validRecordAfter(region, count);
        if (later.isPresent()) {
            throw new CorruptFeedException(name, pos, "entry " + count + ": " + problem + ", followed by a valid "
                    + "record at byte " + (pos + later.getAsLong()));
        }
        return new Result(offsets, count, pos, head, remaining, 0);
    }

    /**
     * The offset in {@code region} (after its first byte) of a record whose length fits, whose checksum matches and
     * whose entry verifies as a later entry of this feed: proof that the bad bytes before it are not a torn tail.
     */
    private OptionalLong validRecordAfter(byte[] region, int count) {
        ByteBuffer b = ByteBuffer.wrap(region);
        for (int q = 1; q + FeedFileFormat.FRAME_HEADER <= region.length; q++) {
            long length = b.getInt(q) & 0xffffffffL;
            if (!FeedFileFormat.lengthInRange(length) || q + FeedFileFormat.FRAME_HEADER + length > region.length) {
                continue;
            }
            int start = q + FeedFileFormat.FRAME_HEADER;
            if (b.getInt(q + 4) != FeedFileFormat.crc(region, start, (int) length)) {
                continue;
            }
            try {
                VerifiedEntry e = FeedVerifier.verify(ByteString.copyFrom(region, start, (int) length));
                if (e.feedKey().equals(key) && e.seq() > count) {
                    return OptionalLong.of(q);
                }
            } catch (HaloRejectedException notAnEntry) {
                // checksum matched by chance; keep looking
            }
        }
        return OptionalLong.empty();
    }

    private ByteBuffer read(long position, int length) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(length);
        file.read(position, b);
        return b.flip();
    }
}
