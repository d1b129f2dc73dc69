package org.halo4j.keys;

import java.util.Arrays;

import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.modes.GCMModeCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.Argon2Parameters;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * The cryptography of a keyring file: Argon2id (version 0x13, no secret, no associated data) turns the passphrase
 * (UTF-8, exactly as given: no Unicode normalization) and the salt into a 32-byte key; AES-256-GCM with a 96-bit
 * nonce and a 128-bit tag seals the content, with the clear header as associated data. Bouncy Castle's
 * lightweight API is used so that halo4j owns, and wipes, every plaintext buffer.
 */
final class KeyringCipher {

    static final int KEY_LENGTH = 32;
    private static final int TAG_BITS = KeyringHeader.TAG_LENGTH * 8;

    private KeyringCipher() {
    }

    /**
     * Derives the AES key; the caller wipes it. The passphrase is not kept.
     *
     * @throws KeyringException {@code keyring.empty_passphrase}, {@code keyring.passphrase_encoding} or
     *                          {@code keyring.argon2_heap}
     */
    static byte[] deriveKey(char[] passphrase, byte[] salt, Argon2Settings settings) throws KeyringException {
        checkHeap(settings, Runtime.getRuntime().maxMemory());
        byte[] password = utf8(passphrase);
        try {
            Argon2Parameters parameters = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                    .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                    .withMemoryAsKB(settings.memoryKiB())
                    .withIterations(settings.iterations())
                    .withParallelism(settings.parallelism())
                    .withSalt(salt)
                    .build();
            Argon2BytesGenerator argon2 = new Argon2BytesGenerator();
            argon2.init(parameters);
            byte[] key = new byte[KEY_LENGTH];
            argon2.generateBytes(password, key, 0, KEY_LENGTH);
            return key;
        } finally {
            Arrays.fill(password, (byte) 0);
        }
    }

    /**
     * Refuses settings whose memory this JVM cannot spare (three quarters of its maximum heap), so that a file
     * never turns into an {@link OutOfMemoryError}.
     */
    static void checkHeap(Argon2Settings settings, long maxHeapBytes) throws KeyringException {
        // Bouncy Castle holds each 1 KiB Argon2 block in its own long[128] object: about 1 KiB + 64 bytes.
        long needed = settings.memoryKiB() * (1024L + 64L);
        if (needed > maxHeapBytes / 4 * 3) {
            throw new KeyringException("keyring.argon2_heap", "Argon2id with " + settings.memoryKiB()
                    + " KiB needs about " + (needed >> 20) + " MiB of heap; this JVM allows at most "
                    + (maxHeapBytes >> 20) + " MiB, and halo4j uses no more than three quarters of it");
        }
    }

    /** AES-256-GCM encryption of {@code plaintext} (not wiped here): ciphertext || tag. */
    static byte[] encrypt(byte[] key, byte[] nonce, byte[] associatedData, byte[] plaintext) {
        GCMModeCipher gcm = gcm(true, key, nonce, associatedData);
        byte[] out = new byte[gcm.getOutputSize(plaintext.length)];
        int n = gcm.processBytes(plaintext, 0, plaintext.length, out, 0);
        try {
            n += gcm.doFinal(out, n);
        } catch (InvalidCipherTextException e) {
            throw new IllegalStateException("AES-GCM encryption failed", e);
        }
        if (n != out.length) {
            throw new IllegalStateException("AES-GCM wrote " + n + " bytes, expected " + out.length);
        }
        return out;
    }

    /**
     * AES-256-GCM decryption; the caller wipes the result. Plaintext that Bouncy Castle writes before it checks
     * the tag is wiped here when the tag does not match.
     *
     * @throws InvalidCipherTextException if the tag does not match
     */
    static byte[] decrypt(byte[] key, byte[] nonce, byte[] associatedData, byte[] in, int offset, int length)
            throws InvalidCipherTextException {
        GCMModeCipher gcm = gcm(false, key, nonce, associatedData);
        byte[] out = new byte[gcm.getOutputSize(length)];
        try {
            int n = gcm.processBytes(in, offset, length, out, 0);
            n += gcm.doFinal(out, n);
            if (n != out.length) {
                throw new InvalidCipherTextException("AES-GCM produced " + n + " bytes, expected " + out.length);
            }
            return out;
        } catch (InvalidCipherTextException | RuntimeException e) {
            Arrays.fill(out, (byte) 0);
            throw e;
        }
    }

    private static GCMModeCipher gcm(boolean encrypt, byte[] key, byte[] nonce, byte[] associatedData) {
        if (key.length != KEY_LENGTH) {
            throw new IllegalArgumentException("an AES-256 key is " + KEY_LENGTH + " bytes, found " + key.length);
        }
        GCMModeCipher gcm = GCMBlockCipher.newInstance(AESEngine.newInstance());
        gcm.init(encrypt, new AEADParameters(new KeyParameter(key), TAG_BITS, nonce, associatedData));
        return gcm;
    }

    /**
     * The UTF-8 bytes of {@code passphrase}, encoded here so that no intermediate buffer escapes wiping; the
     * caller wipes the result.
     *
     * @throws KeyringException {@code keyring.empty_passphrase} or {@code keyring.passphrase_encoding} (an
     *                          unpaired surrogate)
     */
    static byte[] utf8(char[] passphrase) throws KeyringException {
        if (passphrase == null || passphrase.length == 0) {
            throw new KeyringException("keyring.empty_passphrase", "the keyring passphrase is empty");
        }
        int length = 0;
        for (int i = 0; i < passphrase.length; i++) {
            char c = passphrase[i];
            if (c < 0x80) {
                length += 1;
            } else if (c < 0x800) {
                length += 2;
            } else if (Character.isHighSurrogate(c)) {
                if (i + 1 >= passphrase.length || !Character.isLowSurrogate(passphrase[i + 1])) {
                    throw badEncoding(i);
                }
                length += 4;
                i++;
            } else if (Character.isLowSurrogate(c)) {
                throw badEncoding(i);
            } else {
                length += 3;
            }
        }
        byte[] out = new byte[length];
        int o = 0;
        for (int i = 0; i < passphrase.length; i++) {
            char c = passphrase[i];
            if (c < 0x80) {
                out[o++] = (byte) c;
            } else if (c < 0x800) {
                out[o++] = (byte) (0xc0 | (c >> 6));
                out[o++] = (byte) (0x80 | (c & 0x3f));
            } else if (Character.isHighSurrogate(c)) {
                int cp = Character.toCodePoint(c, passphrase[++i]);
                out[o++] = (byte) (0xf0 | (cp >> 18));
                out[o++] = (byte) (0x80 | ((cp >> 12) & 0x3f));
                out[o++] = (byte) (0x80 | ((cp >> 6) & 0x3f));
                out[o++] = (byte) (0x80 | (cp & 0x3f));
            } else {
                out[o++] = (byte) (0xe0 | (c >> 12));
                out[o++] = (byte) (0x80 | ((c >> 6) & 0x3f));
                out[o++] = (byte) (0x80 | (c & 0x3f));
            }
        }
        return out;
    }

    private static KeyringException badEncoding(int index) {
        return new KeyringException("keyring.passphrase_encoding",
                "the keyring passphrase is not valid Unicode: unpaired surrogate at index " + index);
    }
}
