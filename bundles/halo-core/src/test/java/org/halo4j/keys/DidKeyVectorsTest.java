package org.halo4j.keys;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

@DisplayName("did:key Ed25519: the published vectors (w3c-ccg/did-method-key)")
class DidKeyVectorsTest {

    static List<Map.Entry<String, JsonNode>> vectors() {
        List<Map.Entry<String, JsonNode>> out = new ArrayList<>();
        out.addAll(Vectors.read("did-key-ed25519.json").properties());
        return out;
    }

    @Test
    @DisplayName("the vector file holds 5 vectors")
    void five() {
        assertEquals(5, vectors().size());
    }

    static Stream<DynamicTest> each(String what, VectorCheck check) {
        return vectors().stream().map(e -> DynamicTest.dynamicTest(what + ": " + e.getKey(), () -> check.run(e.getKey(), e.getValue())));
    }

    interface VectorCheck {
        void run(String did, JsonNode v) throws Exception;
    }

    /** The vector's text form of a public key: publicKeyBase58, or publicKeyJwk.x (base64url) in the JWK vector. */
    static void assertPublicKeyText(byte[] key, JsonNode pair) {
        if (pair.has("publicKeyBase58")) {
            assertEquals(pair.get("publicKeyBase58").asText(), Base58.encode(key), "publicKeyBase58");
            assertArrayEquals(key, Base58.decode(pair.get("publicKeyBase58").asText(), 64));
        } else {
            assertEquals(pair.get("publicKeyJwk").get("x").asText(), BASE64URL.encodeToString(key), "publicKeyJwk.x");
        }
    }

    /** The vector's text form of a private key: privateKeyBase58, or privateKeyJwk.d (base64url). */
    static void assertPrivateKeyText(byte[] key, JsonNode pair) {
        if (pair.has("privateKeyBase58")) {
            assertEquals(pair.get("privateKeyBase58").asText(), Base58.encode(key), "privateKeyBase58");
        } else {
            assertEquals(pair.get("privateKeyJwk").get("d").asText(), BASE64URL.encodeToString(key), "privateKeyJwk.d");
        }
    }

    static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    @Nested
    @DisplayName("'did:key:z + base58btc(0xed 0x01 || public key)'")
    class Did {

        @TestFactory
        Stream<DynamicTest> didString() {
            return each("seed -> did", (did, v) -> {
                PublicKey key = Ed25519.publicKey(Vectors.hex(v.get("seed")));
                assertEquals(did, key.toDidKey());
                assertTrue(v.get("verificationKeyPair").get("id").asText().endsWith("#" + DidKey.multibaseEd25519(key)));
                assertEquals(key, PublicKey.fromDidKey(did), "the did parses back to its key");
            });
        }

        @TestFactory
        Stream<DynamicTest> publicKeyText() {
            return each("Ed25519 public key text", (did, v) -> {
                assertPublicKeyText(Ed25519.publicKey(Vectors.hex(v.get("seed"))).toBytes(), v.get("verificationKeyPair"));
                if (v.get("verificationKeyPair").has("privateKeyJwk")) {
                    assertPrivateKeyText(Vectors.hex(v.get("seed")), v.get("verificationKeyPair"));
                }
            });
        }
    }

    @Nested
    @DisplayName("'keyAgreement is the X25519 key derived from the Ed25519 key'")
    class KeyAgreement {

        @TestFactory
        Stream<DynamicTest> x25519Public() {
            return each("X25519 public key", (did, v) -> {
                PublicKey key = PublicKey.fromDidKey(did);
                byte[] x = X25519.publicKeyOf(key);
                JsonNode ka = v.get("keyAgreementKeyPair");
                assertPublicKeyText(x, ka);
                assertTrue(ka.get("id").asText().endsWith("#" + DidKey.multibaseX25519(x)));
            });
        }

