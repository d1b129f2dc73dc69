package org.halo4j.keys;

import org.halo4j.io.AtomicFileWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Optional;
import java.util.Objects;
import java.util.Set;

import org.bouncycastle.crypto.InvalidCipherTextException;

/**
 * A keyring kept in one encrypted file (DESIGN §9; the format is in {@code docs/keyring.md}): Argon2id turns the
 * passphrase into an AES-256-GCM key, and the whole clear header is authenticated with the ciphertext.
 *
 * <ul>
 *   <li>Every change ({@link #generate}, {@link #importSeed}, {@link #destroy}, {@link #changePassphrase}) is on
 *       disk before the method returns. If writing fails, the change is undone in memory too and a
 *       {@link KeyringException} ({@code keyring.io}) is thrown: memory and disk always agree.</li>
 *   <li>Writes never modify the file in place: a temp file created with mode 0600, {@code fsync}, atomic rename,
 *       {@code fsync} of the directory. Each write uses a fresh random nonce.</li>
 *   <li>A wrong passphrase, or any altered byte of the file, fails the GCM tag: {@link WrongPassphraseException}.
 *       Opening never writes.</li>
 *   <li>The keyring keeps the derived AES key (never the passphrase) and the decrypted seeds in memory, so
 *       {@link #sign} and {@link #agree} never touch disk. {@link #close()} overwrites all of them; afterwards
 *       every method throws {@link IllegalStateException}.</li>
 * </ul>
 *
 * Passphrase arrays stay the caller's: the keyring reads them and the caller wipes them. Thread-safe. Two
 * {@code FileKeyring} objects on the same file (in one process or two) do not see each other's changes: the
 * last write wins, so open a keyring file once.
 *
 * <p>Error codes besides those of {@link KeyringException} subclasses: {@code keyring.exists},
 * {@code keyring.not_found}, {@code keyring.not_a_file}, {@code keyring.too_large}, {@code keyring.io},
 * {@code keyring.not_a_keyring}, {@code keyring.truncated}, {@code keyring.unsupported_version},
 * {@code keyring.argon2_memory}, {@code keyring.argon2_iterations}, {@code keyring.argon2_parallelism},
 * {@code keyring.argon2_cost}, {@code keyring.argon2_heap}, {@code keyring.ciphertext_length},
 * {@code keyring.trailing_data}, {@code keyring.wrong_passphrase}, {@code keyring.corrupt},
 * {@code keyring.unsupported_content_version}, {@code keyring.unsupported_entry}, {@code keyring.full},
 * {@code keyring.empty_passphrase}, {@code keyring.passphrase_encoding}.
 */
public final class FileKeyring implements Keyring, AutoCloseable {

    private final Path file;
    private final SecureRandom random;
    private final AtomicFileWriter writer;
    private final SeedStore seeds = new SeedStore();

    // Guarded by this.
    private Argon2Settings settings;
    private byte[] salt;
    private byte[] key;

    private FileKeyring(Path file, SecureRandom random, AtomicFileWriter.Hook hook, Argon2Settings settings,
                        byte[] salt, byte[] key) {
        this.file = file;
        this.random = random;
        this.writer = new AtomicFileWriter(random, hook);
        this.settings = settings;
        this.salt = salt;
        this.key = key;
    }

    /**
     * Creates a new, empty keyring file, protected by {@code passphrase} with these Argon2id settings
     * ({@link Argon2Settings#DEFAULTS} for real keys).
     *
     * @throws KeyringException {@code keyring.exists} if {@code file} exists; {@code keyring.io} if it cannot be
     *                          written; {@code keyring.empty_passphrase}
     */
    public static FileKeyring create(Path file, char[] passphrase, Argon2Settings settings) throws KeyringException {
        return create(file, passphrase, settings, new SecureRandom(), AtomicFileWriter.Hook.NONE);
    }

