package org.halo4j.keys;

import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.halo4j.internal.json.Json;

/**
 * The W3C DID Core document of a {@code did:key} Ed25519 identity, built exactly as the did:key method's
 * published test vectors build it: two verification methods, the Ed25519 key itself and the X25519 key derived
 * from it; the Ed25519 key is used for {@code assertionMethod}, {@code authentication},
 * {@code capabilityInvocation} and {@code capabilityDelegation}, the X25519 key for {@code keyAgreement}.
 * The document is a pure function of the key: it is never stored or fetched.
 */
public final class DidDocument {

    /** How the two verification methods carry their keys. */
    public enum Format {
        /** {@code Ed25519VerificationKey2018} and {@code X25519KeyAgreementKey2019}, with {@code publicKeyBase58}. */
        ED25519_2018(List.of("https://www.w3.org/ns/did/v1",
                "https://w3id.org/security/suites/ed25519-2018/v1",
                "https://w3id.org/security/suites/x25519-2019/v1")),
        /** {@code JsonWebKey2020} for both, with {@code publicKeyJwk} ({@code kty} OKP, base64url {@code x}). */
        JSON_WEB_KEY_2020(List.of("https://www.w3.org/ns/did/v1",
                "https://w3id.org/security/suites/jws-2020/v1"));

        private final List<String> context;

        Format(List<String> context) {
            this.context = context;
        }
    }

    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private final String id;
    private final byte[] signingKey;
    private final byte[] agreementKey;
    private final String signingKeyId;
    private final String agreementKeyId;

    private DidDocument(PublicKey key) {
        this.agreementKey = X25519.publicKeyOf(key);
        this.signingKey = key.toBytes();
        this.id = key.toDidKey();
        this.signingKeyId = id + "#" + DidKey.multibaseEd25519(key);
        this.agreementKeyId = id + "#" + DidKey.multibaseX25519(agreementKey);
    }

    /**
     * The DID document of {@code key}.
     *
     * @throws IllegalArgumentException if the key has no X25519 form (its y coordinate is 1)
     */
    public static DidDocument of(PublicKey key) {
        return new DidDocument(key);
    }

    /** The DID: {@code did:key:z6Mk…}. */
    public String id() {
        return id;
    }

    /** The id of the key-agreement method: {@code did:key:z6Mk…#z6LS…}. */
    public String keyAgreementId() {
        return agreementKeyId;
    }

    /** The document in {@link Format#ED25519_2018}, as compact JSON: see {@link #toJson(Format)}. */
    public String toJson() {
        return toJson(Format.ED25519_2018);
    }

    /**
     * The document as compact JSON, with members in the order of the did:key test vectors: {@code @context},
     * {@code id}, {@code verificationMethod}, {@code assertionMethod}, {@code authentication},
     * {@code capabilityInvocation}, {@code capabilityDelegation}, {@code keyAgreement}.
     */
    public String toJson(Format format) {
        List<String> signing = List.of(signingKeyId);
        Map<String, Object> doc = Json.object();
        doc.put("@context", format.context);
        doc.put("id", id);
        Map<String, Object> signingMethod = method(signingKeyId,
                format == Format.ED25519_2018 ? "Ed25519VerificationKey2018" : "JsonWebKey2020");
        Map<String, Object> agreementMethod = method(agreementKeyId,
                format == Format.ED25519_2018 ? "X25519KeyAgreementKey2019" : "JsonWebKey2020");
        if (format == Format.ED25519_2018) {
            signingMethod.put("publicKeyBase58", Base58.encode(signingKey));
            agreementMethod.put("publicKeyBase58", Base58.encode(agreementKey));
        } else {
            signingMethod.put("publicKeyJwk", jwk("Ed25519", signingKey));
            agreementMethod.put("publicKeyJwk", jwk("X25519", agreementKey));
        }
        doc.put("verificationMethod", List.of(signingMethod, agreementMethod));
        doc.put("assertionMethod", signing);
        doc.put("authentication", signing);
        doc.put("capabilityInvocation", signing);
        doc.put("capabilityDelegation", signing);
        doc.put("keyAgreement", List.of(agreementKeyId));
        return Json.write(doc);
    }

    /** A verification method's id, type and controller; the caller adds the key. */
    private Map<String, Object> method(String methodId, String type) {
        Map<String, Object> m = Json.object();
        m.put("id", methodId);
        m.put("type", type);
        m.put("controller", id);
        return m;
    }

    private static Map<String, Object> jwk(String curve, byte[] key) {
        Map<String, Object> m = Json.object();
        m.put("kty", "OKP");
        m.put("crv", curve);
        m.put("x", BASE64URL.encodeToString(key));
        return m;
    }

    /** Equal when the DIDs are equal: the document is a function of the key. */
    @Override
    public boolean equals(Object o) {
        return o instanceof DidDocument other && id.equals(other.id);
    }

    @Override
    public int hashCode() {
        return id.hashCode();
    }

    /** Same as {@link #toJson()}. */
    @Override
    public String toString() {
        return toJson();
    }
}
