package org.halo4j.cli;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.halo4j.credentials.Assertions;
import org.halo4j.credentials.Credentials;
import org.halo4j.internal.json.Json;
import org.halo4j.proto.v1.Credential;
import org.halo4j.proto.v1.CredentialBody;
import org.halo4j.proto.v1.Proof;

/**
 * What a credential says, for {@code credential show}: read leniently, so that a credential that does not verify
 * can still be looked at. Written with {@link Format}: issuer and subject as did:key, keys and ids in hex. Nothing here decides validity; the verifier does.
 */
final class Describe {

    private static final int MAX_CHAIN = 8;

    private Describe() {
    }

    /** The fields of {@code credential} as a JSON-ready map. */
    static Map<String, Object> credential(Credential credential) {
        Map<String, Object> o = Json.object();
        o.put("id", Credentials.id(credential).toHex());
        CredentialBody body;
        try {
            body = CredentialBody.parseFrom(credential.getBody());
        } catch (InvalidProtocolBufferException e) {
            o.put("body", "unreadable: " + e.getMessage());
            return o;
        }
        String type = typeName(body.getAssertion().getTypeUrl());
        o.put("type", type);
        o.put("issuer", Format.did(body.getIssuer()));
        o.put("subject", Format.subject(type, body.getSubject()));
        o.put("issuedAt", body.hasIssuedAt() ? Format.time(body.getIssuedAt()) : null);
        o.put("expiresAt", body.hasExpiresAt() ? Format.time(body.getExpiresAt()) : null);
        o.put("assertion", assertion(body).orElse(null));
        List<String> parents = new ArrayList<>();
        body.getParentsList().forEach(p -> parents.add(Format.hex(p)));
        o.put("parents", parents);
        o.put("signer", credential.hasProof() ? Format.hex(credential.getProof().getSigner()) : null);
        o.put("chain", chain(credential.getProof()));
        return o;
    }

    /** The devices between signer and issuer: each link's issuer → subject, signer side first. */
    private static List<Object> chain(Proof proof) {
        List<Object> links = new ArrayList<>();
        Proof p = proof;
        while (p.hasChain() && links.size() < MAX_CHAIN) {
            Credential link = p.getChain().getCredential();
            Map<String, Object> l = Json.object();
            l.put("id", Credentials.id(link).toHex());
            try {
                CredentialBody b = CredentialBody.parseFrom(link.getBody());
                l.put("issuer", Format.did(b.getIssuer()));
                l.put("subject", Format.hex(b.getSubject()));
            } catch (InvalidProtocolBufferException e) {
                l.put("body", "unreadable");
            }
            links.add(l);
            p = link.getProof();
        }
        return links;
    }

    /** Short type name from a type URL, e.g. {@code SpaceMember}. */
    static String typeName(String typeUrl) {
        int dot = typeUrl.lastIndexOf('.');
        return dot >= 0 ? typeUrl.substring(dot + 1) : typeUrl;
    }

    private static Optional<Map<String, Object>> assertion(CredentialBody body) {
        String url = body.getAssertion().getTypeUrl();
        for (Class<? extends Message> type : Assertions.types()) {
            if (Assertions.typeUrl(type).equals(url)) {
                try {
                    Message prototype = (Message) type.getMethod("getDefaultInstance").invoke(null);
                    return Optional.of(message(prototype.getParserForType().parseFrom(body.getAssertion().getValue())));
                } catch (ReflectiveOperationException | InvalidProtocolBufferException e) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }

    /** A protobuf message as a map: bytes in hex, enums by name, nested messages as maps. */
    static Map<String, Object> message(Message m) {
        Map<String, Object> o = Json.object();
        for (Map.Entry<FieldDescriptor, Object> e : m.getAllFields().entrySet()) {
            FieldDescriptor f = e.getKey();
            if (f.isRepeated()) {
                List<Object> items = new ArrayList<>();
                for (Object item : (List<?>) e.getValue()) {
                    items.add(value(item));
                }
                o.put(f.getJsonName(), items);
            } else {
                o.put(f.getJsonName(), value(e.getValue()));
            }
        }
        return o;
    }

    private static Object value(Object v) {
        if (v instanceof ByteString b) {
            return Format.hex(b);
        }
        if (v instanceof EnumValueDescriptor e) {
            return Format.enumValue(e);
        }
        if (v instanceof Timestamp t) {
            return Format.time(t);
        }
        if (v instanceof Message m) {
            return message(m);
        }
        if (v instanceof Float || v instanceof Double) {
            return v.toString();
        }
        return v;
    }
}
