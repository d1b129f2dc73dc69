package org.halo4j.node.storage;

import static org.halo4j.node.storage.FeedFixture.text;
import static org.halo4j.node.storage.FeedFixture.verified;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.halo4j.errors.HaloRejectedException;
import org.halo4j.credentials.InvalidSignatureException;
import org.halo4j.credentials.LimitExceededException;
import org.halo4j.credentials.Limits;
import org.halo4j.errors.RejectionCode;
import org.halo4j.feeds.FeedForkException;
import org.halo4j.feeds.FeedLinkException;
import org.halo4j.feeds.VerifiedEntry;
import org.halo4j.proto.v1.FeedEntry;
import org.halo4j.proto.v1.FeedEntryBody;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("FileFeedStore (DESIGN §2 Feed, §8, §9)")
class FileFeedStoreTest {

    @TempDir
    Path dir;

    private final FeedFixture fx = new FeedFixture();
    private final List<FeedStore> opened = new ArrayList<>();

    @AfterEach
    void closeAll() {
        opened.forEach(FeedStore::close);
    }

    private FeedStore store() throws StorageException {
        FeedStore s = FileFeedStore.open(dir);
        opened.add(s);
        return s;
    }

    private FeedStore reopen(FeedStore s) throws StorageException {
        s.close();
        return store();
    }

    private Path feedFile() {
        return dir.resolve(fx.key.toHex() + ".feed");
    }

    private static List<FeedEntry> raw(List<VerifiedEntry> entries) {
        return entries.stream().map(VerifiedEntry::entry).toList();
    }

    private static void rejected(RejectionCode code, Class<? extends Exception> type, org.junit.jupiter.api.function.Executable e) {
        HaloRejectedException x = assertThrows(HaloRejectedException.class, e);
        assertEquals(code, x.code(), x.getMessage());
        assertTrue(type.isInstance(x), "expected " + type.getSimpleName() + ", found " + x);
    }

    @Nested
    @DisplayName("\"A Feed is a hash-linked, signed, append-only log\": append and read")
    class RoundTrip {

        @Test
        @DisplayName("entries written, appended and imported read back after reopening, verified and in order")
        void roundTrip() throws Exception {
            FeedStore s = store();
            Feed f = s.openOrCreate(fx.key);
            List<FeedEntry> chain = fx.chain(6);
            f.append(chain.get(0));
            f.append(chain.get(1));
            assertEquals(new ImportResult(2, 0, 0, Optional.empty()), f.importEntries(chain.subList(2, 4)));
            VerifiedEntry written = f.write(fx.writer, text("entry 4"));
            assertEquals(4, written.seq());
            assertEquals(5, f.length());

            List<FeedEntry> before = raw(f.entries(0, 5));
            Feed again = reopen(s).feed(fx.key).orElseThrow();
            assertEquals(5, again.length());
            assertEquals(written, again.head().orElseThrow());
            assertEquals(before, raw(again.entries(0, 5)));
            assertEquals(chain.subList(0, 4), raw(again.entries(0, 4)));
            assertEquals(List.of(chain.get(2), chain.get(3)), raw(again.entries(2, 4)));
            assertEquals(List.of(), again.entries(3, 3));
            assertEquals(Optional.empty(), again.entry(5));
            assertEquals(text("entry 3"), again.entry(3).orElseThrow().payload());
            assertTrue(again.recovery().isClean());
            assertThrows(IndexOutOfBoundsException.class, () -> again.entries(2, 6));
        }

