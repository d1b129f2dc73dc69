package org.halo4j.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

@DisplayName("SLIP-0010 ed25519: the published vectors 1 and 2")
class Slip10VectorsTest {

    /** Parses "m/0'/1'" into {0, 1}; every index of an ed25519 path is hardened. */
    static int[] path(String text) {
        String[] parts = text.split("/");
        assertEquals("m", parts[0]);
        int[] out = new int[parts.length - 1];
        for (int i = 1; i < parts.length; i++) {
            assertEquals('\'', parts[i].charAt(parts[i].length() - 1), "ed25519 paths are hardened only");
            out[i - 1] = Integer.parseInt(parts[i].substring(0, parts[i].length() - 1));
        }
        return out;
    }

    record Entry(int vector, String seed, JsonNode chain) {
    }

    static List<Entry> entries() {
        List<Entry> out = new ArrayList<>();
        JsonNode vectors = Vectors.read("slip10-ed25519.json").get("vectors");
        for (int v = 0; v < vectors.size(); v++) {
            for (JsonNode chain : vectors.get(v).get("chains")) {
                out.add(new Entry(v + 1, vectors.get(v).get("seed").asText(), chain));
            }
        }
        return out;
    }

    @Test
    @DisplayName("the vector file holds 2 vectors of 6 chain entries each")
    void counts() {
        assertEquals(12, entries().size());
        assertEquals(2, Vectors.read("slip10-ed25519.json").get("vectors").size());
    }

    @Nested
    @DisplayName("'master = HMAC-SHA512(\"ed25519 seed\", seed); child = HMAC-SHA512(chain code, 0x00 || k || ser32(i | 2^31))'")
    class Derivation {

        @TestFactory
        Stream<DynamicTest> everyChainEntry() {
            return entries().stream().map(e -> DynamicTest.dynamicTest(
                    "vector " + e.vector() + " " + e.chain().get("path").asText(), () -> {
                        byte[] node = Slip10.deriveNode(Vectors.hex(e.seed()), path(e.chain().get("path").asText()));
                        byte[] key = Arrays.copyOf(node, 32);
                        assertEquals(e.chain().get("privateKey").asText(), Vectors.hex(key), "private key");
                        assertEquals(e.chain().get("chainCode").asText(), Vectors.hex(Arrays.copyOfRange(node, 32, 64)), "chain code");
                        assertEquals(e.chain().get("publicKey").asText(), "00" + Ed25519.publicKey(key).toHex(), "public key");
                        assertEquals(e.chain().get("privateKey").asText(),
                                Vectors.hex(Slip10.deriveKey(Vectors.hex(e.seed()), path(e.chain().get("path").asText()))),
                                "deriveKey is the first half of the node");
                    }));
        }
    }

    @Nested
    @DisplayName("inputs are checked before any work")
    class Inputs {

        @Test
        @DisplayName("a seed is 16 to 64 bytes")
        void seedLength() {
            assertThrows(IllegalArgumentException.class, () -> Slip10.master(new byte[15]));
            assertThrows(IllegalArgumentException.class, () -> Slip10.master(new byte[65]));
            assertThrows(IllegalArgumentException.class, () -> Slip10.master(null));
        }

        @Test
        @DisplayName("an index already carrying the hardened bit is refused, not hardened twice")
        void indexRange() {
            byte[] node = Slip10.master(new byte[16]);
            assertThrows(IllegalArgumentException.class, () -> Slip10.child(node, Slip10.HARDENED));
            assertThrows(IllegalArgumentException.class, () -> Slip10.child(new byte[63], 0));
        }
    }
}
