package org.halo4j.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

@DisplayName("Wycheproof X25519 (testvectors_v1, xdh_comp): every case through X25519.agreeScalar")
class WycheproofX25519Test {

    static final String ZERO = "00".repeat(32);

    static List<JsonNode> cases() {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode group : Vectors.read("wycheproof-x25519.json").get("testGroups")) {
            group.get("tests").forEach(out::add);
        }
        return out;
    }

    @Test
    @DisplayName("the vector file holds 518 cases, none 'invalid'; 31 have an all-zero shared secret")
    void counts() {
        List<JsonNode> all = cases();
        assertEquals(518, all.size());
        assertEquals(0, all.stream().filter(t -> t.get("result").asText().equals("invalid")).count());
        assertEquals(31, all.stream().filter(t -> t.get("shared").asText().equals(ZERO)).count());
        assertEquals(all.stream().filter(t -> t.get("shared").asText().equals(ZERO)).count(),
                all.stream().filter(t -> flags(t).contains("ZeroSharedSecret")).count(),
                "the ZeroSharedSecret flag marks exactly the all-zero results");
    }

    static String flags(JsonNode t) {
        return t.get("flags").toString();
    }

    @Nested
    @DisplayName("'X25519 per RFC 7748 (twist and non-canonical points computed as the RFC defines); "
            + "a low-order peer key, whose shared secret is all zeros, is refused'")
    class Agree {

        @TestFactory
        Stream<DynamicTest> everyCase() {
            return cases().stream().map(t -> DynamicTest.dynamicTest(
                    "tcId " + t.get("tcId").asInt() + " " + t.get("result").asText() + " " + flags(t), () -> {
                        byte[] k = Vectors.hex(t.get("private"));
                        byte[] u = Vectors.hex(t.get("public"));
                        String shared = t.get("shared").asText();
                        if (shared.equals(ZERO)) {
                            assertThrows(IllegalArgumentException.class, () -> X25519.agreeScalar(k, u));
                        } else {
                            assertEquals(shared, Vectors.hex(X25519.agreeScalar(k, u)));
                        }
                    }));
        }
    }

    @Nested
    @DisplayName("Keyring.agree: 'the peer key is 32 bytes and not of low order'")
    class Keyring {

        @Test
        @DisplayName("every low-order peer key of the vectors is refused by a keyring too")
        void lowOrderThroughKeyring() throws Exception {
            InMemoryKeyring keyring = new InMemoryKeyring();
            PublicKey key = keyring.generate();
            long refused = 0;
            for (JsonNode t : cases()) {
                if (t.get("shared").asText().equals(ZERO)) {
                    byte[] u = Vectors.hex(t.get("public"));
                    assertThrows(IllegalArgumentException.class, () -> keyring.agree(key, u));
                    refused++;
                }
            }
            assertEquals(31, refused);
        }

        @Test
        @DisplayName("a peer key of 31 or 33 bytes is refused before any work")
        void lengths() {
            InMemoryKeyring keyring = new InMemoryKeyring();
            assertThrows(IllegalArgumentException.class, () -> keyring.agree(keyring.generate(), new byte[31]));
            assertThrows(IllegalArgumentException.class, () -> keyring.agree(keyring.generate(), new byte[33]));
            assertThrows(IllegalArgumentException.class, () -> X25519.agreeScalar(new byte[31], new byte[32]));
        }
    }
}
