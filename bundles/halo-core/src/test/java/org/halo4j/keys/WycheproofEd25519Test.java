package org.halo4j.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

@DisplayName("Wycheproof Ed25519 (testvectors_v1, eddsa_verify): every case")
class WycheproofEd25519Test {

    record Case(byte[] publicKey, JsonNode test) {
    }

    static List<Case> cases() {
        List<Case> out = new ArrayList<>();
        for (JsonNode group : Vectors.read("wycheproof-ed25519.json").get("testGroups")) {
            byte[] pk = Vectors.hex(group.get("publicKey").get("pk"));
            for (JsonNode t : group.get("tests")) {
                out.add(new Case(pk, t));
            }
        }
        return out;
    }

    @Test
    @DisplayName("the vector file holds 151 cases, 88 valid and 63 invalid, and no 'acceptable' ones")
    void counts() {
        List<Case> all = cases();
        assertEquals(151, all.size());
        assertEquals(151, Vectors.read("wycheproof-ed25519.json").get("numberOfTests").asInt());
        assertEquals(88, all.stream().filter(c -> c.test().get("result").asText().equals("valid")).count());
        assertEquals(63, all.stream().filter(c -> c.test().get("result").asText().equals("invalid")).count());
    }

    @Nested
    @DisplayName("'strict RFC 8032 verification: canonical S, canonical point encodings; wrong lengths are false'")
    class Verify {

        @TestFactory
        Stream<DynamicTest> everyCase() {
            return cases().stream().map(c -> {
                JsonNode t = c.test();
                String name = "tcId " + t.get("tcId").asInt() + " " + t.get("result").asText() + " " + t.get("flags")
                        + (t.get("comment").asText().isEmpty() ? "" : ": " + t.get("comment").asText());
                return DynamicTest.dynamicTest(name, () -> {
                    boolean expected = t.get("result").asText().equals("valid");
                    boolean actual = Ed25519.verifyRaw(c.publicKey(), Vectors.hex(t.get("msg")), Vectors.hex(t.get("sig")));
                    assertEquals(expected, actual);
                });
            });
        }
    }
}
