package org.halo4j.keys;

import org.halo4j.io.AtomicFileWriter;
import static org.halo4j.keys.KeyringTestFiles.LOW;
import static org.halo4j.keys.KeyringTestFiles.PASSPHRASE;
import static org.halo4j.keys.KeyringTestFiles.anyFileContains;
import static org.halo4j.keys.KeyringTestFiles.listing;
import static org.halo4j.keys.KeyringTestFiles.read;
import static org.halo4j.keys.KeyringTestFiles.seed;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@DisplayName("FileKeyring (DESIGN §9)")
class FileKeyringTest {

    private static final Set<PosixFilePermission> MODE_0600 = PosixFilePermissions.fromString("rw-------");
    private static final byte[] PAYLOAD = "hello HALO".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;
    Path file;

    @BeforeEach
    void paths() {
        file = dir.resolve("keyring.halo");
    }

    private FileKeyring create() throws KeyringException {
        return FileKeyring.create(file, PASSPHRASE, LOW);
    }

    private FileKeyring open() throws KeyringException {
        return FileKeyring.open(file, PASSPHRASE);
    }

    private static byte[] nonceOf(byte[] file) {
        int at = KeyringHeader.NONCE_OFFSET;
        return Arrays.copyOfRange(file, at, at + KeyringHeader.NONCE_LENGTH);
    }

    private static byte[] saltOf(byte[] file) {
        int at = KeyringHeader.SALT_OFFSET;
        return Arrays.copyOfRange(file, at, at + KeyringHeader.SALT_LENGTH);
    }

    /** A hook that fails the write at one chosen step, and records what it saw. */
    static final class FailingHook implements AtomicFileWriter.Hook {
        volatile AtomicFileWriter.Step failAt;
        final List<Set<PosixFilePermission>> tempModes = new ArrayList<>();
        final List<Path> temps = new ArrayList<>();

        @Override
        public synchronized void at(AtomicFileWriter.Step step, Path temp) throws IOException {
            if (step == AtomicFileWriter.Step.TEMP_CREATED) {
                temps.add(temp);
                tempModes.add(Files.getPosixFilePermissions(temp));
            }
            if (step == failAt) {
                throw new IOException("injected failure at " + step);
            }
        }
    }

    @Nested
    @DisplayName("Round trip")
    class RoundTrip {

        @Test
        @DisplayName("a key generated, closed and reopened still signs, and Ed25519.verify accepts the signature")
        void generateCloseReopenSign() throws Exception {
            PublicKey key;
            try (FileKeyring keyring = create()) {
                key = keyring.generate();
            }
            try (FileKeyring keyring = open()) {
                assertEquals(Set.of(key), keyring.keys());
                assertTrue(keyring.contains(key));
                byte[] signature = keyring.sign(key, SignatureDomain.CREDENTIAL, PAYLOAD);
                assertTrue(Ed25519.verify(key, SignatureDomain.CREDENTIAL, PAYLOAD, signature));
                assertFalse(Ed25519.verify(key, SignatureDomain.PRESENTATION, PAYLOAD, signature));
            }
        }

        @Test
        @DisplayName("an imported seed comes back as the same key, and key agreement matches the in-memory keyring")
        void importSeedRoundTrip() throws Exception {
            byte[] seed = seed(1);
            PublicKey expected = Ed25519.publicKey(seed);
            try (FileKeyring keyring = create()) {
                assertEquals(expected, keyring.importSeed(seed));
            }
            InMemoryKeyring peer = new InMemoryKeyring();
            PublicKey peerKey = peer.generate();
            try (FileKeyring keyring = open()) {
                byte[] ours = keyring.agree(expected, X25519.publicKeyOf(peerKey));
                byte[] theirs = peer.agree(peerKey, X25519.publicKeyOf(expected));
                assertArrayEquals(theirs, ours);
            }
            assertArrayEquals(seed(1), seed, "the caller's seed array is left as it was, for the caller to wipe");
        }

        @Test
        @DisplayName("many keys, an empty keyring, and keys() after reopening are all exact")
        void manyKeys() throws Exception {
            Set<PublicKey> made = new HashSet<>();
            try (FileKeyring keyring = create()) {
                assertEquals(Set.of(), keyring.keys());
                for (int i = 0; i < 20; i++) {
                    made.add(keyring.generate());
                }
            }
            try (FileKeyring keyring = open()) {
                assertEquals(made, keyring.keys());
            }
        }

