package org.halo4j.node.storage;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import org.halo4j.errors.HaloRejectedException;
import org.halo4j.errors.RejectionCode;
import org.halo4j.feeds.FeedForkException;
import org.halo4j.feeds.FeedLinkException;
import org.halo4j.feeds.FeedVerifier;
import org.halo4j.feeds.FeedWriter;
import org.halo4j.feeds.ForkProof;
import org.halo4j.feeds.VerifiedEntry;
import org.halo4j.keys.KeyringException;
import org.halo4j.keys.PublicKey;
import org.halo4j.proto.v1.FeedEntry;

/**
 * A {@link Feed} in one append-only file of its store's {@link Directory}, with its fork proof (if any) in a side
 * file. Keeps the offset of each record and the head in memory; entries are read from the file and verified again.
 * Every method holds the feed's lock.
 */
final class FileFeed implements Feed {

    /** What became of one offered entry. */
    private enum Outcome { APPENDED, DUPLICATE, FORKED, DROPPED }

    private final Directory dir;
    private final PublicKey key;
    private final String name;
    private final DurableFile file;
    private final Recovery recovery;

    // Guarded by this.
    private long[] offsets;
    private int count;
    private long end;
    private Optional<VerifiedEntry> head;
    private Optional<ForkProof> fork;
    private Optional<StorageException> failure = Optional.empty();
    private boolean closed;

    private FileFeed(Directory dir, PublicKey key, DurableFile file, FeedScan.Result scan, Optional<ForkProof> fork) {
        this.dir = dir;
        this.key = key;
        this.name = FeedFileFormat.fileName(key);
        this.file = file;
        this.offsets = scan.offsets();
        this.count = scan.count();
        this.end = scan.end();
        this.head = scan.head();
        this.fork = fork;
        this.recovery = new Recovery(scan.tornBytes(), scan.forkedBytes());
    }

    /** Creates the feed's file durably (header only) if it does not exist. */
    static void create(Directory dir, PublicKey key) throws StorageException {
        String name = FeedFileFormat.fileName(key);
        try {
            if (!dir.exists(name)) {
                dir.publish(name, FeedFileFormat.header(key));
            }
        } catch (IOException e) {
            throw new StorageException("storage.io", "cannot create " + dir.describe(name) + ": " + e, e);
        }
    }

    /**
     * Opens the feed file: checks the header, reads the fork proof, verifies every entry, and cuts (durably) a torn
     * tail or entries at or after the fork position.
     */
    static FileFeed open(Directory dir, PublicKey key) throws StorageException {
        String name = FeedFileFormat.fileName(key);
        DurableFile file = null;
        try {
            file = dir.open(name);
            if (file.size() < FeedFileFormat.HEADER_LENGTH) {
                throw new CorruptFeedException(name, 0, "expected a header of " + FeedFileFormat.HEADER_LENGTH
                        + " bytes, found a file of " + file.size());
            }
            ByteBuffer header = ByteBuffer.allocate(FeedFileFormat.HEADER_LENGTH);
            file.read(0, header);
            FeedFileFormat.checkHeader(header.array(), key, name);
            Optional<ForkProof> fork = readFork(dir, key);
            FeedScan.Result scan = FeedScan.scan(file, name, key,
                    fork.map(f -> OptionalLong.of(f.seq())).orElse(OptionalLong.empty()));
            if (scan.end() < file.size()) {
                file.truncate(scan.end());
                file.force();
            }
            FileFeed feed = new FileFeed(dir, key, file, scan, fork);
            file = null;
            return feed;
        } catch (IOException e) {
            throw new StorageException("storage.io", "cannot open " + dir.describe(name) + ": " + e, e);
        } finally {
            closeQuietly(file);
        }
    }

    private static Optional<ForkProof> readFork(Directory dir, PublicKey key) throws IOException, StorageException {
        String name = ForkFile.fileName(key);
        if (!dir.exists(name)) {
            return Optional.empty();
        }
        try (DurableFile f = dir.open(name)) {
            long size = f.size();
            if (size > ForkFile.MAX_LENGTH) {
                throw new CorruptFeedException(name, 0, "expected at most " + ForkFile.MAX_LENGTH + " bytes, found "
                        + size);
            }
            ByteBuffer b = ByteBuffer.allocate((int) size);
            f.read(0, b);
            return Optional.of(ForkFile.decode(b.array(), key, name));
        }
    }

    @Override
    public PublicKey key() {
        return key;
    }

    @Override
    public synchronized long length() {
        return count;
    }

    @Override
    public synchronized Optional<VerifiedEntry> head() {
        return head;
    }

    @Override
    public synchronized Optional<ForkProof> fork() {
        return fork;
    }

    @Override
    public Recovery recovery() {
        return recovery;
    }

    @Override
    public synchronized Optional<VerifiedEntry> entry(long seq) throws StorageException {
        if (seq < 0 || seq >= count) {
            return Optional.empty();
        }
        return Optional.of(entries(seq, seq + 1).get(0));
    }

