package org.halo4j.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Set;

/**
 * The one way halo4j writes its files (keyrings, feed metadata, wallet records): atomically, durably and without
 * following links. A temp file in the same directory is created exclusively with mode 0600 from the start
 * ({@code CREATE_NEW}, {@code NOFOLLOW_LINKS}: a name planted in advance, symbolic link included, makes it fail)
 * and written, forced and checked through that one open — never reopened by name, so swapping the name for a
 * link cannot redirect the bytes; before the rename the name must still be that same file. Then an atomic
 * rename over the target and an {@code fsync} of the directory so the rename itself survives a power loss. A
 * reader sees the old file or the new one, never a mixture, and a failure before the rename leaves the old file
 * untouched and no temp file.
 */
public final class AtomicFileWriter {

    /** A writer with fresh randomness for temp names and no test hook. */
    public static final AtomicFileWriter DEFAULT = new AtomicFileWriter(new SecureRandom(), Hook.NONE);

    /** The points of a write at which a test may make it fail (crash-safety tests). */
    public enum Step {
        /** The temp file exists, empty, with its final permissions. */
        TEMP_CREATED,
        /** The temp file holds every byte and has been forced to disk; the rename comes next. */
        TEMP_FORCED,
        /** The rename is done; the directory is about to be forced. */
        RENAMED
    }

    /** Called at each {@link Step}; throwing stands for an I/O failure there. For tests. */
    @FunctionalInterface
    public interface Hook {
        Hook NONE = (step, temp) -> { };

        void at(Step step, Path temp) throws IOException;
    }

    private static final Set<PosixFilePermission> OWNER_READ_WRITE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_ALL = PosixFilePermissions.fromString("rwx------");
    private static final HexFormat HEX = HexFormat.of();

    private final SecureRandom random;
    private final Hook hook;

    /** A writer that names temp files with {@code random} and calls {@code hook} at each step. */
    public AtomicFileWriter(SecureRandom random, Hook hook) {
        this.random = Objects.requireNonNull(random);
        this.hook = Objects.requireNonNull(hook);
    }

    /** True if {@code candidate} is the name of a temp file of {@code target}: hidden, same directory, {@code .tmp}. */
    public static boolean isTempFor(Path target, Path candidate) {
        String name = candidate.getFileName().toString();
        return name.startsWith("." + target.getFileName() + ".") && name.endsWith(".tmp");
    }

    /**
     * Writes {@code bytes} to {@code target}, replacing it if it exists. When this throws, the target is as it
     * was and the temp file is gone. A failure to force the directory after the rename is tolerated: the rename
     * is done, and some platforms (Windows) cannot open a directory at all.
     */
    public void write(Path target, byte[] bytes) throws IOException {
        write(target, bytes, true);
    }

    /**
     * Writes {@code bytes} to {@code target}, which must not exist: the file is published with a hard link, which
     * fails atomically if {@code target} appeared in the meantime, so an existing file is never replaced. Where
     * hard links are not supported, the existence check and the rename are two steps.
     *
     * @throws FileAlreadyExistsException if {@code target} exists; nothing was changed
     */
    public void writeNew(Path target, byte[] bytes) throws IOException {
        write(target, bytes, false);
    }

    /** Makes a rename or a new file in {@code dir} durable; tolerated where a directory cannot be opened. */
    public static void syncDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | RuntimeException tolerated) {
            // some platforms cannot open a directory for sync; the rename is still atomic there
        }
    }

    /** Creates {@code dir} and its missing parents, each with mode 0700 where it is created. */
    public static void createPrivateDirectories(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            Path parent = dir.toAbsolutePath().getParent();
            if (parent != null) {
                createPrivateDirectories(parent);
            }
            try {
                if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                    Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_ALL));
                } else {
                    Files.createDirectory(dir);
                }
            } catch (FileAlreadyExistsException e) {
                if (!Files.isDirectory(dir)) {
                    throw e;
                }
                // created concurrently: fine
            }
        }
    }

    private void write(Path target, byte[] bytes, boolean replace) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        byte[] suffix = new byte[8];
        random.nextBytes(suffix);
        Path temp = dir.resolve("." + target.getFileName() + "." + HEX.formatHex(suffix) + ".tmp");
        boolean renamed = false;
        boolean created = false;
        try {
            try (FileChannel out = createOwnerOnly(temp)) {
                created = true;
                Object key = fileKey(temp);
                hook.at(Step.TEMP_CREATED, temp);
                ByteBuffer b = ByteBuffer.wrap(bytes);
                while (b.hasRemaining()) {
                    out.write(b);
                }
                out.force(true);
                hook.at(Step.TEMP_FORCED, temp);
                requireSameFile(temp, key, bytes.length);
            }
            if (replace) {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } else {
                publishNew(temp, target);
            }
            renamed = true;
        } finally {
            if (created && !renamed) {
                deleteQuietly(temp);
            }
        }
        try {
            hook.at(Step.RENAMED, temp);
            forceDirectory(dir);
        } catch (IOException | RuntimeException tolerated) {
            // The new file is in place; only the durability of the rename is uncertain on this platform.
        }
    }

    /**
     * The temp name must still be the file this writer created and wrote (not a link or another file swapped in
     * by someone who can write to the directory); otherwise nothing is published.
     */
    private static void requireSameFile(Path temp, Object key, long length) throws IOException {
        BasicFileAttributes now;
        try {
            now = Files.readAttributes(temp, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException gone) {
            throw new IOException("the temp file " + temp + " disappeared while it was written; nothing was published", gone);
        }
        if (!now.isRegularFile() || now.size() != length || key != null && !key.equals(now.fileKey())) {
            throw new IOException("the temp file " + temp + " was replaced while it was written (is the directory "
                    + "writable by others?); nothing was published");
        }
    }

    private static Object fileKey(Path temp) throws IOException {
        return Files.readAttributes(temp, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
    }

    /** Links {@code temp} as {@code target} only if {@code target} does not exist, then removes the temp name. */
    private static void publishNew(Path temp, Path target) throws IOException {
        try {
            Files.createLink(target, temp);
        } catch (FileAlreadyExistsException e) {
            throw e;
        } catch (IOException | UnsupportedOperationException noHardLinks) {
            // This file system has no hard links (FAT, some network file systems).
            if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                throw new FileAlreadyExistsException(target.toString());
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            return;
        }
        deleteQuietly(temp);
    }

    /** Creates {@code temp} exclusively, without following links, mode 0600 from the start, and opens it once. */
    private static FileChannel createOwnerOnly(Path temp) throws IOException {
        Set<StandardOpenOption> options = EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        if (temp.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            FileAttribute<Set<PosixFilePermission>> mode = PosixFilePermissions.asFileAttribute(OWNER_READ_WRITE);
            return FileChannel.open(temp, withNoFollow(options), mode);
        }
        // No POSIX modes (Windows): the new file inherits the directory's ACL.
        return FileChannel.open(temp, withNoFollow(options));
    }

    private static Set<java.nio.file.OpenOption> withNoFollow(Set<StandardOpenOption> options) {
        Set<java.nio.file.OpenOption> all = new java.util.HashSet<>(options);
        all.add(LinkOption.NOFOLLOW_LINKS);
        return all;
    }

    private static void forceDirectory(Path dir) throws IOException {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        }
    }

    private static void deleteQuietly(Path temp) {
        try {
            Files.deleteIfExists(temp);
        } catch (IOException | RuntimeException ignored) {
            // Nothing more can be done; the name is unique and hidden.
        }
    }
}
