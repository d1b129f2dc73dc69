package org.halo4j.keys;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;

/**
 * Reads a keyring passphrase from a file, for servers that unlock their keyring without a person (DESIGN §9):
 * the configuration names the file, never the passphrase. The passphrase never passes through a
 * {@link String}, and every buffer is wiped.
 *
 * <p>The file holds the passphrase in UTF-8; one trailing line end ({@code \n} or {@code \r\n}) is dropped.
 * Where the file system has POSIX modes, a file that its group or other users may read, write or execute is
 * refused, as ssh refuses such a private key file: make it mode 0400 or 0600, owned by the service user. Anything
 * but a regular file (a FIFO, a device, a directory) is refused before it is opened, so that reading can never
 * block; so is a file owned by another user than the one running this JVM.
 */
public final class PassphraseFile {

    /** No passphrase file is larger. */
    public static final int MAX_SIZE = 4096;

    private static final Set<PosixFilePermission> NOT_OWNER = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private PassphraseFile() {
    }

    /**
     * The passphrase in {@code file}. The caller wipes the returned array when done (after
     * {@link FileKeyring#open}).
     *
     * @throws KeyringException {@code keyring.passphrase_file_not_found}, {@code keyring.passphrase_file_type},
     *                          {@code keyring.passphrase_file_owner}, {@code keyring.passphrase_file_mode},
     *                          {@code keyring.passphrase_file_too_large}, {@code keyring.passphrase_encoding},
     *                          {@code keyring.empty_passphrase} or {@code keyring.io}
     */
    public static char[] read(Path file) throws KeyringException {
        byte[] bytes = null;
        try {
            Path real = file.toRealPath();
            checkType(real);
            checkMode(real);
            bytes = readBounded(real);
            int end = bytes.length;
            if (end > 0 && bytes[end - 1] == '\n') {
                end--;
                if (end > 0 && bytes[end - 1] == '\r') {
                    end--;
                }
            }
            char[] passphrase = decode(bytes, end);
            if (passphrase.length == 0) {
                throw new KeyringException("keyring.empty_passphrase", "passphrase file " + real + " is empty");
            }
            return passphrase;
        } catch (NoSuchFileException e) {
            throw new KeyringException("keyring.passphrase_file_not_found", "passphrase file "
                    + file.toAbsolutePath() + " does not exist");
        } catch (IOException e) {
            throw new KeyringException("keyring.io", "cannot read passphrase file " + file + ": " + e, e);
        } finally {
            if (bytes != null) {
                Arrays.fill(bytes, (byte) 0);
            }
        }
    }

    /** A regular file, owned by the user running this JVM: a FIFO would block the read forever. */
    private static void checkType(Path file) throws IOException, KeyringException {
        if (!Files.isRegularFile(file)) {
            throw new KeyringException("keyring.passphrase_file_type", "passphrase file " + file
                    + " is not a regular file (a pipe, a device or a directory); give a file, mode 0400 or 0600");
        }
        if (!file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return;
        }
        UserPrincipal owner = Files.getOwner(file);
        String me = System.getProperty("user.name");
        if (me != null && !owner.getName().equals(me)) {
            throw new KeyringException("keyring.passphrase_file_owner", "passphrase file " + file + " belongs to "
                    + owner.getName() + ", not to " + me + " who runs halo; the user that unlocks the keyring owns "
                    + "its passphrase file");
        }
    }

    private static void checkMode(Path file) throws IOException, KeyringException {
        if (!file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return;
        }
        Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file);
        Set<PosixFilePermission> extra = EnumSet.noneOf(PosixFilePermission.class);
        extra.addAll(mode);
        extra.retainAll(NOT_OWNER);
        if (!extra.isEmpty()) {
            throw new KeyringException("keyring.passphrase_file_mode", "passphrase file " + file
                    + " is open to its group or other users (mode " + PosixFilePermissions.toString(mode)
                    + "); allow only its owner, the service user: mode 0400 or 0600");
        }
    }

    private static byte[] readBounded(Path file) throws IOException, KeyringException {
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = in.size();
            if (size > MAX_SIZE) {
                throw new KeyringException("keyring.passphrase_file_too_large", "passphrase file " + file + " is "
                        + size + " bytes; a passphrase file is at most " + MAX_SIZE);
            }
            ByteBuffer b = ByteBuffer.allocate((int) size);
            while (b.hasRemaining() && in.read(b) >= 0) {
                // read until full or end of file
            }
            if (!b.hasRemaining()) {
                return b.array();
            }
            byte[] shorter = Arrays.copyOf(b.array(), b.position());
            Arrays.fill(b.array(), (byte) 0);
            return shorter;
        }
    }

    private static char[] decode(byte[] bytes, int length) throws KeyringException {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        // UTF-8 never decodes to more chars than it has bytes.
        CharBuffer out = CharBuffer.allocate(length);
        try {
            var result = decoder.decode(ByteBuffer.wrap(bytes, 0, length), out, true);
            if (result.isError()) {
                result.throwException();
            }
            result = decoder.flush(out);
            if (result.isError()) {
                result.throwException();
            }
            return Arrays.copyOf(out.array(), out.position());
        } catch (CharacterCodingException e) {
            throw new KeyringException("keyring.passphrase_encoding", "the passphrase file is not valid UTF-8");
        } finally {
            Arrays.fill(out.array(), '\0');
        }
    }
}
