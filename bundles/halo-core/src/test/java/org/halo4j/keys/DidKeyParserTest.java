package org.halo4j.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.EnumSet;
import java.util.Set;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("did:key parser: 'prefix, multibase letter, base58 alphabet, multicodec and length are each checked, "
        + "with an error that names which one failed'")
class DidKeyParserTest {

    static final String VALID = "did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp";
    /** The X25519 key agreement key of VALID: multicodec 0xec01. */
    static final String X25519_KEY = "did:key:z6LShs9GGnqk85isEBzzshkuVWrVKsRp24GnDuHk8QWkARMW";

    static KeyFormatException.Problem problem(String did) {
        return assertThrows(KeyFormatException.class, () -> PublicKey.fromDidKey(did)).problem();
    }

    static String didOf(byte[] codec, int keyLength) {
        byte[] b = new byte[codec.length + keyLength];
        System.arraycopy(codec, 0, b, 0, codec.length);
        for (int i = codec.length; i < b.length; i++) {
            b[i] = (byte) (i * 7 + 1);
        }
        return "did:key:z" + Base58.encode(b);
    }

    @Test
    @DisplayName("a valid did:key parses")
    void valid() throws KeyFormatException {
        assertEquals(VALID, PublicKey.fromDidKey(VALID).toDidKey());
    }

    @Nested
    @DisplayName("prefix: 'did:key:z' (did:key, base58btc multibase)")
    class Prefix {

        @ParameterizedTest
        @ValueSource(strings = {"did:web:example.com", "DID:KEY:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp",
                "did:key:u7QE", "did:key:", "z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp", ""})
        @DisplayName("anything else: NOT_DID_KEY")
        void wrongPrefix(String did) {
            assertEquals(KeyFormatException.Problem.NOT_DID_KEY, problem(did));
        }
    }

    @Nested
    @DisplayName("multicodec: '0xed01 (ed25519-pub)'")
    class Multicodec {

        @Test
        @DisplayName("an X25519 key (z6LS…, 0xec01): WRONG_MULTICODEC")
        void x25519() {
            KeyFormatException e = assertThrows(KeyFormatException.class, () -> PublicKey.fromDidKey(X25519_KEY));
            assertEquals(KeyFormatException.Problem.WRONG_MULTICODEC, e.problem());
            assertEquals("did:key: expected multicodec 0xed01 (ed25519-pub), found 0xec01", e.getMessage());
        }

        @Test
        @DisplayName("a secp256k1 key (0xe701) and nothing at all: WRONG_MULTICODEC")
        void others() {
            assertEquals(KeyFormatException.Problem.WRONG_MULTICODEC, problem(didOf(new byte[] {(byte) 0xe7, 0x01}, 33)));
            assertEquals(KeyFormatException.Problem.WRONG_MULTICODEC, problem("did:key:z"));
            assertEquals(KeyFormatException.Problem.WRONG_MULTICODEC, problem("did:key:z1"));
        }
    }

    @Nested
    @DisplayName("length: 'an Ed25519 key is 32 bytes'")
    class Length {

        @ParameterizedTest(name = "{0} bytes")
        @ValueSource(ints = {0, 1, 31, 33, 64})
        @DisplayName("0xed01 followed by anything but 32 bytes: WRONG_LENGTH")
        void wrongLength(int n) {
            assertEquals(KeyFormatException.Problem.WRONG_LENGTH, problem(didOf(DidKey.ED25519_CODEC, n)));
        }

        @Test
        @DisplayName("null: WRONG_LENGTH")
        void none() {
            assertEquals(KeyFormatException.Problem.WRONG_LENGTH, problem(null));
        }
    }

    @Nested
    @DisplayName("base58: 'the Bitcoin alphabet, without 0, O, I and l'")
    class Base58Alphabet {

        @ParameterizedTest
        @ValueSource(strings = {"0", "O", "I", "l", "+", "/", "=", " ", "\u00e9", "\uff41"})
        @DisplayName("a character outside the alphabet: NOT_BASE58")
        void badCharacter(String c) {
            String did = VALID.substring(0, 20) + c + VALID.substring(21);
            assertEquals(KeyFormatException.Problem.NOT_BASE58, problem(did));
        }
    }

    @Nested
    @DisplayName("bound: 'at most 128 characters, checked before any decoding'")
    class Bound {

        @Test
        @DisplayName("129 characters: TOO_LONG; 128 characters are decoded (and here fail on length)")
        void tooLong() {
            String at = "did:key:z" + "2".repeat(128 - 9);
            assertEquals(KeyFormatException.Problem.WRONG_MULTICODEC, problem(at));
            assertEquals(KeyFormatException.Problem.TOO_LONG, problem(at + "2"));
            assertEquals(KeyFormatException.Problem.TOO_LONG, problem(VALID + "x".repeat(10_000)));
        }
    }

    @Test
    @DisplayName("wrong prefix, multicodec, length, base58 character and size each have their own Problem code")
    void distinctCodes() {
        Set<KeyFormatException.Problem> seen = EnumSet.noneOf(KeyFormatException.Problem.class);
        seen.add(problem("did:web:example.com"));
        seen.add(problem(X25519_KEY));
        seen.add(problem(didOf(DidKey.ED25519_CODEC, 31)));
        seen.add(problem(VALID.replace('T', '0')));
        seen.add(problem(VALID + "2".repeat(100)));
        assertEquals(EnumSet.of(KeyFormatException.Problem.NOT_DID_KEY, KeyFormatException.Problem.WRONG_MULTICODEC,
                KeyFormatException.Problem.WRONG_LENGTH, KeyFormatException.Problem.NOT_BASE58,
                KeyFormatException.Problem.TOO_LONG), seen);
        assertEquals(Set.of("did.prefix", "did.multicodec", "key.length", "did.base58", "input.too_long"),
                Set.of(KeyFormatException.Problem.NOT_DID_KEY.code(), KeyFormatException.Problem.WRONG_MULTICODEC.code(),
                        KeyFormatException.Problem.WRONG_LENGTH.code(), KeyFormatException.Problem.NOT_BASE58.code(),
                        KeyFormatException.Problem.TOO_LONG.code()));
    }
}
