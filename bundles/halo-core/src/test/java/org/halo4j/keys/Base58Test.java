package org.halo4j.keys;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigInteger;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Base58 encoding against a second, obviously correct encoder written with BigInteger. */
class Base58Test {

    private static final String ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

    /** The definition: the number in base 58, and one '1' for each leading zero byte. */
    private static String reference(byte[] input) {
        StringBuilder b = new StringBuilder();
        BigInteger n = new BigInteger(1, input);
        BigInteger fiftyEight = BigInteger.valueOf(58);
        while (n.signum() > 0) {
            BigInteger[] qr = n.divideAndRemainder(fiftyEight);
            b.append(ALPHABET.charAt(qr[1].intValue()));
            n = qr[0];
        }
        for (int i = 0; i < input.length && input[i] == 0; i++) {
            b.append('1');
        }
        return b.reverse().toString();
    }

    @Test
    void knownValues() {
        assertEquals("", Base58.encode(new byte[0]));
        assertEquals("1", Base58.encode(new byte[1]));
        assertEquals("111", Base58.encode(new byte[3]));
        assertEquals("2", Base58.encode(new byte[] {1}));
        assertEquals("21", Base58.encode(new byte[] {58}));
        assertEquals("5Q", Base58.encode(new byte[] {(byte) 0xff}));
        assertEquals("2NEpo7TZRRrLZSi2U", Base58.encode("Hello World!".getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
    }

    @Test
    void everyLengthAndLeadingZerosAgreeWithTheDefinitionAndDecodeBack() {
        Random random = new Random(58);
        for (int length = 0; length <= 80; length++) {
            for (int round = 0; round < 40; round++) {
                byte[] input = new byte[length];
                random.nextBytes(input);
                int zeros = length == 0 ? 0 : random.nextInt(length + 1); // up to all of it: zeros over several limbs
                for (int i = 0; i < zeros; i++) {
                    input[i] = 0;
                }
                if (round == 0) {
                    java.util.Arrays.fill(input, (byte) 0xff); // the largest number of each length
                } else if (round == 1) {
                    java.util.Arrays.fill(input, (byte) 0); // zero of each length: one '1' per byte
                }
                String text = Base58.encode(input);
                assertEquals(reference(input), text, () -> "length " + input.length);
                assertArrayEquals(input, Base58.decode(text, 200));
            }
        }
    }
}