    @Override
    public synchronized List<VerifiedEntry> entries(long from, long to) throws StorageException {
        Objects.checkFromToIndex(from, to, count);
        ensureUsable();
        List<VerifiedEntry> out = new ArrayList<>((int) (to - from));
        Optional<VerifiedEntry> prev = from == 0 || from == to
                ? Optional.empty() : Optional.of(read((int) from - 1, Optional.empty()));
        for (long seq = from; seq < to; seq++) {
            VerifiedEntry e = read((int) seq, prev);
            out.add(e);
            prev = Optional.of(e);
        }
        return out;
    }

    @Override
    public synchronized List<FeedEntry> records(long from, long to) throws StorageException {
        Objects.checkFromToIndex(from, to, count);
        ensureUsable();
        List<FeedEntry> out = new ArrayList<>((int) (to - from));
        for (long seq = from; seq < to; seq++) {
            try {
                out.add(FeedEntry.parseFrom(recordBytes((int) seq)));
            } catch (com.google.protobuf.InvalidProtocolBufferException x) {
                throw new CorruptFeedException(name, offsets[(int) seq], "entry " + seq + " is not a feed entry", x);
            }
        }
        return out;
    }

    @Override
    public synchronized VerifiedEntry append(FeedEntry entry) throws HaloRejectedException, StorageException {
        ensureUsable();
        VerifiedEntry e = verifyOffered(entry);
        Outcome outcome = place(e);
        if (outcome == Outcome.FORKED || outcome == Outcome.DROPPED) {
            ForkProof proof = fork.orElseThrow();
            throw new FeedForkException(proof, "feed " + key.shortId() + " forked at seq " + proof.seq()
                    + "; entry " + e.seq() + " (" + e.shortId() + ") is not stored");
        }
        return outcome == Outcome.DUPLICATE ? read((int) e.seq(), Optional.empty()) : e;
    }

    @Override
    public synchronized VerifiedEntry write(FeedWriter writer, ByteString payload)
            throws KeyringException, HaloRejectedException, StorageException {
        if (!writer.feedKey().equals(key)) {
            throw new IllegalArgumentException("writer of feed " + writer.feedKey().shortId() + " cannot write feed "
                    + key.shortId());
        }
        ensureUsable();
        if (fork.isPresent()) {
            throw new FeedForkException(fork.get(), "feed " + key.shortId() + " forked at seq " + fork.get().seq()
                    + "; no entry is signed");
        }
        return append(writer.next(head, payload));
    }

    @Override
    public synchronized ImportResult importEntries(List<FeedEntry> entries)
            throws HaloRejectedException, StorageException {
        ensureUsable();
        int appended = 0;
        int duplicates = 0;
        int dropped = 0;
        // The new records are written one after the other and forced once, at the end (or before a fork is
        // kept): the batch is acknowledged only when this returns, and a crash before leaves at most a tail
        // that was never acknowledged (the next open cuts a torn one).
        importing = true;
        try {
            for (FeedEntry entry : entries) {
                switch (place(verifyOffered(entry))) {
                    case APPENDED -> appended++;
                    case DUPLICATE -> duplicates++;
                    case FORKED, DROPPED -> dropped++;
                }
            }
        } finally {
            importing = false;
            forcePending(); // the valid entries before an invalid one stay, durably
        }
        return new ImportResult(appended, duplicates, dropped, fork);
    }

    /** True while {@link #importEntries} runs: records are forced once per batch. */
    private boolean importing;
    /** Records written but not forced yet. */
    private boolean pending;

    private void forcePending() throws StorageException {
        if (!pending || failure.isPresent()) {
            return; // nothing to force, or the feed already failed (and refuses everything from now on)
        }
        try {
            file.force();
            pending = false;
        } catch (IOException x) {
            throw fail("cannot make the entries of feed " + key.shortId() + " durable", x);
        }
    }

    /** Decoding, size, fields and signature: nothing unverified goes further. */
    private VerifiedEntry verifyOffered(FeedEntry entry) throws HaloRejectedException {
        VerifiedEntry e = FeedVerifier.verify(entry);
        if (!e.feedKey().equals(key)) {
            throw new FeedLinkException(RejectionCode.FEED_KEY, "expected an entry of feed " + key.shortId()
                    + ", found one of feed " + e.feedKey().shortId());
        }
        return e;
    }

    /** Puts a verified entry of this feed where it belongs: new, already held, a fork, or after a fork. */
    private Outcome place(VerifiedEntry e) throws HaloRejectedException, StorageException {
        if (fork.isPresent() && e.seq() >= fork.get().seq()) {
            if (e.seq() == fork.get().seq()) {
                keepFork(fork.get().with(e));
            }
            return Outcome.DROPPED;
        }
        if (e.seq() < count) {
            VerifiedEntry held = read((int) e.seq(), Optional.empty());
            if (held.sameBody(e)) {
                return Outcome.DUPLICATE;
            }
            keepFork(ForkProof.of(held, e));
            return Outcome.FORKED;
        }
        if (e.seq() > count) {
            throw new FeedLinkException(RejectionCode.FEED_SEQUENCE, "expected the entry of feed " + key.shortId()
                    + " at seq " + count + ", found seq " + e.seq());
        }
        FeedVerifier.checkLink(key, head, e);
        writeRecord(e);
        return Outcome.APPENDED;
    }

