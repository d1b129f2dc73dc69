package org.halo4j.keys;

import java.util.Arrays;

/** Base58 with the Bitcoin alphabet (base58btc), as multibase {@code z} and did:key use it. */
final class Base58 {

    private static final char[] ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz".toCharArray();
    private static final int[] INDEXES = new int[128];

    static {
        Arrays.fill(INDEXES, -1);
        for (int i = 0; i < ALPHABET.length; i++) {
            INDEXES[ALPHABET[i]] = i;
        }
    }

    private Base58() {
    }

    /** 58^5, the largest power of 58 below 2^30: five digits come out of each pass of long division. */
    private static final long FIVE_DIGITS = 58L * 58 * 58 * 58 * 58;

    /**
     * Encodes {@code input}. Long division of the number held as 32-bit limbs by 58^5, five digits per pass: about
     * one pass over the limbs per five digits, where dividing byte by byte by 58 took one pass over the bytes per
     * digit (a did:key's 34 bytes: 10 passes of 9 limbs instead of 47 of 34 bytes).
     */
    static String encode(byte[] input) {
        if (input.length == 0) {
            return "";
        }
        int zeros = 0;
        while (zeros < input.length && input[zeros] == 0) {
            zeros++;
        }
        int n = (input.length + 3) / 4;
        int[] limbs = new int[n]; // big-endian: limbs[n - 1] holds the least significant 32 bits
        for (int i = 0; i < input.length; i++) {
            int fromEnd = input.length - 1 - i;
            limbs[n - 1 - fromEnd / 4] |= (input[i] & 0xff) << (8 * (fromEnd % 4));
        }
        char[] out = new char[input.length * 2 + 5];
        int outStart = out.length;
        int first = 0;
        while (first < n && limbs[first] == 0) {
            first++;
        }
        while (first < n) {
            long remainder = 0;
            for (int i = first; i < n; i++) {
                long current = (remainder << 32) | (limbs[i] & 0xffffffffL);
                long quotient = current / FIVE_DIGITS;
                limbs[i] = (int) quotient;
                remainder = current - quotient * FIVE_DIGITS;
            }
            while (first < n && limbs[first] == 0) {
                first++;
            }
            for (int d = 0; d < 5; d++) {
                out[--outStart] = ALPHABET[(int) (remainder % 58)];
                remainder /= 58;
            }
        }
        while (outStart < out.length && out[outStart] == ALPHABET[0]) { // the last pass's leading zero digits
            outStart++;
        }
        while (--zeros >= 0) {
            out[--outStart] = ALPHABET[0];
        }
        return new String(out, outStart, out.length - outStart);
    }

    /**
     * Decodes base58btc text of at most {@code maxChars} characters.
     *
     * @throws IllegalArgumentException on a character outside the alphabet or text that is too long
     */
    static byte[] decode(CharSequence input, int maxChars) {
        if (input.length() > maxChars) {
            throw new IllegalArgumentException("base58 text is longer than " + maxChars + " characters");
        }
        if (input.length() == 0) {
            return new byte[0];
        }
        byte[] in58 = new byte[input.length()];
        for (int i = 0; i < input.length(); i++) {
            char c = input.charAt(i);
            int digit = c < 128 ? INDEXES[c] : -1;
            if (digit < 0) {
                throw new IllegalArgumentException("'" + (c < 128 && c >= 32 ? String.valueOf(c) : "\\u" + Integer.toHexString(c))
                        + "' at position " + i + " is not a base58 character");
            }
            in58[i] = (byte) digit;
        }
        int zeros = 0;
        while (zeros < in58.length && in58[zeros] == 0) {
            zeros++;
        }
        byte[] out = new byte[input.length()];
        int outStart = out.length;
        int start = zeros;
        while (start < in58.length) {
            out[--outStart] = divmod(in58, start, 58, 256);
            if (in58[start] == 0) {
                start++;
            }
        }
        while (outStart < out.length && out[outStart] == 0) {
            outStart++;
        }
        return Arrays.copyOfRange(out, outStart - zeros, out.length);
    }

    private static byte divmod(byte[] number, int first, int base, int divisor) {
        int remainder = 0;
        for (int i = first; i < number.length; i++) {
            int digit = number[i] & 0xFF;
            int temp = remainder * base + digit;
            number[i] = (byte) (temp / divisor);
            remainder = temp % divisor;
        }
        return (byte) remainder;
    }
}
