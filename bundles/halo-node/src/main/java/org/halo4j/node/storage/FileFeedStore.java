package org.halo4j.node.storage;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.halo4j.keys.PublicKey;

/**
 * A {@link FeedStore} in one directory: a file {@code <feed key hex>.feed} per feed and, for a forked feed,
 * {@code <feed key hex>.fork} with its proof (format in {@code docs/feeds.md}). The directory is locked while
 * the store is open. Thread-safe.
 */
public final class FileFeedStore implements FeedStore {

    private final Directory dir;

    // Guarded by this.
    private final Map<PublicKey, FileFeed> open = new HashMap<>();
    private boolean closed;

    private FileFeedStore(Directory dir) {
        this.dir = dir;
    }

    /**
     * Opens the store in {@code directory}, creating the directory if needed. Feeds are opened (and verified) when
     * first asked for.
     *
     * @throws StorageException {@code storage.locked} if another store has the directory open; {@code storage.io}
     */
    public static FileFeedStore open(Path directory) throws StorageException {
        return new FileFeedStore(PathDirectory.open(directory));
    }

    /** A store on another {@link Directory} (tests simulate power loss with one). */
    static FileFeedStore open(Directory dir) {
        return new FileFeedStore(dir);
    }

    @Override
    public synchronized Optional<Feed> feed(PublicKey key) throws StorageException {
        ensureOpen();
        FileFeed feed = open.get(key);
        if (feed != null && !feed.failed()) {
            return Optional.of(feed);
        }
        try {
            if (!dir.exists(FeedFileFormat.fileName(key))) {
                return Optional.empty();
            }
        } catch (IOException e) {
            throw new StorageException("storage.io", "cannot look for feed " + key.shortId() + ": " + e, e);
        }
        return Optional.of(reopen(key));
    }

    @Override
    public synchronized Feed openOrCreate(PublicKey key) throws StorageException {
        ensureOpen();
        FileFeed feed = open.get(key);
        if (feed != null && !feed.failed()) {
            return feed;
        }
        FileFeed.create(dir, key);
        return reopen(key);
    }

    @Override
    public synchronized Set<PublicKey> feeds() throws StorageException {
        ensureOpen();
        TreeSet<PublicKey> keys = new TreeSet<>();
        try {
            for (String name : dir.names()) {
                FeedFileFormat.keyOf(name).ifPresent(keys::add);
            }
        } catch (IOException e) {
            throw new StorageException("storage.io", "cannot list the feed store: " + e, e);
        }
        return Collections.unmodifiableSortedSet(keys);
    }

    /** Opens the feed's file again, replacing a handle that failed. Caller holds this. */
    private FileFeed reopen(PublicKey key) throws StorageException {
        FileFeed old = open.remove(key);
        if (old != null) {
            old.close();
        }
        FileFeed feed = FileFeed.open(dir, key);
        open.put(key, feed);
        return feed;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        open.values().forEach(FileFeed::close);
        open.clear();
        try {
            dir.close();
        } catch (IOException ignored) {
            // releasing the lock; every acknowledged write was forced already
        }
    }

    private void ensureOpen() throws StorageException {
        if (closed) {
            throw new StorageException("storage.closed", "the feed store is closed");
        }
    }
}