        @Test
        @DisplayName("importing a key already held writes nothing")
        void importTwiceWritesNothing() throws Exception {
            try (FileKeyring keyring = create()) {
                PublicKey key = keyring.importSeed(seed(2));
                byte[] before = read(file);
                assertEquals(key, keyring.importSeed(seed(2)));
                assertArrayEquals(before, read(file));
            }
        }

        @Test
        @DisplayName("signing with a key the keyring does not hold is an UnknownKeyException")
        void unknownKey() throws Exception {
            PublicKey stranger = new InMemoryKeyring().generate();
            try (FileKeyring keyring = create()) {
                UnknownKeyException e = assertThrows(UnknownKeyException.class,
                        () -> keyring.sign(stranger, SignatureDomain.CREDENTIAL, PAYLOAD));
                assertEquals("keyring.unknown_key", e.code());
            }
        }

        @Test
        @DisplayName("every write uses a fresh nonce: the same content never gives the same bytes twice")
        void freshNonce() throws Exception {
            try (FileKeyring keyring = create()) {
                PublicKey key = keyring.generate();
                byte[] first = read(file);
                keyring.destroy(key);
                keyring.importSeed(seed(3));
                keyring.destroy(Ed25519.publicKey(seed(3)));
                byte[] second = read(file);
                assertEquals(first.length - 69, second.length);
                assertFalse(Arrays.equals(nonceOf(first), nonceOf(second)));
            }
        }
    }

    @Nested
    @DisplayName("A wrong keyring passphrase is detected by the GCM tag and changes nothing on disk")
    class WrongPassphrase {

        @Test
        @DisplayName("open with a wrong passphrase throws WrongPassphraseException; bytes, mtime and directory are unchanged")
        void wrongPassphrase() throws Exception {
            try (FileKeyring keyring = create()) {
                keyring.generate();
            }
            FileTime past = FileTime.from(Instant.parse("2020-01-02T03:04:05Z"));
            Files.setLastModifiedTime(file, past);
            byte[] before = read(file);
            List<String> listing = listing(dir);

            char[] wrong = "correct horse battery stapler".toCharArray();
            WrongPassphraseException e = assertThrows(WrongPassphraseException.class,
                    () -> FileKeyring.open(file, wrong));

            assertEquals("keyring.wrong_passphrase", e.code());
            assertTrue(e.getMessage().contains("wrong passphrase"), e.getMessage());
            assertFalse(e.getMessage().contains("stapler"), "the message never holds the passphrase");
            assertArrayEquals(before, read(file));
            assertEquals(past, Files.getLastModifiedTime(file));
            assertEquals(listing, listing(dir));
            try (FileKeyring keyring = open()) {
                assertEquals(1, keyring.keys().size());
            }
        }

        @Test
        @DisplayName("an empty passphrase is refused with keyring.empty_passphrase")
        void emptyPassphrase() {
            KeyringException e = assertThrows(KeyringException.class,
                    () -> FileKeyring.create(file, new char[0], LOW));
            assertEquals("keyring.empty_passphrase", e.code());
            assertFalse(Files.exists(file));
        }
    }

    @Nested
    @DisplayName("Every altered byte of the file is rejected")
    class Tampering {

        byte[] original;

        @BeforeEach
        void keyringWithOneKey() throws Exception {
            try (FileKeyring keyring = create()) {
                keyring.importSeed(seed(4));
            }
            original = read(file);
        }

        private KeyringException openAltered(byte[] altered) {
            KeyringTestFiles.write(file, altered);
            return assertThrows(KeyringException.class, FileKeyringTest.this::open);
        }

        @Test
        @DisplayName("a flipped ciphertext byte fails the tag")
        void ciphertext() {
            KeyringException e = openAltered(KeyringTestFiles.flip(original, KeyringHeader.LENGTH + 3, 0x01));
            assertEquals("keyring.wrong_passphrase", e.code());
        }

