package org.halo4j.keys;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

@DisplayName("BIP39 English: the published vectors (trezor/python-mnemonic, passphrase TREZOR)")
class Bip39VectorsTest {

    static final char[] TREZOR = "TREZOR".toCharArray();

    static List<JsonNode> english() {
        List<JsonNode> out = new ArrayList<>();
        Vectors.read("bip39-vectors.json").get("english").forEach(out::add);
        return out;
    }

    @Test
    @DisplayName("the vector file holds all 24 English vectors")
    void all24() {
        assertEquals(24, english().size());
    }

    @Nested
    @DisplayName("entropy -> mnemonic -> seed: 'words = entropy || SHA-256(entropy)[ENT/32 bits], 11 bits each; "
            + "seed = PBKDF2-HMAC-SHA512(mnemonic, \"mnemonic\" || passphrase, 2048)'")
    class EntropyMnemonicSeed {

        @TestFactory
        Stream<DynamicTest> vectors() {
            List<JsonNode> vs = english();
            return IntStream.range(0, vs.size()).mapToObj(i -> {
                JsonNode v = vs.get(i);
                String mnemonic = v.get(1).asText();
                return DynamicTest.dynamicTest("vector " + (i + 1) + " (" + mnemonic.split(" ").length + " words)", () -> {
                    byte[] entropy = Vectors.hex(v.get(0));
                    int[] words = Bip39.wordsOf(entropy);
                    assertEquals(mnemonic, new String(Bip39.phraseChars(words)), "entropy -> mnemonic");
                    assertArrayEquals(mnemonic.getBytes(StandardCharsets.US_ASCII), Bip39.phraseBytes(words));

                    int[] parsed = Bip39.parse(mnemonic.toCharArray(), 0);
                    assertArrayEquals(words, parsed, "mnemonic -> words");
                    assertArrayEquals(entropy, Bip39.entropyOf(parsed), "mnemonic -> entropy");

                    assertEquals(v.get(2).asText(), Vectors.hex(Bip39.seedWithTestPassphrase(parsed, TREZOR)), "seed");
                });
            });
        }
    }
}
