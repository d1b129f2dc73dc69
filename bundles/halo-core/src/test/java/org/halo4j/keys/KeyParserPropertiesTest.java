package org.halo4j.keys;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;

/** Properties of the key parsers: any input gives a result or a KeyFormatException, nothing else. */
class KeyParserPropertiesTest {

    @Property(tries = 500)
    @Label("RecoveryPhrase.parse: any text is accepted or refused with a KeyFormatException")
    void phraseNeverCrashes(@ForAll @StringLength(max = 1100) String text) {
        try {
            RecoveryPhrase.parse(text.toCharArray()).close();
        } catch (KeyFormatException expected) {
            // refused with a named problem
        }
    }

    @Property(tries = 300)
    @Label("RecoveryPhrase.parse: mixtures of list words and separators are accepted or refused with a KeyFormatException")
    void phraseOfWordsNeverCrashes(@ForAll("wordSoup") String text) {
        try {
            RecoveryPhrase.parse(text.toCharArray()).close();
        } catch (KeyFormatException expected) {
            // refused with a named problem
        }
    }

    @Provide
    Arbitrary<String> wordSoup() {
        Arbitrary<String> word = Arbitraries.integers().between(0, Bip39Wordlist.SIZE - 1)
                .map(i -> new String(Bip39Wordlist.bytes(i), StandardCharsets.US_ASCII));
        Arbitrary<String> sep = Arbitraries.of(" ", "  ", "\t", "\n", "\u3000", "\u00a0");
        return Arbitraries.integers().between(20, 26).flatMap(n -> word.list().ofSize(n).flatMap(ws ->
                sep.list().ofSize(n).map(ss -> {
                    StringBuilder b = new StringBuilder();
                    for (int i = 0; i < n; i++) {
                        b.append(ws.get(i)).append(ss.get(i));
                    }
                    return b.toString();
                })));
    }

    @Property(tries = 200)
    @Label("entropy -> words -> entropy is the identity for every entropy length")
    void entropyRoundTrip(@ForAll @IntRange(min = 0, max = 4) int step, @ForAll @Size(max = 32) byte[] bytes)
            throws KeyFormatException {
        int len = 16 + 4 * step; // 16, 20, 24, 28 or 32 bytes: 12 to 24 words
        byte[] entropy = Arrays.copyOf(bytes, len);
        int[] words = Bip39.wordsOf(entropy);
        assertEquals(len * 8 * 33 / 32 / 11, words.length);
        assertArrayEquals(entropy, Bip39.entropyOf(words));
        assertArrayEquals(words, Bip39.parse(Bip39.phraseChars(words), 0));
    }

    @Property(tries = 500)
    @Label("PublicKey.fromDidKey: any text is a key or a KeyFormatException")
    void didNeverCrashes(@ForAll @StringLength(max = 200) String text) {
        try {
            PublicKey.fromDidKey(text);
        } catch (KeyFormatException expected) {
            // refused with a named problem
        }
    }

    @Property(tries = 500)
    @Label("PublicKey.fromDidKey: did:key:z + any base58 text is a key or a KeyFormatException")
    void didBase58NeverCrashes(@ForAll("base58") String text) {
        try {
            PublicKey k = PublicKey.fromDidKey("did:key:z" + text);
            assertEquals("did:key:z" + text, k.toDidKey());
        } catch (KeyFormatException expected) {
            // refused with a named problem
        }
    }

    @Provide
    Arbitrary<String> base58() {
        return Arbitraries.strings().withChars("123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz").ofMaxLength(130);
    }
}