        @Test
        @DisplayName("a flipped tag byte fails the tag")
        void tag() {
            KeyringException e = openAltered(KeyringTestFiles.flip(original, original.length - 1, 0x80));
            assertEquals("keyring.wrong_passphrase", e.code());
        }

        @Test
        @DisplayName("the header is associated data: changed Argon2 parameters, salt or nonce fail the tag")
        void headerIsAuthenticated() {
            assertEquals("keyring.wrong_passphrase",
                    openAltered(KeyringTestFiles.withU32(original, KeyringHeader.MEMORY_OFFSET, 2048)).code());
            assertEquals("keyring.wrong_passphrase",
                    openAltered(KeyringTestFiles.withU32(original, KeyringHeader.ITERATIONS_OFFSET, 2)).code());
            assertEquals("keyring.wrong_passphrase",
                    openAltered(KeyringTestFiles.withU32(original, KeyringHeader.PARALLELISM_OFFSET, 2)).code());
            assertEquals("keyring.wrong_passphrase",
                    openAltered(KeyringTestFiles.flip(original, KeyringHeader.SALT_OFFSET, 0x01)).code());
            assertEquals("keyring.wrong_passphrase",
                    openAltered(KeyringTestFiles.flip(original, KeyringHeader.NONCE_OFFSET + 11, 0x01)).code());
        }

        @Test
        @DisplayName("a changed version byte is keyring.unsupported_version; a changed magic is keyring.not_a_keyring")
        void versionAndMagic() {
            KeyringException version = openAltered(KeyringTestFiles.flip(original, KeyringHeader.VERSION_OFFSET + 1, 0x02));
            assertEquals("keyring.unsupported_version", version.code());
            assertTrue(version.getMessage().contains("version 3"), version.getMessage());
            assertEquals("keyring.not_a_keyring", openAltered(KeyringTestFiles.flip(original, 1, 0x20)).code());
        }

        @Test
        @DisplayName("a changed ciphertext length is keyring.truncated or keyring.trailing_data")
        void ciphertextLength() {
            int n = original.length - KeyringHeader.LENGTH;
            assertEquals("keyring.truncated",
                    openAltered(KeyringTestFiles.withU32(original, KeyringHeader.CIPHERTEXT_LENGTH_OFFSET, n + 1)).code());
            assertEquals("keyring.trailing_data",
                    openAltered(KeyringTestFiles.withU32(original, KeyringHeader.CIPHERTEXT_LENGTH_OFFSET, n - 1)).code());
        }

        @Test
        @DisplayName("flipping the low or the high bit of any byte gives a KeyringException and nothing else")
        void everyByte() {
            for (int i = 0; i < original.length; i++) {
                for (int mask : new int[] {0x01, 0x80}) {
                    KeyringTestFiles.write(file, KeyringTestFiles.flip(original, i, mask));
                    try (FileKeyring opened = open()) {
                        throw new AssertionError("byte " + i + " ^ " + mask + " was accepted: " + opened);
                    } catch (KeyringException expected) {
                        assertTrue(expected.code().startsWith("keyring."), expected.code());
                    }
                }
            }
        }
    }

    @Nested
    @DisplayName("Truncated and padded files are rejected with a precise code")
    class Truncation {

        @Test
        @DisplayName("a file cut at every length short of the whole is keyring.truncated")
        void everyLength() throws Exception {
            try (FileKeyring keyring = create()) {
                keyring.generate();
            }
            byte[] whole = read(file);
            for (int length = 0; length < whole.length; length++) {
                KeyringTestFiles.write(file, Arrays.copyOf(whole, length));
                KeyringException e = assertThrows(KeyringException.class, FileKeyringTest.this::open,
                        "length " + length);
                assertEquals("keyring.truncated", e.code(), "length " + length + ": " + e.getMessage());
                assertTrue(e.getMessage().contains("has " + length), e.getMessage());
            }
        }

        @Test
        @DisplayName("a byte appended after the ciphertext is keyring.trailing_data")
        void trailing() throws Exception {
            create().close();
            byte[] whole = read(file);
            KeyringTestFiles.write(file, Arrays.copyOf(whole, whole.length + 1));
            assertEquals("keyring.trailing_data", assertThrows(KeyringException.class, FileKeyringTest.this::open).code());
        }