        @Test
        @DisplayName("\"Files the project writes start with a magic number and a format version\": one file per feed, named by its key")
        void fileFormat() throws Exception {
            FeedStore s = store();
            byte[] entry = fx.chain(1).get(0).toByteArray();
            s.openOrCreate(fx.key).append(FeedEntry.parseFrom(entry));
            byte[] file = Files.readAllBytes(feedFile());
            assertArrayEquals(new byte[] {(byte) 0x89, 'H', 'A', 'L', 'O', 'F', 'D', '\n', 0, 1}, Arrays.copyOf(file, 10));
            assertArrayEquals(fx.key.toBytes(), Arrays.copyOfRange(file, 10, 42));
            int at = FeedFileFormat.HEADER_LENGTH;
            assertEquals(entry.length, java.nio.ByteBuffer.wrap(file, at, 4).getInt());
            assertEquals(FeedFileFormat.HEADER_LENGTH + 8 + entry.length, file.length);
            assertArrayEquals(entry, Arrays.copyOfRange(file, at + 8, file.length));
        }

        @Test
        @DisplayName("many feeds in one store: feeds() lists them, feed() finds only those held")
        void manyFeeds() throws Exception {
            FeedStore s = store();
            FeedFixture other = new FeedFixture();
            s.openOrCreate(fx.key);
            s.openOrCreate(other.key).append(other.chain(1).get(0));
            assertEquals(Set.of(fx.key, other.key), reopen(s).feeds());
            FeedStore t = opened.get(opened.size() - 1);
            assertEquals(1, t.feed(other.key).orElseThrow().length());
            assertEquals(0, t.feed(fx.key).orElseThrow().length());
            assertEquals(Optional.empty(), t.feed(new FeedFixture().key));
        }

        @Test
        @DisplayName("a store directory is used by one store at a time")
        void locked() throws Exception {
            store();
            StorageException x = assertThrows(StorageException.class, () -> FileFeedStore.open(dir));
            assertEquals("storage.locked", x.code());
        }

