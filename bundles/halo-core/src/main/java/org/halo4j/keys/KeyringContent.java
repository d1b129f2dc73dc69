package org.halo4j.keys;

import java.nio.ByteBuffer;

/**
 * The plaintext inside a keyring file (content version 1), integers unsigned big-endian:
 *
 * <pre>
 * 1 byte   content version = 1
 * 4 bytes  entry count
 * entries, each:
 *   1 byte   kind
 *   4 bytes  body length
 *   body
 * kind 0x01 Ed25519 seed: body = public key (32) || seed (32)
 * kind 0x02 recovery phrase (at most one), kept until its backup is confirmed: body = 24 word indices, 2 bytes each
 * </pre>
 *
 * The kind byte leaves room for other secrets (a recovery phrase kept until its backup is confirmed, for
 * example). A reader refuses a kind it does not know rather than skip it, because it would drop that entry at
 * its next write. Entries are written in public key order; a key appears at most once, and its seed must
 * produce it. Not Java serialization; no reflection.
 */
final class KeyringContent {

    static final int CONTENT_VERSION = 1;
    static final int KIND_ED25519_SEED = 0x01;
    static final int KIND_RECOVERY_PHRASE = 0x02;
    static final int PHRASE_BODY_LENGTH = 2 * RecoveryPhrase.WORDS;
    static final int ED25519_BODY_LENGTH = PublicKey.LENGTH + Ed25519.SEED_LENGTH;
    /** Version and entry count: an empty keyring. */
    static final int MIN_LENGTH = 1 + 4;
    private static final int ENTRY_HEADER_LENGTH = 1 + 4;

    private KeyringContent() {
    }

    /** The plaintext of {@code seeds}; the caller wipes it. */
    static byte[] encode(SeedStore seeds) {
        synchronized (seeds) {
            int[] phrase = seeds.phrase();
            int count = seeds.size() + (phrase == null ? 0 : 1);
            byte[] out = new byte[MIN_LENGTH + seeds.size() * (ENTRY_HEADER_LENGTH + ED25519_BODY_LENGTH)
                    + (phrase == null ? 0 : ENTRY_HEADER_LENGTH + PHRASE_BODY_LENGTH)];
            ByteBuffer b = ByteBuffer.wrap(out);
            b.put((byte) CONTENT_VERSION);
            b.putInt(count);
            if (phrase != null) {
                b.put((byte) KIND_RECOVERY_PHRASE);
                b.putInt(PHRASE_BODY_LENGTH);
                for (int w : phrase) {
                    b.putShort((short) w);
                }
                java.util.Arrays.fill(phrase, 0);
            }
            seeds.forEach((key, seed) -> {
                b.put((byte) KIND_ED25519_SEED);
                b.putInt(ED25519_BODY_LENGTH);
                key.copyTo(out, b.position());
                b.position(b.position() + PublicKey.LENGTH);
                b.put(seed);
            });
            return out;
        }
    }

    /**
     * Adds every entry of {@code plaintext} to {@code into}. On failure {@code into} may hold some entries: the
     * caller closes it. The plaintext is not wiped here.
     *
     * @throws KeyringException {@code keyring.unsupported_content_version}, {@code keyring.unsupported_entry} or
     *                          {@code keyring.corrupt}
     */
    static void decode(byte[] plaintext, SeedStore into) throws KeyringException {
        ByteBuffer b = ByteBuffer.wrap(plaintext);
        if (b.remaining() < MIN_LENGTH) {
            throw corrupt("the content is " + plaintext.length + " bytes, shorter than its " + MIN_LENGTH
                    + "-byte preamble");
        }
        int version = Byte.toUnsignedInt(b.get());
        if (version != CONTENT_VERSION) {
            throw new KeyringException("keyring.unsupported_content_version", "the keyring content has version "
                    + version + "; this halo4j reads version " + CONTENT_VERSION);
        }
        long count = Integer.toUnsignedLong(b.getInt());
        if (count > b.remaining() / ENTRY_HEADER_LENGTH) {
            throw corrupt("the content announces " + count + " entries in " + b.remaining() + " bytes");
        }
        for (long i = 0; i < count; i++) {
            if (b.remaining() < ENTRY_HEADER_LENGTH) {
                throw corrupt("entry " + i + " is cut short");
            }
            int kind = Byte.toUnsignedInt(b.get());
            long length = Integer.toUnsignedLong(b.getInt());
            if (kind == KIND_RECOVERY_PHRASE) {
                if (length != PHRASE_BODY_LENGTH || b.remaining() < length) {
                    throw corrupt("entry " + i + " (recovery phrase) must have a " + PHRASE_BODY_LENGTH + "-byte body");
                }
                int[] words = new int[RecoveryPhrase.WORDS];
                for (int w = 0; w < words.length; w++) {
                    words[w] = Short.toUnsignedInt(b.getShort());
                    if (words[w] >= 2048) {
                        throw corrupt("entry " + i + ": a recovery phrase word index is out of range");
                    }
                }
                if (into.setPhrase(words) != null) {
                    throw corrupt("entry " + i + ": a second recovery phrase");
                }
                continue;
            }
            if (kind != KIND_ED25519_SEED) {
                throw new KeyringException("keyring.unsupported_entry", "entry " + i + " has kind 0x"
                        + Integer.toHexString(kind) + ", which this halo4j does not know; it only reads 0x01"
                        + " (Ed25519 seed) and 0x02 (recovery phrase) and refuses to drop what it cannot read");
            }
            if (length != ED25519_BODY_LENGTH || b.remaining() < length) {
                throw corrupt("entry " + i + " (Ed25519 seed) must have a " + ED25519_BODY_LENGTH
                        + "-byte body, found " + length + " with " + b.remaining() + " bytes left");
            }
            byte[] stored = new byte[PublicKey.LENGTH];
            b.get(stored);
            byte[] seed = new byte[Ed25519.SEED_LENGTH];
            b.get(seed);
            PublicKey key = Ed25519.publicKey(seed);
            if (!key.matches(stored)) {
                Ed25519.wipe(seed);
                throw corrupt("entry " + i + ": the seed does not produce the stored public key "
                        + PublicKey.of(stored).shortId());
            }
            if (!into.add(key, seed)) {
                throw corrupt("entry " + i + ": key " + key.shortId() + " appears twice");
            }
        }
        if (b.hasRemaining()) {
            throw corrupt(b.remaining() + " bytes follow the last entry");
        }
    }

    private static KeyringException corrupt(String what) {
        return new KeyringException("keyring.corrupt", "the keyring decrypted but its content is malformed: " + what);
    }
}
