package org.halo4j.credentials;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HexFormat;
import org.halo4j.keys.InMemoryKeyring;
import org.halo4j.keys.PublicKey;
import org.halo4j.keys.SignatureDomain;
import org.halo4j.proto.v1.Credential;
import org.halo4j.proto.v1.CredentialBody;
import org.halo4j.proto.v1.Proof;
import org.halo4j.proto.v1.SpaceMember;
import org.halo4j.proto.v1.SpaceRole;
import org.halo4j.testing.Agents;
import org.halo4j.testing.WireDump;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Keeps the annotated hex dump in docs/credentials.md true: it is the dump of a real, deterministic
 * credential that this test builds and verifies. Run with {@code -Dhalo.updateDocs=true} to rewrite it.
 */
@DisplayName("docs/credentials.md shows a real credential")
class CredentialFormatDocTest {

    static final Path DOC = Path.of("../../docs/credentials.md");
    static final String BEGIN = "<!-- credential-dump:begin -->\n";
    static final String END = "<!-- credential-dump:end -->";

    static Credential example() throws Exception {
        InMemoryKeyring keyring = new InMemoryKeyring();
        PublicKey owner = keyring.importSeed(seed(0x01));
        PublicKey space = keyring.importSeed(seed(0x02));
        PublicKey member = keyring.importSeed(seed(0x03));
        SpaceMember assertion = SpaceMember.newBuilder().setSpaceKey(Agents.bytes(space)).setRole(SpaceRole.SPACE_ROLE_EDITOR).build();
        CredentialBody body = Agents.body(owner, member, assertion, Instant.parse("2026-11-22T10:00:00Z"))
                .setNonce(ByteString.copyFrom(HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f"))).build();
        byte[] signature = keyring.sign(owner, SignatureDomain.CREDENTIAL, body.toByteArray());
        return Credential.newBuilder().setBody(body.toByteString())
                .setProof(Proof.newBuilder().setSigner(Agents.bytes(owner)).setSignature(ByteString.copyFrom(signature)))
                .build();
    }

    static byte[] seed(int b) {
        byte[] s = new byte[32];
        java.util.Arrays.fill(s, (byte) b);
        return s;
    }

    @Test
    @DisplayName("the dump in the doc is the dump of a credential that verifies")
    void dumpIsCurrent() throws Exception {
        Credential c = example();
        VerifiedCredential v = CredentialVerifier.builder().ignoreRevocation().clock(Agents.at(Instant.parse("2026-11-22T10:00:00Z"))).build()
                .verify(c.toByteArray(), SpaceMember.class);
        String dump = "```\n" + WireDump.dump(Credential.getDescriptor(), c.toByteString()) + "```\n"
                + "\nid = SHA-256(body) = `" + v.id().toHex() + "`\n";
        String doc = Files.readString(DOC, StandardCharsets.UTF_8);
        int b = doc.indexOf(BEGIN);
        int e = doc.indexOf(END);
        assertThat(b).as("markers in " + DOC).isNotNegative();
        String updated = doc.substring(0, b + BEGIN.length()) + dump + doc.substring(e);
        if (Boolean.getBoolean("halo.updateDocs")) {
            Files.writeString(DOC, updated, StandardCharsets.UTF_8);
            return;
        }
        assertThat(doc).as("docs/credentials.md is stale; run this test with -Dhalo.updateDocs=true").isEqualTo(updated);
    }
}
