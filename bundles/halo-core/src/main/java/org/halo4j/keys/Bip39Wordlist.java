package org.halo4j.keys;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The BIP39 English wordlist, loaded from the bundle and checked against its published SHA-256 before use: a
 * changed list would turn every phrase into a different identity, so a list that does not match is refused.
 * 2048 words of 3 to 8 letters a-z, strictly sorted, so a word is found by binary search.
 */
final class Bip39Wordlist {

    /** Number of words; a word encodes 11 bits. */
    static final int SIZE = 2048;
    /** Longest word in the list. */
    static final int MAX_WORD_LENGTH = 8;

    static final String RESOURCE = "bip39-english.txt";
    /** SHA-256 of the wordlist file, as published with BIP39 (trezor/python-mnemonic english.txt). */
    static final String SHA256 = "2f5eed53a4727b4bf8880d8f3f199efc90e58503646d9ff8eff3a2ed3b24dbda";

    private static final int MAX_FILE_BYTES = 16 * 1024;

    private Bip39Wordlist() {
    }

    /** Index of the word held in {@code buf[0..len)}, or -1 if it is not in the list. */
    static int indexOf(char[] buf, int len) {
        byte[][] words = Holder.WORDS;
        int lo = 0;
        int hi = SIZE - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = compare(words[mid], buf, len);
            if (c < 0) {
                lo = mid + 1;
            } else if (c > 0) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return -1;
    }

    /** Length in characters of word {@code index}. */
    static int length(int index) {
        return Holder.WORDS[index].length;
    }

    /** The ASCII bytes of word {@code index} (shared: callers must not modify them). */
    static byte[] bytes(int index) {
        return Holder.WORDS[index];
    }

    private static int compare(byte[] word, char[] buf, int len) {
        int n = Math.min(word.length, len);
        for (int i = 0; i < n; i++) {
            int d = (word[i] & 0xff) - buf[i];
            if (d != 0) {
                return d;
            }
        }
        return word.length - len;
    }

    /** Lazy holder: the list is read and verified on first use. */
    private static final class Holder {
        static final byte[][] WORDS = load();
    }

    private static byte[][] load() {
        byte[] file;
        try (InputStream in = Bip39Wordlist.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the BIP39 wordlist " + RESOURCE + " is missing from the bundle");
            }
            file = in.readNBytes(MAX_FILE_BYTES + 1);
        } catch (IOException e) {
            throw new IllegalStateException("the BIP39 wordlist " + RESOURCE + " could not be read", e);
        }
        return verify(file);
    }

    /** The words of {@code file}, if it is exactly the published wordlist. */
    static byte[][] verify(byte[] file) {
        if (file.length > MAX_FILE_BYTES) {
            throw new IllegalStateException("the BIP39 wordlist " + RESOURCE + " is longer than " + MAX_FILE_BYTES + " bytes");
        }
        byte[] digest;
        try {
            digest = MessageDigest.getInstance("SHA-256").digest(file);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
        if (!MessageDigest.isEqual(digest, HexFormat.of().parseHex(SHA256))) {
            throw new IllegalStateException("the BIP39 wordlist " + RESOURCE + " does not have the expected SHA-256 "
                    + SHA256 + ", found " + HexFormat.of().formatHex(digest));
        }
        return split(file);
    }

    private static byte[][] split(byte[] file) {
        byte[][] words = new byte[SIZE][];
        int count = 0;
        int start = 0;
        for (int i = 0; i < file.length; i++) {
            if (file[i] != '\n') {
                continue;
            }
            if (count == SIZE) {
                throw new IllegalStateException("the BIP39 wordlist has more than " + SIZE + " words");
            }
            byte[] w = Arrays.copyOfRange(file, start, i);
            if (w.length < 3 || w.length > MAX_WORD_LENGTH || !lowercaseAscii(w)
                    || (count > 0 && Arrays.compare(words[count - 1], w) >= 0)) {
                throw new IllegalStateException("the BIP39 wordlist is malformed at line " + (count + 1));
            }
            words[count++] = w;
            start = i + 1;
        }
        if (count != SIZE || start != file.length) {
            throw new IllegalStateException("the BIP39 wordlist has " + count + " complete lines, expected " + SIZE);
        }
        return words;
    }

    private static boolean lowercaseAscii(byte[] w) {
        for (byte b : w) {
            if (b < 'a' || b > 'z') {
                return false;
            }
        }
        return true;
    }
}
