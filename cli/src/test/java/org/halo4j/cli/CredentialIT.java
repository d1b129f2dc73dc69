package org.halo4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import org.halo4j.credentials.CredentialVerifier;
import org.halo4j.credentials.VerifiedCredential;
import org.halo4j.keys.PublicKey;
import org.halo4j.presentations.Challenge;
import org.halo4j.presentations.HaloVerifier;
import org.halo4j.presentations.InMemoryChallengeStore;
import org.halo4j.presentations.LoginResult;
import org.halo4j.proto.v1.Credential;
import org.halo4j.proto.v1.Presentation;
import org.halo4j.proto.v1.PresentationBody;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

@DisplayName("halo credential and halo presentation")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CredentialIT {

    private static final String ORIGIN = "https://app.example.com";

    private final Fixture f = Fixture.get();
    private String spaceId;
    private String aboutAlice;   // SpaceMember: Alice is OWNER of the space
    private String aboutOther;   // a credential whose subject is not Alice
    private Path dir;

    @BeforeAll
    void credentials() throws Exception {
        dir = f.newHome("credentials").getParent();
        spaceId = Halo.in(f.alice).run("space", "create", "Credentials", "--json").ok().json().get("spaceId").asText();
        JsonNode list = Halo.in(f.alice).run("credential", "list", "--space", spaceId, "--json").ok().json();
        String aliceKey = f.aliceDid; // issuers and subjects print as did:key
        for (JsonNode c : list) {
            assertThat(c.get("id").asText()).matches("[0-9a-f]{64}");
            assertThat(c.get("issuer").asText()).startsWith("did:key:z6Mk");
            if (c.get("type").asText().equals("SpaceMember") && c.get("subject").asText().equals(aliceKey)) {
                aboutAlice = c.get("id").asText();
            } else if (!c.get("subject").asText().equals(aliceKey)) {
                aboutOther = c.get("id").asText();
            }
        }
        assertThat(aboutAlice).as("a SpaceMember about Alice in %s", list).isNotNull();
        assertThat(aboutOther).as("a credential about another key in %s", list).isNotNull();
    }

    @Test
    @DisplayName("export, verify and show round trip; all credentials of the identity list without --space")
    void exportVerifyShow() throws Exception {
        Path file = dir.resolve("member.cred");
        JsonNode exported = Halo.in(f.alice).run("credential", "export", aboutAlice.substring(0, 10), "--out",
                file.toString(), "--json").ok().json();
        assertThat(exported.get("id").asText()).isEqualTo(aboutAlice);

        VerifiedCredential v = CredentialVerifier.builder().ignoreRevocation().build().verify(Files.readAllBytes(file));
        assertThat(v.id().toHex()).isEqualTo(aboutAlice);
        assertThat(v.subject().toDidKey()).isEqualTo(f.aliceDid);

        assertThat(Halo.anywhere().run("credential", "verify", file.toString()).ok().out()).startsWith("valid");
        JsonNode verified = Halo.anywhere().run("credential", "verify", file.toString(), "--json").ok().json();
        assertThat(verified.get("valid").asBoolean()).isTrue();
        assertThat(verified.get("type").asText()).isEqualTo("SpaceMember");
        assertThat(Halo.in(f.alice).run("credential", "verify", "--with-wallet", file.toString()).ok().out())
                .startsWith("valid");

        JsonNode shown = Halo.anywhere().run("credential", "show", file.toString(), "--json").ok().json();
        assertThat(shown.get("id").asText()).isEqualTo(aboutAlice);
        assertThat(shown.get("type").asText()).isEqualTo("SpaceMember");
        assertThat(shown.get("assertion").get("spaceKey").asText()).isEqualTo(spaceId);
        assertThat(shown.get("valid").asBoolean()).isTrue();

        JsonNode all = Halo.in(f.alice).run("credential", "list", "--json").ok().json();
        assertThat(all.findValuesAsText("id")).contains(aboutAlice);
        assertThat(all.findValuesAsText("type")).contains("AuthorizedDevice");
    }

    @Test
    @DisplayName("a tampered file fails verification with its reason, exit 1")
    void tampered() throws Exception {
        Path file = dir.resolve("tampered.cred");
        Halo.in(f.alice).run("credential", "export", aboutAlice, "--out", file.toString()).ok();
        Credential original = Credential.parseFrom(Files.readAllBytes(file));
        byte[] body = original.getBody().toByteArray();
        body[body.length - 1] ^= 1; // the last byte of the body: its nonce
        Files.write(file, original.toBuilder().setBody(com.google.protobuf.ByteString.copyFrom(body)).build().toByteArray());

        Halo.Result r = Halo.anywhere().run("credential", "verify", file.toString())
                .fails(ExitCode.FAILED, "signature.invalid");
        assertThat(r.err()).contains("does not verify");
        Halo.Result json = Halo.anywhere().run("credential", "verify", file.toString(), "--json");
        assertThat(json.exit()).isEqualTo(ExitCode.FAILED);
        assertThat(json.json().get("valid").asBoolean()).isFalse();
        assertThat(json.json().get("code").asText()).isEqualTo("signature.invalid");

        Halo.anywhere().run("credential", "verify", file + ".missing").fails(ExitCode.NOT_FOUND, "file.not_found");
        Halo.in(f.alice).run("credential", "export", "00000000", "--out", file.toString())
                .fails(ExitCode.NOT_FOUND, "credential.unknown");
    }

    @Test
    @DisplayName("presentation sign: a binary Presentation a relying party accepts for its origin and nonce only")
    void presentation() throws Exception {
        byte[] nonce = new byte[Challenge.NONCE_LENGTH];
        new SecureRandom().nextBytes(nonce);
        String nonceHex = HexFormat.of().formatHex(nonce);
        Path file = dir.resolve("login.presentation");
        JsonNode signed = Halo.in(f.alice).run("presentation", "sign", "--audience", ORIGIN, "--nonce", nonceHex,
                "--credential", aboutAlice, "--out", file.toString(), "--json").ok().json();
        assertThat(signed.get("did").asText()).isEqualTo(f.aliceDid);

        byte[] bytes = Files.readAllBytes(file);
        Presentation p = Presentation.parseFrom(bytes);
        PresentationBody body = PresentationBody.parseFrom(p.getBody());
        assertThat(PublicKey.of(body.getIdentity().toByteArray()).toDidKey()).isEqualTo(f.aliceDid);
        assertThat(body.getAudience()).isEqualTo(ORIGIN);
        assertThat(body.getNonce().toByteArray()).isEqualTo(nonce);
        assertThat(p.getCredentialsCount()).isEqualTo(1);

        InMemoryChallengeStore store = new InMemoryChallengeStore();
        Instant now = Instant.now();
        Challenge challenge = new Challenge(nonce, ORIGIN, now, now.plusSeconds(300));
        store.put(challenge);
        LoginResult login = HaloVerifier.builder().audience(ORIGIN).challengeStore(store).ignoreRevocation().build()
                .finishLogin(challenge, bytes);
        assertThat(login.did()).isEqualTo(f.aliceDid);
        assertThat(login.allPresented()).singleElement().satisfies(c -> assertThat(c.id().toHex()).isEqualTo(aboutAlice));

        assertThat(Halo.anywhere().run("presentation", "verify", file.toString(), "--audience", ORIGIN, "--nonce",
                nonceHex, "--json").ok().json().get("did").asText()).isEqualTo(f.aliceDid);
        Halo.anywhere().run("presentation", "verify", file.toString(), "--audience", "https://evil.example.com",
                "--nonce", nonceHex).fails(ExitCode.FAILED, "presentation.audience_mismatch");
        Halo.anywhere().run("presentation", "verify", file.toString(), "--audience", ORIGIN,
                "--nonce", "00".repeat(32)).fails(ExitCode.FAILED, "presentation.nonce_mismatch");
    }

    @Test
    @DisplayName("presentation sign refuses a credential about someone else: a relying party would reject it")
    void presentationOfAnotherSubject() {
        Path out = dir.resolve("never");
        Halo.in(f.alice).run("presentation", "sign", "--audience", ORIGIN, "--nonce", "ab".repeat(32), "--credential",
                aboutOther, "--out", out.toString()).fails(ExitCode.USAGE, "presentation.subject_mismatch");
        assertThat(out).doesNotExist();
    }
}
