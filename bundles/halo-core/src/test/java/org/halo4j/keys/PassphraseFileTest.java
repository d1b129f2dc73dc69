package org.halo4j.keys;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("Servers take the keyring passphrase from a file readable only by the service user (DESIGN §9)")
class PassphraseFileTest {

    @TempDir
    Path dir;

    private Path file(byte[] content, String mode) throws Exception {
        Path f = dir.resolve("passphrase");
        Files.write(f, content);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(mode));
        return f;
    }

    private String code(Path f) {
        return assertThrows(KeyringException.class, () -> PassphraseFile.read(f)).code();
    }

    @Test
    @DisplayName("a 0600 or 0400 file gives its UTF-8 passphrase, without one trailing line end, and unlocks a keyring")
    void reads() throws Exception {
        Path f = file("pässphrase 𝄞\r\n".getBytes(StandardCharsets.UTF_8), "rw-------");
        assertArrayEquals("pässphrase 𝄞".toCharArray(), PassphraseFile.read(f));
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("r--------"));
        assertArrayEquals("pässphrase 𝄞".toCharArray(), PassphraseFile.read(f));

        Path keyringFile = dir.resolve("keyring.halo");
        PublicKey key;
        try (FileKeyring keyring = FileKeyring.create(keyringFile, "pässphrase 𝄞".toCharArray(), KeyringTestFiles.LOW)) {
            key = keyring.generate();
        }
        try (FileKeyring keyring = FileKeyring.open(keyringFile, PassphraseFile.read(f))) {
            assertTrue(keyring.contains(key));
        }
    }

    @Test
    @DisplayName("only one line end is dropped; inner and leading spaces are kept")
    void oneLineEnd() throws Exception {
        assertArrayEquals(" a b \n".toCharArray(),
                PassphraseFile.read(file(" a b \n\n".getBytes(StandardCharsets.UTF_8), "rw-------")));
    }

    @Test
    @DisplayName("a file its group or others may read is refused with keyring.passphrase_file_mode")
    void mode() throws Exception {
        assertEquals("keyring.passphrase_file_mode", code(file("secret".getBytes(StandardCharsets.UTF_8), "rw-r-----")));
        assertEquals("keyring.passphrase_file_mode", code(file("secret".getBytes(StandardCharsets.UTF_8), "rw----r--")));
        assertEquals("keyring.passphrase_file_mode", code(file("secret".getBytes(StandardCharsets.UTF_8), "rw-----w-")));
    }

    @Test
    @DisplayName("missing, empty, oversized and non-UTF-8 files each have their own code, and never quote the content")
    void problems() throws Exception {
        assertEquals("keyring.passphrase_file_not_found", code(dir.resolve("none")));
        assertEquals("keyring.empty_passphrase", code(file(new byte[0], "rw-------")));
        assertEquals("keyring.empty_passphrase", code(file("\n".getBytes(StandardCharsets.UTF_8), "rw-------")));
        assertEquals("keyring.passphrase_file_too_large", code(file(new byte[PassphraseFile.MAX_SIZE + 1], "rw-------")));
        Path bad = file(new byte[] {'s', 'e', 'c', (byte) 0xff}, "rw-------");
        KeyringException e = assertThrows(KeyringException.class, () -> PassphraseFile.read(bad));
        assertEquals("keyring.passphrase_encoding", e.code());
        assertTrue(!e.getMessage().contains("sec"), e.getMessage());
    }

    @Test
    @DisplayName("a FIFO is refused before it is opened, so that reading never blocks; so is a directory")
    void notARegularFile() throws Exception {
        Path fifo = dir.resolve("fifo");
        Process mk = new ProcessBuilder("mkfifo", "-m", "600", fifo.toString()).inheritIO().start();
        assertEquals(0, mk.waitFor());
        // Nobody writes to the FIFO: opening it for reading would block forever.
        assertTimeoutPreemptively(java.time.Duration.ofSeconds(20),
                () -> assertEquals("keyring.passphrase_file_type", code(fifo)));
        Path sub = Files.createDirectory(dir.resolve("sub"));
        Files.setPosixFilePermissions(sub, PosixFilePermissions.fromString("rwx------"));
        assertEquals("keyring.passphrase_file_type", code(sub));
    }

    @Test
    @DisplayName("a file owned by another user than the one running halo is refused (needs root to chown)")
    void foreignOwner() throws Exception {
        Path f = file("secret".getBytes(StandardCharsets.UTF_8), "rw-------");
        var users = f.getFileSystem().getUserPrincipalLookupService();
        boolean root = "root".equals(System.getProperty("user.name"));
        org.junit.jupiter.api.Assumptions.assumeTrue(root, "only root can give a file to another user");
        Files.setOwner(f, users.lookupPrincipalByName("nobody"));
        KeyringException e = assertThrows(KeyringException.class, () -> PassphraseFile.read(f));
        assertEquals("keyring.passphrase_file_owner", e.code());
        assertTrue(e.getMessage().contains("nobody"), e.getMessage());
    }
}
