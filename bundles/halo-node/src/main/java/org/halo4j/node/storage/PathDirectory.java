package org.halo4j.node.storage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Set;
import org.halo4j.io.AtomicFileWriter;

/**
 * A {@link Directory} on the file system. Holds an exclusive lock on {@code .lock} while open, so that two stores
 * (in one process or two) never write one feed. New files are created with mode 0600 where POSIX modes exist.
 */
final class PathDirectory implements Directory {

    static final String LOCK = ".lock";
    private static final String TEMP_SUFFIX = ".tmp";

    private final Path dir;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final AtomicFileWriter writer = AtomicFileWriter.DEFAULT;

    private PathDirectory(Path dir, FileChannel lockChannel, FileLock lock) {
        this.dir = dir;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /**
     * Opens (creating it if needed) the directory and locks it; removes temp files a crash left behind.
     *
     * @throws StorageException {@code storage.locked} if another store has it open; {@code storage.io}
     */
    static PathDirectory open(Path dir) throws StorageException {
        FileChannel channel = null;
        try {
            Files.createDirectories(dir);
            Path real = dir.toRealPath();
            channel = FileChannel.open(real.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                throw new StorageException("storage.locked", "feed store " + real + " is open elsewhere");
            }
            PathDirectory d = new PathDirectory(real, channel, lock);
            d.removeTemps();
            return d;
        } catch (IOException e) {
            closeQuietly(channel);
            throw new StorageException("storage.io", "cannot open feed store " + dir.toAbsolutePath() + ": " + e, e);
        } catch (StorageException | RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    @Override
    public Set<String> names() throws IOException {
        Set<String> names = new HashSet<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            for (Path p : s) {
                String name = p.getFileName().toString();
                if (!name.startsWith(".") && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    names.add(name);
                }
            }
        }
        return names;
    }

    @Override
    public boolean exists(String name) {
        return Files.exists(dir.resolve(name), LinkOption.NOFOLLOW_LINKS);
    }

    @Override
    public DurableFile open(String name) throws IOException {
        return new ChannelFile(FileChannel.open(dir.resolve(name), StandardOpenOption.READ, StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS));
    }

    /**
     * A temp file in the same directory, created exclusively without following links and written through that
     * one open, forced, renamed over the name, then the directory forced ({@link AtomicFileWriter}).
     */
    @Override
    public void publish(String name, byte[] content) throws IOException {
        writer.write(dir.resolve(name), content);
    }

    @Override
    public String describe(String name) {
        return dir.resolve(name).toString();
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            lockChannel.close();
        }
    }

    private void removeTemps() throws IOException {
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, ".*" + TEMP_SUFFIX)) {
            for (Path p : s) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static void closeQuietly(FileChannel c) {
        if (c != null) {
            try {
                c.close();
            } catch (IOException ignored) {
                // already failing
            }
        }
    }
}