    /**
     * Keeps {@code proof} (or the earlier proof already kept), durably first, then drops the feed from the fork
     * position: a crash in between leaves entries after the position, which the next open cuts.
     */
    private void keepFork(ForkProof proof) throws StorageException {
        forcePending();
        ForkProof keep = fork.map(f -> ForkProof.earlier(f, proof)).orElse(proof);
        if (fork.isPresent() && fork.get().equals(keep)) {
            return;
        }
        try {
            dir.publish(ForkFile.fileName(key), ForkFile.encode(keep));
        } catch (IOException e) {
            throw fail("cannot keep the fork proof of feed " + key.shortId(), e);
        }
        fork = Optional.of(keep);
        if (count > keep.seq()) {
            int at = (int) keep.seq();
            try {
                file.truncate(offsets[at]);
                file.force();
            } catch (IOException e) {
                throw fail("cannot drop feed " + key.shortId() + " from seq " + at, e);
            }
            end = offsets[at];
            count = at;
            head = at == 0 ? Optional.empty() : Optional.of(read(at - 1, Optional.empty()));
        }
    }

    /** Writes one record at the end and forces it: the entry is acknowledged only after this returns. */
    private void writeRecord(VerifiedEntry e) throws StorageException {
        ByteBuffer record = FeedFileFormat.record(e.toBytes());
        int length = record.remaining();
        try {
            file.write(end, record);
            if (importing) {
                pending = true;
            } else {
                file.force();
            }
        } catch (IOException x) {
            try {
                file.truncate(end);
            } catch (IOException ignored) {
                // the feed is marked failed; the next open decides from what is on disk
            }
            throw fail("cannot append entry " + e.seq() + " to feed " + key.shortId(), x);
        }
        if (count == offsets.length) {
            offsets = Arrays.copyOf(offsets, Math.max(16, count * 2));
        }
        offsets[count++] = end;
        end += length;
        head = Optional.of(e);
    }

    /** Reads entry {@code seq}, checks its checksum, verifies it and (given {@code prev}) its link. */
    /** The encoded entry at {@code seq}, read from disk and checked against its record's length and checksum. */
    private ByteString recordBytes(int seq) throws StorageException {
        long pos = offsets[seq];
        long next = seq + 1 < count ? offsets[seq + 1] : end;
        int length = (int) (next - pos - FeedFileFormat.FRAME_HEADER);
        ByteBuffer b = ByteBuffer.allocate(FeedFileFormat.FRAME_HEADER + length);
        try {
            file.read(pos, b);
        } catch (IOException e) {
            throw fail("cannot read entry " + seq + " of feed " + key.shortId(), e);
        }
        byte[] record = b.array();
        ByteBuffer frame = ByteBuffer.wrap(record);
        if (frame.getInt(0) != length || frame.getInt(4) != FeedFileFormat.crc(record, FeedFileFormat.FRAME_HEADER, length)) {
            throw new CorruptFeedException(name, pos, "entry " + seq + " changed on disk since it was verified");
        }
        return ByteString.copyFrom(record, FeedFileFormat.FRAME_HEADER, length);
    }

    private VerifiedEntry read(int seq, Optional<VerifiedEntry> prev) throws StorageException {
        long pos = offsets[seq];
        ByteString bytes = recordBytes(seq);
        try {
            VerifiedEntry e = prev.isPresent() ? FeedVerifier.verifyNext(key, prev, bytes) : FeedVerifier.verify(bytes);
            if (e.seq() != seq || !e.feedKey().equals(key)) {
                throw new CorruptFeedException(name, pos, "expected entry " + seq + " of feed " + key.shortId()
                        + ", found entry " + e.seq() + " of feed " + e.feedKey().shortId());
            }
            return e;
        } catch (HaloRejectedException x) {
            throw new CorruptFeedException(name, pos, "entry " + seq + " fails verification: " + x.getMessage(), x);
        }
    }

    private StorageException fail(String message, IOException cause) {
        StorageException e = new StorageException("storage.io", message + ": " + cause, cause);
        failure = Optional.of(e);
        return e;
    }

    private void ensureUsable() throws StorageException {
        if (closed) {
            throw new StorageException("storage.closed", "feed " + key.shortId() + " is closed");
        }
        if (failure.isPresent()) {
            throw new StorageException("storage.failed", "feed " + key.shortId() + " failed earlier ("
                    + failure.get().getMessage() + "); ask the store for it again", failure.get());
        }
    }

    synchronized boolean failed() {
        return failure.isPresent();
    }

    synchronized void close() {
        if (!closed) {
            closed = true;
            closeQuietly(file);
        }
    }

    private static void closeQuietly(DurableFile f) {
        if (f != null) {
            try {
                f.close();
            } catch (IOException ignored) {
                // nothing to flush: every acknowledged write was forced
            }
        }
    }

    @Override
    public String toString() {
        return "Feed[" + key.shortId() + ", " + length() + " entries" + fork().map(f -> ", forked at " + f.seq()).orElse("") + "]";
    }
}