        @TestFactory
        Stream<DynamicTest> x25519Private() {
            return each("X25519 private scalar", (did, v) -> {
                byte[] scalar = X25519.privateScalarOf(Vectors.hex(v.get("seed")));
                assertPrivateKeyText(scalar, v.get("keyAgreementKeyPair"));
                byte[] pub = new byte[32];
                org.bouncycastle.math.ec.rfc7748.X25519.scalarMultBase(scalar, 0, pub, 0);
                assertArrayEquals(X25519.publicKeyOf(PublicKey.fromDidKey(did)), pub,
                        "the private scalar and the birational map agree");
            });
        }

        @Test
        @DisplayName("two keyrings agree on one shared secret through the derived X25519 keys")
        void sharedSecret() throws Exception {
            List<Map.Entry<String, JsonNode>> vs = vectors();
            InMemoryKeyring a = new InMemoryKeyring();
            InMemoryKeyring b = new InMemoryKeyring();
            PublicKey ka = a.importSeed(Vectors.hex(vs.get(1).getValue().get("seed")));
            PublicKey kb = b.importSeed(Vectors.hex(vs.get(2).getValue().get("seed")));
            assertArrayEquals(a.agree(ka, X25519.publicKeyOf(kb)), b.agree(kb, X25519.publicKeyOf(ka)));
        }
    }

    @Nested
    @DisplayName("DID document: 'exactly as the did:key vectors build it'")
    class Document {

        @TestFactory
        Stream<DynamicTest> wholeDocument() {
            return each("DID document", (did, v) -> {
                JsonNode expected = v.get("didDocument");
                DidDocument.Format format = expected.get("verificationMethod").get(0).get("type").asText().equals("JsonWebKey2020")
                        ? DidDocument.Format.JSON_WEB_KEY_2020 : DidDocument.Format.ED25519_2018;
                DidDocument doc = DidDocument.of(PublicKey.fromDidKey(did));
                JsonNode actual = Vectors.JSON.readTree(doc.toJson(format));
                assertEquals(expected, actual, "same JSON tree");
                assertSameMemberOrder(expected, actual, "$");
                assertEquals(did, doc.id());
                assertEquals(expected.get("keyAgreement").get(0).asText(), doc.keyAgreementId());
            });
        }

        @Test
        @DisplayName("a key with no X25519 form (y = 1, the neutral point) has no DID document")
        void neutralPoint() {
            byte[] y1 = new byte[32];
            y1[0] = 1;
            PublicKey neutral = PublicKey.of(y1);
            assertThrows(IllegalArgumentException.class, () -> DidDocument.of(neutral));
        }

        @Test
        @DisplayName("four vectors use Ed25519VerificationKey2018 (the default toJson()), one JsonWebKey2020")
        void formats() throws Exception {
            long base58 = vectors().stream()
                    .filter(e -> e.getValue().get("didDocument").get("verificationMethod").get(0).has("publicKeyBase58")).count();
            assertEquals(4, base58);
            Map.Entry<String, JsonNode> first = vectors().get(0);
            DidDocument doc = DidDocument.of(PublicKey.fromDidKey(first.getKey()));
            assertEquals(doc.toJson(DidDocument.Format.ED25519_2018), doc.toJson());
            assertEquals(first.getValue().get("didDocument"), Vectors.JSON.readTree(doc.toJson()));
        }
    }

    /** Jackson's tree equality ignores member order; the vectors' order is part of what we match. */
    static void assertSameMemberOrder(JsonNode expected, JsonNode actual, String where) {
        if (expected.isObject()) {
            List<String> e = new ArrayList<>();
            List<String> a = new ArrayList<>();
            expected.properties().forEach(m -> e.add(m.getKey()));
            actual.properties().forEach(m -> a.add(m.getKey()));
            assertEquals(e, a, "member order at " + where);
            for (String name : e) {
                assertSameMemberOrder(expected.get(name), actual.get(name), where + "." + name);
            }
        } else if (expected.isArray()) {
            Iterator<JsonNode> ai = actual.elements();
            int i = 0;
            for (JsonNode en : expected) {
                assertSameMemberOrder(en, ai.next(), where + "[" + i++ + "]");
            }
        }
    }
}
