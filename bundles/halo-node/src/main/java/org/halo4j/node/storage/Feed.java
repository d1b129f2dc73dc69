package org.halo4j.node.storage;

import com.google.protobuf.ByteString;
import java.util.List;
import java.util.Optional;
import org.halo4j.errors.HaloRejectedException;
import org.halo4j.feeds.FeedForkException;
import org.halo4j.feeds.FeedWriter;
import org.halo4j.feeds.ForkProof;
import org.halo4j.feeds.VerifiedEntry;
import org.halo4j.keys.KeyringException;
import org.halo4j.keys.PublicKey;
import org.halo4j.proto.v1.FeedEntry;

/**
 * One stored feed: its entries 0 … {@link #length()} − 1, each verified (signature by the feed key, hash link to
 * the one before) before it was written, when the feed was opened, and again when it is read.
 *
 * <p><b>Acknowledged</b> means that {@link #append}, {@link #write} or {@link #importEntries} returned normally:
 * the entry is then on disk (forced), and survives a crash or power loss. An entry whose call threw may or may not
 * be there after a restart; it was never served.
 *
 * <p>A forked feed (DESIGN §4 rule 7) keeps its {@link #fork()} proof and serves only the entries before the
 * fork position; entries at or after it are never stored again.
 *
 * <p>Thread-safe. After a storage failure the feed refuses every call with {@code storage.failed}; ask the store
 * for the feed again, which reopens it from disk.
 */
public interface Feed {

    /** The feed's key. */
    PublicKey key();

    /** Number of entries served: the next entry has this seq. */
    long length();

    /** The last entry served, if any. */
    Optional<VerifiedEntry> head();

    /** The entry at {@code seq}, read and verified, if {@code seq < length()}. */
    Optional<VerifiedEntry> entry(long seq) throws StorageException;

    /**
     * Entries {@code from} (inclusive) to {@code to} (exclusive), read from disk and verified: each signed by the
     * feed key and linked to the one before.
     *
     * @throws IndexOutOfBoundsException unless {@code 0 <= from <= to <= length()}
     */
    List<VerifiedEntry> entries(long from, long to) throws StorageException;

    /**
     * Entries {@code from} (inclusive) to {@code to} (exclusive) as stored, checked against their checksums but
     * not verified again: only for sending to peers, which verify every entry before they store it. Everything
     * this process uses itself comes from {@link #entries}.
     *
     * @throws IndexOutOfBoundsException unless {@code 0 <= from <= to <= length()}
     */
    List<FeedEntry> records(long from, long to) throws StorageException;

    /** The proof that the feed's writer forked, if it did. */
    Optional<ForkProof> fork();

    /** What opening the feed cut from the end of its file. */
    Recovery recovery();

    /**
     * Appends {@code entry} as the next entry, and returns once it is durable. The entry is verified first
     * (strict decoding, size, signature by the feed key, link to the head); nothing unverified is written. An
     * entry the feed already holds is accepted without writing (idempotent).
     *
     * @throws HaloRejectedException if the entry is invalid, of another feed, or not the next one
     * @throws FeedForkException           if it is another entry at a position the feed holds (the fork proof is
     *                                     kept and the feed dropped from there before this throws), or the feed
     *                                     was forked before at or below its position
     * @throws StorageException            if it could not be made durable
     */
    VerifiedEntry append(FeedEntry entry) throws HaloRejectedException, StorageException;

    /**
     * Signs the next entry with {@code writer} and appends it, under the feed's lock, so that two callers never
     * sign two entries at one position.
     *
     * @throws IllegalArgumentException if {@code writer} writes another feed
     * @throws FeedForkException        if the feed is forked: no entry is signed
     */
    VerifiedEntry write(FeedWriter writer, ByteString payload)
            throws KeyringException, HaloRejectedException, StorageException;

    /**
     * Stores entries replicated from a peer, in order, each verified exactly as {@link #append} does. Entries the
     * feed already holds are counted as duplicates. Another validly signed entry at a held position is a fork:
     * the proof is kept durably, the feed dropped from that position, and the result reports it; entries at or
     * after a fork position are dropped. Entries before an invalid one stay stored.
     *
     * @throws HaloRejectedException at the first invalid entry (bad signature, broken link, a gap)
     * @throws StorageException            if an entry could not be made durable
     */
    ImportResult importEntries(List<FeedEntry> entries) throws HaloRejectedException, StorageException;

    /** A convenience for {@link #write(FeedWriter, ByteString)} with a byte array payload. */
    default VerifiedEntry write(FeedWriter writer, byte[] payload)
            throws KeyringException, HaloRejectedException, StorageException {
        return write(writer, ByteString.copyFrom(payload));
    }
}