        @Test
        @DisplayName("a file that is not a keyring is keyring.not_a_keyring, and its bytes are not quoted")
        void notAKeyring() throws Exception {
            KeyringTestFiles.write(file, "abandon ability able about above absent".getBytes(StandardCharsets.UTF_8));
            KeyringException e = assertThrows(KeyringException.class, FileKeyringTest.this::open);
            assertEquals("keyring.not_a_keyring", e.code());
            assertFalse(e.getMessage().contains("abandon"));
        }
    }

    @Nested
    @DisplayName("Hostile headers are rejected before any key derivation or allocation")
    class HostileHeaders {

        byte[] original;

        @BeforeEach
        void keyring() throws Exception {
            create().close();
            original = read(file);
        }

        private void assertRejected(String code, int offset, long value) {
            KeyringTestFiles.write(file, KeyringTestFiles.withU32(original, offset, value));
            long start = System.nanoTime();
            KeyringException e = assertThrows(KeyringException.class, FileKeyringTest.this::open);
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertEquals(code, e.code(), e.getMessage());
            assertTrue(millis < 1000, "rejected after " + millis + " ms: far too fast for Argon2 at these sizes");
        }

        @Test
        @DisplayName("Argon2 memory above 1 GiB or below 8 KiB is keyring.argon2_memory")
        void memory() {
            assertRejected("keyring.argon2_memory", KeyringHeader.MEMORY_OFFSET, 0xFFFF_FFFFL);
            assertRejected("keyring.argon2_memory", KeyringHeader.MEMORY_OFFSET, 4L << 20);
            assertRejected("keyring.argon2_memory", KeyringHeader.MEMORY_OFFSET, (1L << 20) + 1);
            assertRejected("keyring.argon2_memory", KeyringHeader.MEMORY_OFFSET, 7);
            assertRejected("keyring.argon2_memory", KeyringHeader.MEMORY_OFFSET, 0);
        }

        @Test
        @DisplayName("Argon2 iterations outside 1..100 are keyring.argon2_iterations")
        void iterations() {
            assertRejected("keyring.argon2_iterations", KeyringHeader.ITERATIONS_OFFSET, 0);
            assertRejected("keyring.argon2_iterations", KeyringHeader.ITERATIONS_OFFSET, 101);
            assertRejected("keyring.argon2_iterations", KeyringHeader.ITERATIONS_OFFSET, 0xFFFF_FFFFL);
        }

        @Test
        @DisplayName("Argon2 parallelism outside 1..16, or fewer than 8 KiB per lane, is refused")
        void parallelism() {
            assertRejected("keyring.argon2_parallelism", KeyringHeader.PARALLELISM_OFFSET, 0);
            assertRejected("keyring.argon2_parallelism", KeyringHeader.PARALLELISM_OFFSET, 17);
            assertRejected("keyring.argon2_parallelism", KeyringHeader.PARALLELISM_OFFSET, 0x8000_0000L);
            byte[] small = KeyringTestFiles.withU32(original, KeyringHeader.MEMORY_OFFSET, 64);
            original = small;
            assertRejected("keyring.argon2_memory", KeyringHeader.PARALLELISM_OFFSET, 9);
        }

        @Test
        @DisplayName("memory × iterations above 4 GiB is keyring.argon2_cost, even when each is within bounds")
        void cost() {
            original = KeyringTestFiles.withU32(original, KeyringHeader.MEMORY_OFFSET, 1L << 20);
            assertRejected("keyring.argon2_cost", KeyringHeader.ITERATIONS_OFFSET, 5);
        }

        @Test
        @DisplayName("a ciphertext length outside its bounds is keyring.ciphertext_length")
        void ciphertextLength() {
            assertRejected("keyring.ciphertext_length", KeyringHeader.CIPHERTEXT_LENGTH_OFFSET, 0xFFFF_FFFFL);
            assertRejected("keyring.ciphertext_length", KeyringHeader.CIPHERTEXT_LENGTH_OFFSET, 0);
            assertRejected("keyring.ciphertext_length", KeyringHeader.CIPHERTEXT_LENGTH_OFFSET,
                    KeyringHeader.MIN_CIPHERTEXT_LENGTH - 1);
        }

