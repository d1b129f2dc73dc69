package org.halo4j.credentials;

/** Single-bit corruption of encoded messages, for tests. */
public final class BitFlips {

    private BitFlips() {
    }

    /** A copy of {@code bytes} with bit {@code position % (8 * length)} inverted (bit 0 = lowest bit of byte 0). */
    public static byte[] flip(byte[] bytes, int position) {
        int bit = Math.floorMod(position, 8 * bytes.length);
        byte[] out = bytes.clone();
        out[bit / 8] ^= (byte) (1 << (bit % 8));
        return out;
    }

    /** Where {@link #flip} acts, for messages: "byte 17, bit 3 (0x08)". */
    public static String describe(byte[] bytes, int position) {
        int bit = Math.floorMod(position, 8 * bytes.length);
        return "byte " + (bit / 8) + " of " + bytes.length + ", bit " + (bit % 8)
                + String.format(" (0x%02x -> 0x%02x)", bytes[bit / 8] & 0xff, (bytes[bit / 8] ^ (1 << (bit % 8))) & 0xff);
    }
}
