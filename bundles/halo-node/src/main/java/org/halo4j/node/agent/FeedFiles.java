package org.halo4j.node.agent;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.halo4j.io.AtomicFileWriter;
import org.halo4j.errors.HaloRejectedException;
import org.halo4j.feeds.FeedWriter;
import org.halo4j.feeds.VerifiedEntry;
import org.halo4j.keys.Keyring;
import org.halo4j.keys.KeyringException;
import org.halo4j.keys.PublicKey;
import org.halo4j.node.storage.Feed;
import org.halo4j.node.storage.FileFeedStore;
import org.halo4j.node.storage.ImportResult;
import org.halo4j.proto.v1.FeedEntry;
import org.halo4j.node.storage.StorageException;
import org.halo4j.proto.v1.Credential;
import org.halo4j.spaces.ReplayProgress;
import org.halo4j.spaces.SpaceEntry;

/** An identity's feeds in {@code DIR/feeds}: each credential is the payload of one signed, durable feed entry. */
final class FeedFiles implements FeedLog {

    /** Entries read per page: each page after the first verifies its predecessor again. */
    private static final int PAGE = 4096;

    private final FileFeedStore store;
    private final Keyring keyring;

    private FeedFiles(FileFeedStore store, Keyring keyring) {
        this.store = store;
        this.keyring = keyring;
    }

    static FeedFiles open(Path dir, Keyring keyring) throws IOException {
        try {
            AtomicFileWriter.createPrivateDirectories(dir.resolve("feeds"));
            return new FeedFiles(FileFeedStore.open(dir.resolve("feeds")), keyring);
        } catch (StorageException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    @Override
    public long append(PublicKey feed, Credential credential) throws IOException {
        try {
            Feed f = store.openOrCreate(feed);
            return f.write(FeedWriter.of(keyring, feed), credential.toByteString()).seq();
        } catch (StorageException | HaloRejectedException e) {
            throw new IOException("feed " + feed.shortId() + ": " + e.getMessage(), e);
        } catch (KeyringException e) {
            throw new IOException("feed " + feed.shortId() + " could not be signed: " + e.getMessage(), e);
        }
    }

    @Override
    public List<SpaceEntry> entries(Collection<PublicKey> feeds, ReplayProgress progress) throws IOException {
        List<SpaceEntry> out = new ArrayList<>();
        try {
            List<Feed> open = new ArrayList<>();
            List<PublicKey> keys = new ArrayList<>();
            long total = 0;
            for (PublicKey key : feeds) {
                Optional<Feed> f = store.feed(key);
                if (f.isPresent()) {
                    open.add(f.get());
                    keys.add(key);
                    total += f.get().length();
                }
            }
            for (int i = 0; i < open.size(); i++) {
                Feed f = open.get(i);
                // a page at a time, so that a long feed shows progress (each page re-reads one entry: keep them long)
                for (long from = 0; from < f.length(); from += PAGE) {
                    for (VerifiedEntry e : f.entries(from, Math.min(f.length(), from + PAGE))) {
                        out.add(new SpaceEntry(keys.get(i), e.seq(), e.payload()));
                    }
                    progress.progress("reading feeds", out.size(), total);
                }
            }
        } catch (StorageException e) {
            throw new IOException(e.getMessage(), e);
        }
        return out;
    }

    @Override
    public List<SpaceEntry> entriesFrom(PublicKey feed, long from) throws IOException {
        try {
            Optional<Feed> f = store.feed(feed);
            if (f.isEmpty() || from >= f.get().length()) {
                return List.of();
            }
            List<SpaceEntry> out = new ArrayList<>();
            for (long at = from; at < f.get().length(); at += PAGE) {
                for (VerifiedEntry e : f.get().entries(at, Math.min(f.get().length(), at + PAGE))) {
                    out.add(new SpaceEntry(feed, e.seq(), e.payload()));
                }
            }
            return out;
        } catch (StorageException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    @Override
    public long length(PublicKey feed) throws IOException {
        try {
            return store.feed(feed).map(Feed::length).orElse(0L);
        } catch (StorageException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    @Override
    public List<FeedEntry> read(PublicKey feed, long from, long to) throws IOException {
        try {
            Optional<Feed> f = store.feed(feed);
            if (f.isEmpty()) {
                return List.of();
            }
            return f.get().records(Math.min(from, f.get().length()), Math.min(to, f.get().length()));
        } catch (StorageException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    @Override
    public ImportResult importEntries(PublicKey feed, List<FeedEntry> entries) throws IOException, HaloRejectedException {
        try {
            return store.openOrCreate(feed).importEntries(entries);
        } catch (StorageException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    @Override
    public Map<PublicKey, Long> lastPositions() throws IOException {
        Map<PublicKey, Long> out = new HashMap<>();
        try {
            for (PublicKey key : store.feeds()) {
                Optional<Feed> f = store.feed(key);
                if (f.isPresent() && f.get().length() > 0) {
                    out.put(key, f.get().length() - 1);
                }
            }
        } catch (StorageException e) {
            throw new IOException(e.getMessage(), e);
        }
        return out;
    }

    @Override
    public void close() {
        store.close();
    }
}