        @Test
        @DisplayName("writers on several threads never sign two entries at one position")
        void concurrentWriters() throws Exception {
            Feed f = store().openOrCreate(fx.key);
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<VerifiedEntry>> done = new ArrayList<>();
                for (int i = 0; i < 40; i++) {
                    int n = i;
                    done.add(pool.submit(() -> f.write(fx.writer, text("w" + n))));
                }
                for (Future<VerifiedEntry> d : done) {
                    d.get();
                }
            } finally {
                pool.shutdown();
            }
            assertEquals(40, f.length());
            assertEquals(Optional.empty(), f.fork());
            assertEquals(40, f.entries(0, 40).size());
        }
    }

    /** A directory whose files fail one force when told to, as a failing disk does. */
    static final class FlakyDirectory implements Directory {
        final PowerLossDirectory inner = new PowerLossDirectory(new java.util.Random(7));
        volatile boolean failNextForce;

        @Override
        public Set<String> names() throws java.io.IOException {
            return inner.names();
        }

        @Override
        public boolean exists(String name) throws java.io.IOException {
            return inner.exists(name);
        }

        @Override
        public DurableFile open(String name) throws java.io.IOException {
            DurableFile f = inner.open(name);
            return new DurableFile() {
                public long size() throws java.io.IOException {
                    return f.size();
                }

                public void read(long position, java.nio.ByteBuffer dst) throws java.io.IOException {
                    f.read(position, dst);
                }

                public void write(long position, java.nio.ByteBuffer src) throws java.io.IOException {
                    f.write(position, src);
                }

                public void force() throws java.io.IOException {
                    if (failNextForce) {
                        failNextForce = false;
                        throw new java.io.IOException("input/output error");
                    }
                    f.force();
                }

                public void truncate(long size) throws java.io.IOException {
                    f.truncate(size);
                }

                public void close() throws java.io.IOException {
                    f.close();
                }
            };
        }

        @Override
        public void publish(String name, byte[] content) throws java.io.IOException {
            inner.publish(name, content);
        }

        @Override
        public String describe(String name) {
            return inner.describe(name);
        }

        @Override
        public void close() {
        }
    }

    @Nested
    @DisplayName("\"a crash at any point loses no acknowledged write\": a failed write is never acknowledged")
    class FailedWrites {

        @Test
        @DisplayName("a write whose force fails throws, is not served, and the feed refuses work until it is opened again")
        void forceFails() throws Exception {
            FlakyDirectory d = new FlakyDirectory();
            FeedStore s = FileFeedStore.open(d);
            Feed f = s.openOrCreate(fx.key);
            List<FeedEntry> chain = fx.chain(3);
            f.append(chain.get(0));
            d.failNextForce = true;
            assertEquals("storage.io", assertThrows(StorageException.class, () -> f.append(chain.get(1))).code());
            assertEquals(1, f.length());
            assertEquals("storage.failed", assertThrows(StorageException.class, () -> f.append(chain.get(1))).code());
            Feed again = s.feed(fx.key).orElseThrow();
            assertEquals(1, again.length());
            again.importEntries(chain.subList(1, 3));
            assertEquals(chain, raw(again.entries(0, 3)));
            assertEquals("storage.closed", assertThrows(StorageException.class, () -> f.entries(0, 1)).code());
        }
    }

    @Nested
    @DisplayName("\"replicated to peers that verify every entry\": verified before it is written")
    class VerifiedBeforeWrite {

        @Test
        @DisplayName("an entry signed by another key is refused and nothing is written")
        void wrongSigner() throws Exception {
            Feed f = store().openOrCreate(fx.key);
            var stranger = fx.keyring.generate();
            FeedEntry forged = fx.sign(stranger, fx.chain(1).get(0).getBody());
            long size = Files.size(feedFile());
            rejected(RejectionCode.SIGNATURE_INVALID, InvalidSignatureException.class, () -> f.append(forged));
            rejected(RejectionCode.SIGNATURE_INVALID, InvalidSignatureException.class, () -> f.importEntries(List.of(forged)));
            assertEquals(size, Files.size(feedFile()));
            assertEquals(0, f.length());
        }

        @Test
        @DisplayName("a broken hash link is refused with feed.link")
        void brokenLink() throws Exception {
            Feed f = store().openOrCreate(fx.key);
            List<FeedEntry> chain = fx.chain(2);
            f.append(chain.get(0));
            FeedEntryBody body = FeedEntryBody.parseFrom(chain.get(1).getBody()).toBuilder()
                    .setPrevHash(ByteString.copyFrom(new byte[32])).build();
            FeedEntry bad = fx.sign(fx.key, body.toByteString());
            rejected(RejectionCode.FEED_LINK, FeedLinkException.class, () -> f.append(bad));
            assertEquals(1, f.length());
        }

        @Test
        @DisplayName("a seq gap is refused with feed.sequence")
        void gap() throws Exception {
            Feed f = store().openOrCreate(fx.key);
            List<FeedEntry> chain = fx.chain(3);
            f.append(chain.get(0));
            rejected(RejectionCode.FEED_SEQUENCE, FeedLinkException.class, () -> f.append(chain.get(2)));
            rejected(RejectionCode.FEED_SEQUENCE, FeedLinkException.class, () -> f.importEntries(List.of(chain.get(2))));
            assertEquals(1, f.length());
        }

        @Test
        @DisplayName("an entry of another feed is refused with feed.key")
        void otherFeed() throws Exception {
            Feed f = store().openOrCreate(fx.key);
            FeedEntry theirs = new FeedFixture().chain(1).get(0);
            rejected(RejectionCode.FEED_KEY, FeedLinkException.class, () -> f.append(theirs));
        }

        @Test
        @DisplayName("the same entry again is idempotent: accepted, nothing written")
        void duplicate() throws Exception {
            Feed f = store().openOrCreate(fx.key);
            List<FeedEntry> chain = fx.chain(3);
            f.importEntries(chain);
            long size = Files.size(feedFile());
            assertEquals(verified(chain.get(1)), f.append(chain.get(1)));
            assertEquals(new ImportResult(0, 3, 0, Optional.empty()), f.importEntries(chain));
            assertEquals(size, Files.size(feedFile()));
            assertEquals(3, f.length());
        }

        @Test
        @DisplayName("\"message 64 KiB\": an entry of Limits.MAX_MESSAGE_BYTES is stored, one of the limit + 1 refused")
        void sizeLimit() throws Exception {
            Feed f = store().openOrCreate(fx.key);
            FeedEntry atLimit = ofSize(Limits.MAX_MESSAGE_BYTES, 0);
            FeedEntry overLimit = ofSize(Limits.MAX_MESSAGE_BYTES + 1, 1);
            f.append(atLimit);
            long size = Files.size(feedFile());
            assertThrows(LimitExceededException.class, () -> f.append(overLimit));
            assertEquals(size, Files.size(feedFile()));
            Feed again = reopen(opened.get(0)).feed(fx.key).orElseThrow();
            assertEquals(Limits.MAX_MESSAGE_BYTES, again.entry(0).orElseThrow().entry().getSerializedSize());
        }

        /** A validly signed entry at seq {@code seq} (after entries of the same size) of exactly {@code size} bytes. */
        private FeedEntry ofSize(int size, int seq) throws Exception {
            Optional<VerifiedEntry> prev = seq == 0 ? Optional.empty() : Optional.of(verified(ofSize(Limits.MAX_MESSAGE_BYTES, seq - 1)));
            for (int p = size - 200; p < size; p++) {
                FeedEntryBody.Builder b = FeedEntryBody.parseFrom(fx.writer.next(prev, ByteString.EMPTY).getBody()).toBuilder()
                        .setPayload(ByteString.copyFrom(new byte[p]));
                FeedEntry e = fx.sign(fx.key, b.build().toByteString());
                if (e.getSerializedSize() == size) {
                    return e;
                }
            }
            throw new AssertionError("no entry of " + size + " bytes");
        }
    }

    @Nested
    @DisplayName("\"Two different entries at the same position of one feed, both signed by its key, prove the writer forked: "
            + "every peer drops that feed from the fork position on, and keeps the proof\"")
    class Forks {

        @Test
        @DisplayName("a conflicting append is refused with the proof; the feed is dropped from the fork position")
        void appendConflict() throws Exception {
            Feed f = store().openOrCreate(fx.key);
            List<FeedEntry> chain = fx.chain(5);
            f.importEntries(chain);
            FeedEntry other = fx.conflicting(chain, 2, "other entry 2");
            FeedForkException x = assertThrows(FeedForkException.class, () -> f.append(other));
            assertEquals(RejectionCode.FEED_FORK, x.code());
            assertEquals(2, x.proof().seq());
            assertEquals(2, f.length());
            assertEquals(Optional.of(x.proof()), f.fork());
            assertTrue(Files.exists(dir.resolve(fx.key.toHex() + ".fork")));
            assertThrows(FeedForkException.class, () -> f.write(fx.writer, text("more")));
            assertThrows(FeedForkException.class, () -> f.append(chain.get(2)));
        }

        @Test
        @DisplayName("the proof and the drop survive a restart")
        void persists() throws Exception {
            FeedStore s = store();
            Feed f = s.openOrCreate(fx.key);
            List<FeedEntry> chain = fx.chain(5);
            f.importEntries(chain);
            ImportResult r = f.importEntries(List.of(fx.conflicting(chain, 3, "other entry 3")));
            assertEquals(1, r.dropped());
            Feed again = reopen(s).feed(fx.key).orElseThrow();
            assertEquals(r.fork(), again.fork());
            assertEquals(3, again.length());
            assertEquals(chain.subList(0, 3), raw(again.entries(0, 3)));
            assertEquals(new ImportResult(0, 3, 2, r.fork()), again.importEntries(chain));
        }

        @Test
        @DisplayName("two peers importing the same entries in different orders end in the same state, byte for byte")
        void orderIndependent() throws Exception {
            List<FeedEntry> chain = fx.chain(6);
            FeedEntry other = fx.conflicting(chain, 2, "other entry 2");
            List<FeedEntry> otherChain = new ArrayList<>(chain.subList(0, 2));
            otherChain.add(other);
            otherChain.addAll(fx.chainAfter(Optional.of(verified(other)), 2, seq -> text("other " + seq)));

            Path a = dir.resolve("a");
            Path b = dir.resolve("b");
            try (FeedStore sa = FileFeedStore.open(a); FeedStore sb = FileFeedStore.open(b)) {
                sa.openOrCreate(fx.key).importEntries(chain);
                sa.openOrCreate(fx.key).importEntries(otherChain);
                sb.openOrCreate(fx.key).importEntries(otherChain);
                sb.openOrCreate(fx.key).importEntries(chain);
                Feed fa = sa.feed(fx.key).orElseThrow();
                Feed fb = sb.feed(fx.key).orElseThrow();
                assertEquals(2, fa.length());
                assertEquals(fa.length(), fb.length());
                assertEquals(fa.fork(), fb.fork());
                assertEquals(raw(fa.entries(0, 2)), raw(fb.entries(0, 2)));
            }
            String feed = fx.key.toHex() + ".feed";
            String fork = fx.key.toHex() + ".fork";
            assertArrayEquals(Files.readAllBytes(a.resolve(feed)), Files.readAllBytes(b.resolve(feed)));
            assertArrayEquals(Files.readAllBytes(a.resolve(fork)), Files.readAllBytes(b.resolve(fork)));
        }

        @Test
        @DisplayName("an earlier fork replaces a later one; a later one never replaces an earlier one")
        void earliestKept() throws Exception {
            Feed f = store().openOrCreate(fx.key);
            List<FeedEntry> chain = fx.chain(5);
            f.importEntries(chain);
            f.importEntries(List.of(fx.conflicting(chain, 3, "x3")));
            ImportResult r = f.importEntries(List.of(fx.conflicting(chain, 1, "x1")));
            assertEquals(1, r.fork().orElseThrow().seq());
            assertEquals(1, f.length());
            ImportResult later = f.importEntries(List.of(fx.conflicting(chain, 3, "y3")));
            assertEquals(r.fork(), later.fork());
        }
    }

    @Nested
    @DisplayName("\"verify on read\": corruption is an error, never skipped")
    class Corruption {

        private List<FeedEntry> writeFive() throws Exception {
            FeedStore s = store();
            List<FeedEntry> chain = fx.chain(5);
            s.openOrCreate(fx.key).importEntries(chain);
            s.close();
            return chain;
        }

        /** Offset of record {@code seq} in the file. */
        private long offsetOf(List<FeedEntry> chain, int seq) {
            long at = FeedFileFormat.HEADER_LENGTH;
            for (int i = 0; i < seq; i++) {
                at += 8 + chain.get(i).getSerializedSize();
            }
            return at;
        }

        private CorruptFeedException corrupt() {
            return assertThrows(CorruptFeedException.class, () -> store().feed(fx.key));
        }

        private void flip(long offset) throws Exception {
            byte[] b = Files.readAllBytes(feedFile());
            b[(int) offset] ^= 0x40;
            Files.write(feedFile(), b);
        }

        @Test
        @DisplayName("a damaged byte in a record in the middle: CRC mismatch followed by valid records is an error")
        void middleRecord() throws Exception {
            List<FeedEntry> chain = writeFive();
            long at = offsetOf(chain, 2);
            flip(at + 8 + 20);
            CorruptFeedException x = corrupt();
            assertEquals(at, x.offset());
            assertEquals("storage.corrupt", x.code());
            assertEquals(offsetOf(chain, 5), Files.size(feedFile()), "nothing is cut");
        }

        @Test
        @DisplayName("a damaged length field in the middle is an error, though the rest is no longer than one record")
        void middleLength() throws Exception {
            List<FeedEntry> chain = writeFive();
            long at = offsetOf(chain, 3);
            flip(at);
            assertEquals(at, corrupt().offset());
        }

        @Test
        @DisplayName("a record length field above Limits.MAX_MESSAGE_BYTES in the middle is an error")
        void lengthAboveLimit() throws Exception {
            List<FeedEntry> chain = writeFive();
            long at = offsetOf(chain, 1);
            byte[] b = Files.readAllBytes(feedFile());
            java.nio.ByteBuffer.wrap(b).putInt((int) at, Limits.MAX_MESSAGE_BYTES + 1);
            Files.write(feedFile(), b);
            assertEquals(at, corrupt().offset());
        }

        @Test
        @DisplayName("a record whose checksum matches but whose entry fails verification is an error, even the last")
        void checksummedButInvalid() throws Exception {
            List<FeedEntry> chain = writeFive();
            long at = offsetOf(chain, 4);
            byte[] b = Files.readAllBytes(feedFile());
            byte[] entry = chain.get(4).toByteArray();
            entry[entry.length - 1] ^= 1; // the signature's last byte
            System.arraycopy(entry, 0, b, (int) at + 8, entry.length);
            java.nio.ByteBuffer.wrap(b).putInt((int) at + 4, FeedFileFormat.crc(entry, 0, entry.length));
            Files.write(feedFile(), b);
            CorruptFeedException x = corrupt();
            assertEquals(at, x.offset());
            assertTrue(x.getCause() instanceof InvalidSignatureException, x.toString());
        }

        @Test
        @DisplayName("records swapped on disk break the hash chain: an error")
        void reordered() throws Exception {
            FeedStore s = store();
            Feed f = s.openOrCreate(fx.key);
            List<FeedEntry> chain = fx.chain(3);
            f.importEntries(chain);
            s.close();
            byte[] b = Files.readAllBytes(feedFile());
            byte[] r1 = FeedFileFormat.record(chain.get(1).toByteArray()).array();
            byte[] r2 = FeedFileFormat.record(chain.get(2).toByteArray()).array();
            int at = (int) offsetOf(chain, 1);
            System.arraycopy(r2, 0, b, at, r2.length);
            System.arraycopy(r1, 0, b, at + r2.length, r1.length);
            Files.write(feedFile(), b);
            assertEquals(at, corrupt().offset());
        }

        @Test
        @DisplayName("a wrong magic, version or header checksum is refused with a precise code")
        void header() throws Exception {
            writeFive();
            byte[] good = Files.readAllBytes(feedFile());
            byte[] b = good.clone();
            b[1] = 'X';
            Files.write(feedFile(), b);
            assertEquals("storage.not_a_feed_file", assertThrows(StorageException.class, () -> store().feed(fx.key)).code());
            opened.remove(opened.size() - 1).close();
            b = good.clone();
            b[9] = 2;
            Files.write(feedFile(), b);
            assertEquals("storage.unsupported_version", assertThrows(StorageException.class, () -> store().feed(fx.key)).code());
            opened.remove(opened.size() - 1).close();
            b = good.clone();
            b[20] ^= 1;
            Files.write(feedFile(), b);
            assertEquals("storage.corrupt", assertThrows(StorageException.class, () -> store().feed(fx.key)).code());
        }

        @Test
        @DisplayName("an entry changed on disk after the feed was opened is an error when read")
        void changedAfterOpen() throws Exception {
            List<FeedEntry> chain = writeFive();
            Feed f = store().feed(fx.key).orElseThrow();
            flip(offsetOf(chain, 1) + 8 + 10);
            assertThrows(CorruptFeedException.class, () -> f.entries(0, 5));
            assertEquals(verified(chain.get(0)), f.entry(0).orElseThrow());
        }

        @Test
        @DisplayName("a damaged fork proof file is an error")
        void damagedForkFile() throws Exception {
            FeedStore s = store();
            List<FeedEntry> chain = fx.chain(3);
            s.openOrCreate(fx.key).importEntries(chain);
            s.openOrCreate(fx.key).importEntries(List.of(fx.conflicting(chain, 1, "x")));
            s.close();
            Path fork = dir.resolve(fx.key.toHex() + ".fork");
            byte[] b = Files.readAllBytes(fork);
            b[b.length - 1] ^= 1;
            Files.write(fork, b);
            assertThrows(CorruptFeedException.class, () -> store().feed(fx.key));
        }
    }

    @Nested
    @DisplayName("\"a crash at any point loses no acknowledged write\": torn tails")
    class TornTail {

        @Test
        @DisplayName("the last record cut at every byte length is cut away on open; every earlier entry is intact")
        void everyLength() throws Exception {
            FeedStore s = store();
            List<FeedEntry> chain = fx.chain(4);
            s.openOrCreate(fx.key).importEntries(chain);
            s.close();
            byte[] full = Files.readAllBytes(feedFile());
            int record = 8 + chain.get(3).getSerializedSize();
            int kept = full.length - record;
            for (int k = 0; k < record; k++) {
                Files.write(feedFile(), Arrays.copyOf(full, kept + k));
                FeedStore t = store();
                Feed f = t.feed(fx.key).orElseThrow();
                assertEquals(3, f.length(), "cut at " + k);
                assertEquals(new Recovery(k, 0), f.recovery());
                assertEquals(chain.subList(0, 3), raw(f.entries(0, 3)));
                t.close();
                assertEquals(kept, Files.size(feedFile()), "the cut is on disk");
                opened.remove(t);
            }
        }

        @Test
        @DisplayName("a large last record torn at every byte length, or with its rest lost as zeros, is cut (in memory)")
        void everyLengthLarge() throws Exception {
            PowerLossDirectory mem = new PowerLossDirectory(new java.util.Random(1));
            List<FeedEntry> chain = fx.randomChain(3, 0, new java.util.Random(2));
            chain = new ArrayList<>(chain);
            chain.addAll(fx.chainAfter(Optional.of(verified(chain.get(2))), 1, seq -> ByteString.copyFrom(new byte[4096])));
            FeedStore s = FileFeedStore.open(mem);
            s.openOrCreate(fx.key).importEntries(chain);
            String name = FeedFileFormat.fileName(fx.key);
            byte[] full = mem.bytes(name);
            int record = 8 + chain.get(3).getSerializedSize();
            int kept = full.length - record;
            for (int k = 0; k < record; k++) {
                for (boolean zeros : new boolean[] {false, true}) {
                    byte[] torn = Arrays.copyOf(full, zeros ? full.length : kept + k);
                    if (zeros) {
                        Arrays.fill(torn, kept + k, full.length, (byte) 0);
                        if (Arrays.equals(torn, full)) {
                            continue; // the bytes "lost" were zeros already (a signature may end in 0x00): nothing is torn
                        }
                    }
                    PowerLossDirectory d = new PowerLossDirectory(new java.util.Random(k));
                    d.put(name, torn);
                    Feed f = FileFeedStore.open(d).feed(fx.key).orElseThrow();
                    assertEquals(3, f.length(), "cut at " + k + (zeros ? " with zeros" : ""));
                    assertEquals(torn.length - kept, f.recovery().tornTailBytes());
                    assertEquals(kept, d.bytes(name).length);
                    assertEquals(chain.get(2), f.head().orElseThrow().entry());
                }
            }
        }

        @Test
        @DisplayName("a record length field above the limit at the very end, with nothing after it, is a torn tail")
        void lengthAboveLimitAtEnd() throws Exception {
            FeedStore s = store();
            List<FeedEntry> chain = fx.chain(2);
            s.openOrCreate(fx.key).importEntries(chain);
            s.close();
            byte[] b = Files.readAllBytes(feedFile());
            byte[] tail = java.nio.ByteBuffer.allocate(8).putInt(Limits.MAX_MESSAGE_BYTES + 1).putInt(7).array();
            byte[] withTail = Arrays.copyOf(b, b.length + 8);
            System.arraycopy(tail, 0, withTail, b.length, 8);
            Files.write(feedFile(), withTail);
            Feed f = store().feed(fx.key).orElseThrow();
            assertEquals(2, f.length());
            assertEquals(8, f.recovery().tornTailBytes());
            assertFalse(f.fork().isPresent());
        }
    }
}