    /**
     * Opens an existing keyring file. The Argon2id settings are read from its header (and bounded before any work).
     * Nothing is written.
     *
     * @throws WrongPassphraseException if the passphrase is wrong or the file was altered
     * @throws KeyringException         with a precise code if the file is missing, too large, truncated, not a
     *                                  keyring, of another version, or asks for out-of-bounds Argon2 work
     */
    public static FileKeyring open(Path file, char[] passphrase) throws KeyringException {
        return open(file, passphrase, new SecureRandom(), AtomicFileWriter.Hook.NONE);
    }

    static FileKeyring create(Path file, char[] passphrase, Argon2Settings settings, SecureRandom random,
                              AtomicFileWriter.Hook hook) throws KeyringException {
        Objects.requireNonNull(settings, "settings");
        Path target = pathForCreate(file);
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new KeyringException("keyring.exists", "keyring " + target + " already exists; open it instead");
        }
        byte[] newSalt = new byte[KeyringHeader.SALT_LENGTH];
        random.nextBytes(newSalt);
        byte[] newKey = KeyringCipher.deriveKey(passphrase, newSalt, settings);
        FileKeyring keyring = new FileKeyring(target, random, hook, settings, newSalt, newKey);
        try {
            synchronized (keyring) {
                keyring.persist(false);
            }
            return keyring;
        } catch (Throwable t) {
            keyring.close();
            throw t;
        }
    }

    static FileKeyring open(Path file, char[] passphrase, SecureRandom random, AtomicFileWriter.Hook hook)
            throws KeyringException {
        Path target = existingPath(file);
        byte[] bytes = readBounded(target);
        KeyringHeader header = KeyringHeader.parse(bytes, target);
        byte[] derived = KeyringCipher.deriveKey(passphrase, header.salt(), header.settings());
        FileKeyring keyring = new FileKeyring(target, random, hook, header.settings(), header.salt(), derived);
        byte[] plaintext = null;
        try {
            plaintext = KeyringCipher.decrypt(derived, header.nonce(), header.bytes(), bytes, KeyringHeader.LENGTH,
                    header.ciphertextLength());
            KeyringContent.decode(plaintext, keyring.seeds);
            return keyring;
        } catch (InvalidCipherTextException e) {
            keyring.close();
            throw new WrongPassphraseException(target);
        } catch (Throwable t) {
            keyring.close();
            throw t;
        } finally {
            Ed25519.wipe(plaintext);
        }
    }

    /** The keyring file (its real path: symbolic links resolved). */
    public Path file() {
        return file;
    }

    /** The Argon2id settings the file is written with. */
    public synchronized Argon2Settings argon2Settings() {
        ensureOpen();
        return settings;
    }

    @Override
    public PublicKey generate() throws KeyringException {
        byte[] seed = Ed25519.generateSeed(random);
        return add(Ed25519.publicKey(seed), seed);
    }

    @Override
    public PublicKey importSeed(byte[] seed) throws KeyringException {
        PublicKey key = Ed25519.publicKey(seed);
        return add(key, seed.clone());
    }

    private synchronized PublicKey add(PublicKey key, byte[] seed) throws KeyringException {
        if (seeds.isClosed()) {
            Ed25519.wipe(seed);
            ensureOpen();
        }
        if (!seeds.add(key, seed)) {
            return key; // already held, and so already on disk
        }
        try {
            persist();
        } catch (Throwable t) {
            Ed25519.wipe(seeds.remove(key));
            throw t;
        }
        return key;
    }

    @Override
    public boolean contains(PublicKey key) {
        ensureOpen();
        return seeds.contains(key);
    }

    @Override
    public Set<PublicKey> keys() {
        ensureOpen();
        return seeds.keys();
    }

    @Override
    public byte[] sign(PublicKey key, SignatureDomain domain, byte[] payload) throws KeyringException {
        ensureOpen();
        return seeds.sign(key, domain, payload);
    }

    @Override
    public byte[] agree(PublicKey key, byte[] peerX25519PublicKey) throws KeyringException {
        ensureOpen();
        return seeds.agree(key, peerX25519PublicKey);
    }

    @Override
    public synchronized void destroy(PublicKey key) throws KeyringException {
        ensureOpen();
        byte[] seed = seeds.remove(key);
        if (seed == null) {
            return;
        }
        try {
            persist();
        } catch (Throwable t) {
            seeds.add(key, seed);
            throw t;
        }
        Ed25519.wipe(seed);
    }

    /**
     * Keeps {@code phrase} encrypted in the keyring until its backup is confirmed (DESIGN §2), replacing any
     * phrase kept before. The caller still destroys its own {@code phrase} object.
     */
    public synchronized void storeRecoveryPhrase(RecoveryPhrase phrase) throws KeyringException {
        ensureOpen();
        int[] old = seeds.setPhrase(phrase.wordIndices());
        try {
            persist();
        } catch (Throwable t) {
            int[] mine = seeds.setPhrase(old);
            java.util.Arrays.fill(mine, 0);
            throw t;
        }
        if (old != null) {
            java.util.Arrays.fill(old, 0);
        }
    }

    /** The recovery phrase kept until its backup is confirmed, if any; the caller destroys it after use. */
    public synchronized Optional<RecoveryPhrase> recoveryPhrase() throws KeyringException {
        ensureOpen();
        int[] words = seeds.phrase();
        if (words == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(RecoveryPhrase.ofWords(words));
        } catch (KeyFormatException e) {
            java.util.Arrays.fill(words, 0);
            throw new KeyringException("keyring.corrupt", "the stored recovery phrase fails its checksum");
        }
    }

    /** Removes the stored recovery phrase from the keyring and from disk; no-op if none. */
    public synchronized void destroyRecoveryPhrase() throws KeyringException {
        ensureOpen();
        int[] old = seeds.setPhrase(null);
        if (old == null) {
            return;
        }
        try {
            persist();
        } catch (Throwable t) {
            seeds.setPhrase(old);
            throw t;
        }
        java.util.Arrays.fill(old, 0);
    }

    /**
     * Re-encrypts the keyring under a key derived from {@code newPassphrase} with a fresh salt, keeping the
     * Argon2id settings. The old passphrase no longer opens the file once this returns; if writing fails, it
     * still does and nothing changed.
     */
    public void changePassphrase(char[] newPassphrase) throws KeyringException {
        changePassphrase(newPassphrase, argon2Settings());
    }

    /**
     * Re-encrypts the keyring under {@code newPassphrase} with a fresh salt and new Argon2id settings (for
     * example to raise the cost of a keyring made with lower ones).
     */
    public synchronized void changePassphrase(char[] newPassphrase, Argon2Settings newSettings)
            throws KeyringException {
        Objects.requireNonNull(newSettings, "newSettings");
        ensureOpen();
        byte[] newSalt = new byte[KeyringHeader.SALT_LENGTH];
        random.nextBytes(newSalt);
        byte[] newKey = KeyringCipher.deriveKey(newPassphrase, newSalt, newSettings);
        byte[] oldKey = key;
        byte[] oldSalt = salt;
        Argon2Settings oldSettings = settings;
        key = newKey;
        salt = newSalt;
        settings = newSettings;
        try {
            persist();
        } catch (Throwable t) {
            key = oldKey;
            salt = oldSalt;
            settings = oldSettings;
            Ed25519.wipe(newKey);
            throw t;
        }
        Ed25519.wipe(oldKey);
    }

    /** Overwrites the AES key and every seed in memory. Idempotent; the file stays as it is. */
    @Override
    public synchronized void close() {
        seeds.close();
        Ed25519.wipe(key);
    }

    /** The file and the number of keys; never key material. */
    @Override
    public String toString() {
        return seeds.isClosed()
                ? "FileKeyring[" + file + ", closed]"
                : "FileKeyring[" + file + ", " + seeds.size() + " keys]";
    }

    /** Writes the whole keyring as it is in memory, replacing the file. Caller holds this. */
    private void persist() throws KeyringException {
        persist(true);
    }

    /**
     * Writes the whole keyring as it is in memory. Caller holds this.
     *
     * @param replace false for the first write of {@link #create}, which never replaces an existing file
     */
    private void persist(boolean replace) throws KeyringException {
        byte[] plaintext = KeyringContent.encode(seeds);
        try {
            int ciphertextLength = plaintext.length + KeyringHeader.TAG_LENGTH;
            if (ciphertextLength > KeyringHeader.MAX_CIPHERTEXT_LENGTH) {
                throw new KeyringException("keyring.full", "keyring " + file + " would exceed "
                        + KeyringHeader.MAX_FILE_SIZE + " bytes with " + seeds.size() + " keys");
            }
            byte[] nonce = new byte[KeyringHeader.NONCE_LENGTH];
            random.nextBytes(nonce);
            byte[] header = KeyringHeader.of(settings, salt, nonce, ciphertextLength).bytes();
            byte[] ciphertext = KeyringCipher.encrypt(key, nonce, header, plaintext);
            byte[] out = Arrays.copyOf(header, header.length + ciphertext.length);
            System.arraycopy(ciphertext, 0, out, header.length, ciphertext.length);
            if (replace) {
                writer.write(file, out);
            } else {
                writer.writeNew(file, out);
            }
        } catch (FileAlreadyExistsException e) {
            throw new KeyringException("keyring.exists", "keyring " + file + " already exists; open it instead");
        } catch (IOException e) {
            throw new KeyringException("keyring.io", "could not write keyring " + file + ": " + e, e);
        } finally {
            Ed25519.wipe(plaintext);
        }
    }

    private void ensureOpen() {
        if (seeds.isClosed()) {
            throw new IllegalStateException("keyring " + file + " is closed");
        }
    }

    private static Path pathForCreate(Path file) throws KeyringException {
        Path absolute = file.toAbsolutePath();
        Path dir = absolute.getParent();
        if (dir == null || absolute.getFileName() == null) {
            throw new IllegalArgumentException("a keyring file needs a name inside a directory: " + file);
        }
        if (!Files.isDirectory(dir)) {
            throw new KeyringException("keyring.io", "cannot create keyring " + absolute + ": directory " + dir
                    + " does not exist");
        }
        try {
            return dir.toRealPath().resolve(absolute.getFileName());
        } catch (IOException e) {
            throw new KeyringException("keyring.io", "cannot create keyring " + absolute + ": " + e, e);
        }
    }

    private static Path existingPath(Path file) throws KeyringException {
        try {
            Path real = file.toRealPath();
            if (!Files.isRegularFile(real)) {
                throw new KeyringException("keyring.not_a_file", "keyring " + real + " is not a regular file");
            }
            return real;
        } catch (NoSuchFileException e) {
            throw new KeyringException("keyring.not_found", "keyring " + file.toAbsolutePath() + " does not exist");
        } catch (IOException e) {
            throw new KeyringException("keyring.io", "cannot open keyring " + file + ": " + e, e);
        }
    }

    /** The whole file, refusing to read more than {@link KeyringHeader#MAX_FILE_SIZE} bytes. */
    private static byte[] readBounded(Path target) throws KeyringException {
        try (FileChannel in = FileChannel.open(target, StandardOpenOption.READ)) {
            long size = in.size();
            if (size > KeyringHeader.MAX_FILE_SIZE) {
                throw new KeyringException("keyring.too_large", "keyring " + target + " is " + size
                        + " bytes; a keyring is at most " + KeyringHeader.MAX_FILE_SIZE);
            }
            ByteBuffer b = ByteBuffer.allocate((int) size);
            while (b.hasRemaining() && in.read(b) >= 0) {
                // read until full or end of file
            }
            return b.hasRemaining() ? Arrays.copyOf(b.array(), b.position()) : b.array();
        } catch (NoSuchFileException e) {
            throw new KeyringException("keyring.not_found", "keyring " + target + " does not exist");
        } catch (IOException e) {
            throw new KeyringException("keyring.io", "cannot read keyring " + target + ": " + e, e);
        }
    }
}