        @Test
        @DisplayName("a file above 16 MiB is keyring.too_large, without being read")
        void tooLarge() throws Exception {
            try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
                raf.setLength(KeyringHeader.MAX_FILE_SIZE + 1L); // sparse
            }
            assertEquals("keyring.too_large", assertThrows(KeyringException.class, FileKeyringTest.this::open).code());
        }

        @Test
        @DisplayName("memory the JVM heap cannot spare is keyring.argon2_heap")
        void heap() {
            Argon2Settings big = new Argon2Settings(1 << 20, 1, 1);
            KeyringException e = assertThrows(KeyringException.class,
                    () -> KeyringCipher.checkHeap(big, 512L << 20));
            assertEquals("keyring.argon2_heap", e.code());
            assertThrows(KeyringException.class, () -> KeyringCipher.checkHeap(Argon2Settings.DEFAULTS, 64L << 20));
            assertDoesNotThrow(
                    () -> KeyringCipher.checkHeap(Argon2Settings.DEFAULTS, 256L << 20));
        }
    }

    @Nested
    @DisplayName("Written to a temp file created with mode 0600, fsync, rename, fsync of the directory")
    class Writes {

        @Test
        @DisplayName("the keyring file is mode 0600, and stays so after every write")
        void fileMode() throws Exception {
            try (FileKeyring keyring = create()) {
                assertEquals(MODE_0600, Files.getPosixFilePermissions(file));
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
                keyring.generate();
                assertEquals(MODE_0600, Files.getPosixFilePermissions(file));
            }
        }

        @Test
        @DisplayName("every temp file is created 0600, hidden, in the keyring's own directory")
        void tempMode() throws Exception {
            FailingHook hook = new FailingHook();
            try (FileKeyring keyring = FileKeyring.create(file, PASSPHRASE, LOW, new SecureRandom(), hook)) {
                PublicKey key = keyring.generate();
                keyring.destroy(key);
                keyring.changePassphrase("another one".toCharArray());
            }
            assertEquals(4, hook.tempModes.size());
            for (int i = 0; i < hook.temps.size(); i++) {
                assertEquals(MODE_0600, hook.tempModes.get(i), "temp file " + i);
                assertEquals(dir.toRealPath(), hook.temps.get(i).getParent());
                assertTrue(hook.temps.get(i).getFileName().toString().startsWith("."));
                assertTrue(AtomicFileWriter.isTempFor(file, hook.temps.get(i)));
            }
        }

        @Test
        @DisplayName("no temp file is left behind after writes")
        void noLeftovers() throws Exception {
            try (FileKeyring keyring = create()) {
                for (int i = 0; i < 5; i++) {
                    keyring.destroy(keyring.generate());
                    keyring.generate();
                }
                keyring.changePassphrase("x".toCharArray());
            }
            assertEquals(List.of("keyring.halo"), listing(dir));
        }

        @Test
        @DisplayName("create fails with keyring.exists on an existing file and leaves it untouched")
        void createExisting() throws Exception {
            KeyringTestFiles.write(file, new byte[] {1, 2, 3});
            KeyringException e = assertThrows(KeyringException.class, FileKeyringTest.this::create);
            assertEquals("keyring.exists", e.code());
            assertArrayEquals(new byte[] {1, 2, 3}, read(file));
        }

        @Test
        @DisplayName("create never replaces a file that appears while it works: keyring.exists, the newcomer intact")
        void createRace() {
            AtomicFileWriter.Hook intruder = (step, temp) -> {
                if (step == AtomicFileWriter.Step.TEMP_FORCED) {
                    Files.write(file, new byte[] {4, 5, 6});
                }
            };
            KeyringException e = assertThrows(KeyringException.class,
                    () -> FileKeyring.create(file, PASSPHRASE, LOW, new SecureRandom(), intruder));
            assertEquals("keyring.exists", e.code());
            assertArrayEquals(new byte[] {4, 5, 6}, read(file));
            assertEquals(List.of("keyring.halo"), listing(dir));
        }

        @Test
        @DisplayName("a missing file is keyring.not_found; a directory is keyring.not_a_file; a missing directory is keyring.io")
        void missing() throws Exception {
            assertEquals("keyring.not_found", assertThrows(KeyringException.class, FileKeyringTest.this::open).code());
            Files.createDirectory(file);
            assertEquals("keyring.not_a_file", assertThrows(KeyringException.class, FileKeyringTest.this::open).code());
            assertEquals("keyring.io", assertThrows(KeyringException.class,
                    () -> FileKeyring.create(dir.resolve("no/such/dir/k"), PASSPHRASE, LOW)).code());
        }

        @Test
        @DisplayName("a failure to force the directory after the rename is tolerated: the change is kept")
        void directoryForceTolerated() throws Exception {
            FailingHook hook = new FailingHook();
            try (FileKeyring keyring = FileKeyring.create(file, PASSPHRASE, LOW, new SecureRandom(), hook)) {
                hook.failAt = AtomicFileWriter.Step.RENAMED;
                PublicKey key = keyring.generate();
                try (FileKeyring reopened = open()) {
                    assertTrue(reopened.contains(key));
                }
            }
        }

        @Test
        @DisplayName("concurrent writers in one keyring lose nothing")
        void concurrent() throws Exception {
            Set<PublicKey> made = ConcurrentHashMap.newKeySet();
            try (FileKeyring keyring = create()) {
                ExecutorService pool = Executors.newFixedThreadPool(4);
                try {
                    List<Future<?>> futures = new ArrayList<>();
                    for (int t = 0; t < 4; t++) {
                        futures.add(pool.submit(() -> {
                            for (int i = 0; i < 8; i++) {
                                PublicKey k = keyring.generate();
                                made.add(k);
                                keyring.sign(k, SignatureDomain.FEED_ENTRY, PAYLOAD);
                            }
                            return null;
                        }));
                    }
                    for (Future<?> f : futures) {
                        f.get();
                    }
                } finally {
                    pool.shutdown();
                }
            }
            try (FileKeyring keyring = open()) {
                assertEquals(made, keyring.keys());
                assertEquals(32, made.size());
            }
            assertEquals(List.of("keyring.halo"), listing(dir));
        }
    }

    @Nested
    @DisplayName("If persisting fails, the change is rolled back so memory and disk agree")
    class Rollback {

        FailingHook hook;
        FileKeyring keyring;
        PublicKey kept;
        byte[] onDisk;

        @BeforeEach
        void keyringWithOneKey() throws Exception {
            hook = new FailingHook();
            keyring = FileKeyring.create(file, PASSPHRASE, LOW, new SecureRandom(), hook);
            kept = keyring.importSeed(seed(5));
            onDisk = read(file);
        }

        @AfterEach
        void close() {
            keyring.close();
        }

        private void assertNothingChanged() throws Exception {
            assertEquals(Set.of(kept), keyring.keys());
            assertArrayEquals(onDisk, read(file));
            assertEquals(List.of("keyring.halo"), listing(dir));
            try (FileKeyring reopened = open()) {
                assertEquals(Set.of(kept), reopened.keys());
            }
        }

        @ParameterizedTest(name = "failure at {0}")
        @EnumSource(value = AtomicFileWriter.Step.class, names = {"TEMP_CREATED", "TEMP_FORCED"})
        @DisplayName("generate, importSeed and destroy each fail with keyring.io and change nothing")
        void mutations(AtomicFileWriter.Step step) throws Exception {
            hook.failAt = step;
            assertEquals("keyring.io", assertThrows(KeyringException.class, keyring::generate).code());
            assertNothingChanged();
            assertEquals("keyring.io", assertThrows(KeyringException.class, () -> keyring.importSeed(seed(6))).code());
            assertFalse(keyring.contains(Ed25519.publicKey(seed(6))));
            assertNothingChanged();
            assertEquals("keyring.io", assertThrows(KeyringException.class, () -> keyring.destroy(kept)).code());
            assertNothingChanged();
            byte[] signature = keyring.sign(kept, SignatureDomain.CREDENTIAL, PAYLOAD);
            assertTrue(Ed25519.verify(kept, SignatureDomain.CREDENTIAL, PAYLOAD, signature),
                    "the key survives a failed destroy intact");

            hook.failAt = null;
            PublicKey added = keyring.generate();
            try (FileKeyring reopened = open()) {
                assertEquals(Set.of(kept, added), reopened.keys());
            }
        }

        @ParameterizedTest(name = "failure at {0}")
        @EnumSource(value = AtomicFileWriter.Step.class, names = {"TEMP_CREATED", "TEMP_FORCED"})
        @DisplayName("a failed changePassphrase keeps the old passphrase working, on disk and for later writes")
        void changePassphrase(AtomicFileWriter.Step step) throws Exception {
            hook.failAt = step;
            assertEquals("keyring.io", assertThrows(KeyringException.class,
                    () -> keyring.changePassphrase("new one".toCharArray())).code());
            assertNothingChanged();
            hook.failAt = null;
            PublicKey added = keyring.generate();
            try (FileKeyring reopened = open()) {
                assertEquals(Set.of(kept, added), reopened.keys());
            }
        }

        @Test
        @DisplayName("a real I/O failure (the keyring path became a non-empty directory) rolls back too")
        void pathBecameDirectory() throws Exception {
            Files.delete(file);
            Files.createDirectory(file);
            Files.writeString(file.resolve("occupant"), "x");
            KeyringException e = assertThrows(KeyringException.class, keyring::generate);
            assertEquals("keyring.io", e.code());
            assertEquals(Set.of(kept), keyring.keys());
            assertThrows(KeyringException.class, () -> keyring.destroy(kept));
            assertEquals(Set.of(kept), keyring.keys());
            assertEquals(List.of("keyring.halo"), listing(dir), "no temp file is left behind");
        }
    }

    @Nested
    @DisplayName("The phrase and private keys never reach a file in clear")
    class NothingInClear {

        @Test
        @DisplayName("no file in the directory ever holds a seed, a public key or the passphrase")
        void scan() throws Exception {
            byte[] seedA = seed(10);
            byte[] seedB = seed(20);
            PublicKey a;
            PublicKey b;
            List<PublicKey> generated = new ArrayList<>();
            try (FileKeyring keyring = create()) {
                a = keyring.importSeed(seedA);
                b = keyring.importSeed(seedB);
                generated.add(keyring.generate());
                assertClean(List.of(seedA, seedB), List.of(a, b), PASSPHRASE);
                keyring.destroy(a);
                assertClean(List.of(seedA, seedB), List.of(a, b), PASSPHRASE);
                char[] next = "a second, longer passphrase".toCharArray();
                keyring.changePassphrase(next);
                assertClean(List.of(seedA, seedB), List.of(a, b), PASSPHRASE);
                assertClean(List.of(), List.of(), next);
            }
            byte[] plaintext = KeyringTestFiles.decrypt(file, "a second, longer passphrase".toCharArray());
            assertTrue(KeyringTestFiles.contains(plaintext, seedB), "the scan itself can find a seed");
        }

        private void assertClean(List<byte[]> seeds, List<PublicKey> keys, char[] passphrase) {
            for (byte[] s : seeds) {
                assertFalse(anyFileContains(dir, s), "a seed is on disk in clear");
            }
            for (PublicKey k : keys) {
                assertFalse(anyFileContains(dir, k.toBytes()), "a public key is on disk in clear");
            }
            for (byte[] p : KeyringTestFiles.passphraseEncodings(passphrase)) {
                assertFalse(anyFileContains(dir, p), "the passphrase is on disk");
            }
        }

        @Test
        @DisplayName("destroy removes the key from the file: reopened, and decrypted, it is gone")
        void destroyRemovesFromDisk() throws Exception {
            byte[] seedA = seed(30);
            PublicKey a;
            try (FileKeyring keyring = create()) {
                a = keyring.importSeed(seedA);
                PublicKey other = keyring.generate();
                assertTrue(KeyringTestFiles.contains(KeyringTestFiles.decrypt(file, PASSPHRASE), seedA));
                keyring.destroy(a);
                assertFalse(keyring.contains(a));
                assertTrue(keyring.contains(other));
                keyring.destroy(a); // absent: no-op
            }
            assertFalse(KeyringTestFiles.contains(KeyringTestFiles.decrypt(file, PASSPHRASE), seedA));
            try (FileKeyring keyring = open()) {
                assertFalse(keyring.contains(a));
                assertEquals(1, keyring.keys().size());
            }
        }

        @Test
        @DisplayName("toString shows only the file and the key count")
        void toStringHasNoKeys() throws Exception {
            try (FileKeyring keyring = create()) {
                PublicKey key = keyring.generate();
                String s = keyring.toString();
                assertTrue(s.contains(file.getFileName().toString()), s);
                assertTrue(s.contains("1 keys"), s);
                assertFalse(s.contains(key.toHex().substring(0, 8)), s);
            }
        }
    }

    @Nested
    @DisplayName("changePassphrase re-encrypts under the new passphrase only")
    class ChangePassphrase {

        @Test
        @DisplayName("the new passphrase opens the keyring, the old one then fails, and the salt is fresh")
        void change() throws Exception {
            char[] next = "the new passphrase".toCharArray();
            PublicKey key;
            byte[] before;
            try (FileKeyring keyring = create()) {
                key = keyring.generate();
                before = read(file);
                keyring.changePassphrase(next);
            }
            byte[] after = read(file);
            assertFalse(Arrays.equals(saltOf(before), saltOf(after)));
            assertThrows(WrongPassphraseException.class, FileKeyringTest.this::open);
            try (FileKeyring keyring = FileKeyring.open(file, next)) {
                assertEquals(Set.of(key), keyring.keys());
            }
        }

        @Test
        @DisplayName("changePassphrase with settings writes the new Argon2 parameters")
        void changeSettings() throws Exception {
            Argon2Settings other = new Argon2Settings(2048, 2, 2);
            try (FileKeyring keyring = create()) {
                keyring.changePassphrase("p2".toCharArray(), other);
                assertEquals(other, keyring.argon2Settings());
            }
            assertEquals(other, KeyringHeader.parse(read(file), file).settings());
            try (FileKeyring keyring = FileKeyring.open(file, "p2".toCharArray())) {
                assertEquals(other, keyring.argon2Settings());
            }
        }
    }

    @Nested
    @DisplayName("After close, the AES key and the seeds are wiped and every method throws")
    class Close {

        @Test
        @DisplayName("every method throws IllegalStateException after close; close is idempotent; the file stays")
        void closed() throws Exception {
            FileKeyring keyring = create();
            PublicKey key = keyring.generate();
            keyring.close();
            keyring.close();
            assertThrows(IllegalStateException.class, keyring::generate);
            assertThrows(IllegalStateException.class, () -> keyring.importSeed(seed(7)));
            assertThrows(IllegalStateException.class, () -> keyring.contains(key));
            assertThrows(IllegalStateException.class, keyring::keys);
            assertThrows(IllegalStateException.class, () -> keyring.sign(key, SignatureDomain.CREDENTIAL, PAYLOAD));
            assertThrows(IllegalStateException.class, () -> keyring.agree(key, X25519.publicKeyOf(key)));
            assertThrows(IllegalStateException.class, () -> keyring.destroy(key));
            assertThrows(IllegalStateException.class, () -> keyring.changePassphrase("x".toCharArray()));
            assertThrows(IllegalStateException.class, keyring::argon2Settings);
            assertTrue(keyring.toString().contains("closed"));
            try (FileKeyring reopened = open()) {
                assertTrue(reopened.contains(key));
            }
        }
    }

    @Nested
    @DisplayName("Default Argon2id parameters: 64 MiB, t=3, p=1")
    class Defaults {

        @Test
        @DisplayName("DEFAULTS is 65536 KiB, 3 iterations, 1 lane, and a keyring created with it says so in its header")
        void defaultsWritten() throws Exception {
            assertEquals(new Argon2Settings(65536, 3, 1), Argon2Settings.DEFAULTS);
            // The one slow derivation of the suite.
            try (FileKeyring keyring = FileKeyring.create(file, PASSPHRASE, Argon2Settings.DEFAULTS)) {
                assertEquals(Argon2Settings.DEFAULTS, keyring.argon2Settings());
            }
            KeyringHeader header = KeyringHeader.parse(read(file), file);
            assertEquals(65536, header.settings().memoryKiB());
            assertEquals(3, header.settings().iterations());
            assertEquals(1, header.settings().parallelism());
        }
    }
}
