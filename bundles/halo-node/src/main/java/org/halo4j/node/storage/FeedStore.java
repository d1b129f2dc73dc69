package org.halo4j.node.storage;

import java.util.Optional;
import java.util.Set;
import org.halo4j.keys.PublicKey;

/**
 * Many feeds, each identified by its key. A feed is opened (its file scanned and every entry verified) the first
 * time it is asked for. Thread-safe.
 */
public interface FeedStore extends AutoCloseable {

    /**
     * The feed of {@code key}, if the store holds it. A feed whose earlier write failed is reopened from disk.
     *
     * @throws CorruptFeedException if its file is damaged beyond a torn tail
     */
    Optional<Feed> feed(PublicKey key) throws StorageException;

    /** The feed of {@code key}; an empty feed is created (durably) if the store does not hold it. */
    Feed openOrCreate(PublicKey key) throws StorageException;

    /** The keys of every feed the store holds, in key order (unsigned bytes). */
    Set<PublicKey> feeds() throws StorageException;

    /** Closes every open feed file and releases the store. Idempotent. */
    @Override
    void close();
}
