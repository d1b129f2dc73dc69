package org.halo4j.keys;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/** Helpers for keyring tests: reading, altering and scanning files, and sealing hand-made content. */
final class KeyringTestFiles {

    static final char[] PASSPHRASE = "correct horse battery staple".toCharArray();
    static final Argon2Settings LOW = Argon2Settings.forTests();

    private KeyringTestFiles() {
    }

    static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void write(Path file, byte[] bytes) {
        try {
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A copy of {@code bytes} with {@code mask} XORed into byte {@code index}. */
    static byte[] flip(byte[] bytes, int index, int mask) {
        byte[] copy = bytes.clone();
        copy[index] ^= (byte) mask;
        return copy;
    }

    /** A copy of {@code bytes} with a big-endian u32 written at {@code offset}. */
    static byte[] withU32(byte[] bytes, int offset, long value) {
        byte[] copy = bytes.clone();
        ByteBuffer.wrap(copy).putInt(offset, (int) value);
        return copy;
    }

    /** Names of every entry of {@code dir}. */
    static List<String> listing(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** True if any regular file under {@code dir} contains {@code needle}. */
    static boolean anyFileContains(Path dir, byte[] needle) {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                if (contains(Files.readAllBytes(p), needle)) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    /** Every encoding of the passphrase a careless implementation might write. */
    static List<byte[]> passphraseEncodings(char[] passphrase) {
        String s = new String(passphrase);
        List<byte[]> out = new ArrayList<>();
        out.add(s.getBytes(StandardCharsets.UTF_8));
        out.add(s.getBytes(StandardCharsets.UTF_16BE));
        out.add(s.getBytes(StandardCharsets.UTF_16LE));
        return out;
    }

    /** Decrypts a keyring file with {@code passphrase}: the plaintext content. */
    static byte[] decrypt(Path file, char[] passphrase) throws Exception {
        byte[] bytes = read(file);
        KeyringHeader header = KeyringHeader.parse(bytes, file);
        byte[] key = KeyringCipher.deriveKey(passphrase, header.salt(), header.settings());
        return KeyringCipher.decrypt(key, header.nonce(), header.bytes(), bytes, KeyringHeader.LENGTH,
                header.ciphertextLength());
    }

    /** A well-sealed keyring file around arbitrary {@code plaintext}. */
    static byte[] seal(byte[] plaintext, char[] passphrase, Argon2Settings settings) throws Exception {
        SecureRandom random = new SecureRandom();
        byte[] salt = new byte[KeyringHeader.SALT_LENGTH];
        byte[] nonce = new byte[KeyringHeader.NONCE_LENGTH];
        random.nextBytes(salt);
        random.nextBytes(nonce);
        byte[] key = KeyringCipher.deriveKey(passphrase, salt, settings);
        byte[] header = KeyringHeader.of(settings, salt, nonce, plaintext.length + KeyringHeader.TAG_LENGTH).bytes();
        byte[] ciphertext = KeyringCipher.encrypt(key, nonce, header, plaintext);
        byte[] out = Arrays.copyOf(header, header.length + ciphertext.length);
        System.arraycopy(ciphertext, 0, out, header.length, ciphertext.length);
        return out;
    }

    /** A known seed (a ramp from {@code start}), so tests can look for its bytes. */
    static byte[] seed(int start) {
        byte[] seed = new byte[Ed25519.SEED_LENGTH];
        for (int i = 0; i < seed.length; i++) {
            seed[i] = (byte) (start + 7 * i);
        }
        return seed;
    }
}
