package org.halo4j.keys;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Set;

/**
 * Writes a file atomically and durably: a temp file in the same directory, created with mode 0600 from the
 * start (never created wider and narrowed later); the bytes; {@code fsync}; an atomic rename over the target; an
 * {@code fsync} of the directory so the rename itself survives a power loss. A reader sees the old file or the
 * new one, never a mixture, and a failure before the rename leaves the old file untouched and no temp file.
 */
final class AtomicFileWriter {

    /** The points of a write at which a test may make it fail. */
    enum Step {
        /** The temp file exists, empty, with its final permissions. */
        TEMP_CREATED,
        /** The temp file holds every byte and has been forced to disk; the rename comes next. */
        TEMP_FORCED,
        /** The rename is done; the directory is about to be forced. */
        RENAMED
    }

    /** Called at each {@link Step}; throwing stands for an I/O failure there. */
    @FunctionalInterface
    interface Hook {
        Hook NONE = (step, temp) -> { };

        void at(Step step, Path temp) throws IOException;
    }

    private static final Set<PosixFilePermission> OWNER_READ_WRITE = PosixFilePermissions.fromString("rw-------");
    private static final HexFormat HEX = HexFormat.of();

    private final SecureRandom random;
    private final Hook hook;

    AtomicFileWriter(SecureRandom random, Hook hook) {
        this.random = random;
        this.hook = hook;
    }

    /** The name of a temp file for {@code target}: hidden, in the same directory, unique. */
    static boolean isTempFor(Path target, Path candidate) {
        String name = candidate.getFileName().toString();
        return name.startsWith("." + target.getFileName() + ".") && name.endsWith(".tmp");
    }

    /**
     * Writes {@code bytes} to {@code target}, replacing it if it exists. When this throws, the target is as it
     * was and the temp file is gone. A failure to force the directory after the rename is tolerated: the rename
     * is done, and some platforms (Windows) cannot open a directory at all.
     */
    void write(Path target, byte[] bytes) throws IOException {
        write(target, bytes, true);
    }

    /**
     * Writes {@code bytes} to {@code target}, which must not exist: the file is published with a hard link, which
     * fails atomically if {@code target} appeared in the meantime, so an existing file is never replaced. Where
     * hard links are not supported, the existence check and the rename are two steps.
     *
     * @throws FileAlreadyExistsException if {@code target} exists; nothing was changed
     */
    void writeNew(Path target, byte[] bytes) throws IOException {
        write(target, bytes, false);
    }

    private void write(Path target, byte[] bytes, boolean replace) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        byte[] suffix = new byte[8];
        random.nextBytes(suffix);
        Path temp = dir.resolve("." + target.getFileName() + "." + HEX.formatHex(suffix) + ".tmp");
        boolean renamed = false;
        try {
            createOwnerOnly(temp);
            hook.at(Step.TEMP_CREATED, temp);
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ByteBuffer b = ByteBuffer.wrap(bytes);
                while (b.hasRemaining()) {
                    out.write(b);
                }
                out.force(true);
            }
            hook.at(Step.TEMP_FORCED, temp);
            if (replace) {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } else {
                publishNew(temp, target);
            }
            renamed = true;
        } finally {
            if (!renamed) {
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

    private static void createOwnerOnly(Path temp) throws IOException {
        if (temp.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            FileAttribute<Set<PosixFilePermission>> mode = PosixFilePermissions.asFileAttribute(OWNER_READ_WRITE);
            Files.createFile(temp, mode);
        } else {
            // No POSIX modes (Windows): the new file inherits the directory's ACL.
            Files.createFile(temp);
        }
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
