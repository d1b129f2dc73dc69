package org.halo4j.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import org.halo4j.credentials.Limits;

/** Reading and writing the binary {@code halo.v1} files the wallet exports and checks. */
final class BinaryFiles {

    /** Larger than any message halo4j accepts (64 KiB), so an oversized file still reports the limit. */
    static final int MAX_READ = Limits.MAX_MESSAGE_BYTES + 1;

    private BinaryFiles() {
    }

    /**
     * The bytes of {@code file}, at most {@link #MAX_READ} of them; {@code what} names what it should hold ("a
     * credential") for the message about an empty file. Anything but a regular file is refused before it is
     * opened, so that a FIFO cannot make {@code halo} wait forever.
     */
    static byte[] read(Path file, String what) throws CliException {
        if (Files.exists(file) && !Files.isRegularFile(file)) {
            throw new CliException("file.type", file + " is not a regular file (a directory, a pipe or a device), "
                    + "not " + what, ExitCode.FAILED);
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes(MAX_READ);
            if (bytes.length == 0) {
                throw new CliException("file.empty", file + " is an empty file, not " + what, ExitCode.FAILED);
            }
            if (bytes.length == MAX_READ) {
                throw new CliException("limit.message_size", file + " is larger than " + Limits.MAX_MESSAGE_BYTES
                        + " bytes, the limit of a halo.v1 message", ExitCode.FAILED);
            }
            return bytes;
        } catch (NoSuchFileException e) {
            throw new CliException("file.not_found", "no file " + file, ExitCode.NOT_FOUND, e);
        } catch (AccessDeniedException e) {
            throw new CliException("file.access", "not allowed to read " + file, ExitCode.STORAGE, e);
        } catch (IOException e) {
            throw new CliException("file.io", "could not read " + file + ": " + e.getMessage(), ExitCode.STORAGE, e);
        }
    }

    /** Writes {@code bytes} to {@code file}, replacing it, through a temporary file in the same directory. */
    static void write(Path file, byte[] bytes) throws CliException {
        Path target = file.toAbsolutePath();
        Path tmp = null;
        try {
            Path dir = target.getParent();
            tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
            Files.write(tmp, bytes, StandardOpenOption.TRUNCATE_EXISTING);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (NoSuchFileException e) {
            throw new CliException("file.not_found", "no directory " + target.getParent(), ExitCode.NOT_FOUND, e);
        } catch (IOException e) {
            throw new CliException("file.io", "could not write " + file + ": " + e.getMessage(), ExitCode.STORAGE, e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // a stray temporary file; nothing else to do
                }
            }
        }
    }
}
