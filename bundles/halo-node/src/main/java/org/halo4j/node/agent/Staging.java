package org.halo4j.node.agent;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import org.halo4j.io.AtomicFileWriter;

/**
 * The staging directory of an identity being created, and the lock that says its creator is alive: the lock
 * file {@code .staging-X.lock} is created and locked before the directory {@code .staging-X}, and removed only
 * after the directory is published or deleted. A lock the operating system holds for a live process is what
 * keeps another {@code halo} from deleting a creation in progress; a crashed creator's lock is released by
 * the system, and the next wallet open removes what it left.
 */
record Staging(Path dir, Path lockFile, Held held) implements AutoCloseable {

    static Staging create(Path dir, Path lockFile) throws IOException {
        FileChannel channel = FileChannel.open(lockFile, java.util.Set.of(StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        FileLock lock;
        try {
            lock = channel.lock();
        } catch (IOException | RuntimeException e) {
            channel.close();
            Files.deleteIfExists(lockFile);
            throw e;
        }
        Held held = new Held(channel, lock);
        try {
            AtomicFileWriter.createPrivateDirectories(dir);
        } catch (IOException e) {
            held.close();
            Files.deleteIfExists(lockFile);
            throw e;
        }
        return new Staging(dir, lockFile, held);
    }

    /**
     * Holds {@code lockFile}'s lock if nobody else does; null if a live process (this one included) holds it
     * or the file is gone.
     */
    static Held tryHold(Path lockFile) throws IOException {
        FileChannel channel;
        try {
            channel = FileChannel.open(lockFile, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            // No lock file: the creator always makes it first and removes it last, so the directory is abandoned.
            return new Held(null, null);
        }
        try {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                channel.close();
                return null;
            }
            return new Held(channel, lock);
        } catch (OverlappingFileLockException e) {
            channel.close();
            return null; // held in this very JVM
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** Releases the lock and removes the lock file: the creation is over, published or not. */
    @Override
    public void close() {
        try {
            Files.deleteIfExists(lockFile);
        } catch (IOException e) {
            // a stale lock file; the next open removes it
        }
        held.close();
    }

    /** A held lock (or, for a missing lock file, nothing to hold). */
    record Held(FileChannel channel, FileLock lock) implements AutoCloseable {
        @Override
        public void close() {
            try {
                if (lock != null) {
                    lock.release();
                }
                if (channel != null) {
                    channel.close();
                }
            } catch (IOException e) {
                // closing releases the lock either way
            }
        }
    }
}
