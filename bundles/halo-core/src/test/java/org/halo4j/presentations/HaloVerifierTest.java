package org.halo4j.presentations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.halo4j.errors.HaloRejectedException;
import org.halo4j.credentials.CredentialVerifier;
import org.halo4j.credentials.Credentials;
import org.halo4j.credentials.Limits;
import org.halo4j.errors.RejectionCode;
import org.halo4j.credentials.Signer;
import org.halo4j.keys.PublicKey;
import org.halo4j.keys.SignatureDomain;
import org.halo4j.proto.v1.Credential;
import org.halo4j.proto.v1.DeviceScope;
import org.halo4j.proto.v1.IdentityProfile;
import org.halo4j.proto.v1.Presentation;
import org.halo4j.proto.v1.PresentationBody;
import org.halo4j.proto.v1.SpaceMember;
import org.halo4j.proto.v1.SpaceRole;
import org.halo4j.testing.Agents;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

@DisplayName("HaloVerifier: login with a presentation")
class HaloVerifierTest {

    static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
    static final String SITE = "https://app.example.com";

    Agents agents;
    PublicKey identity;
    Signer device;
    HaloVerifier verifier;
    Clock clock = Agents.at(NOW);

    @BeforeEach
    void setUp() throws Exception {
        agents = new Agents();
        identity = agents.newKey();
        device = agents.newDevice(agents.self(identity), DeviceScope.DEVICE_SCOPE_WRITE);
        verifier = verifier(SITE, new InMemoryChallengeStore());
    }

    HaloVerifier verifier(String audience, ChallengeStore store) {
        return HaloVerifier.builder().audience(audience).challengeStore(store)
                .credentialVerifier(CredentialVerifier.builder().ignoreRevocation().clock(clock).build()).clock(clock).build();
    }

    byte[] present(Signer signer, Challenge c, List<Credential> credentials) throws Exception {
        return Presentations.sign(signer, c.nonce(), c.audience(), credentials, clock).toByteArray();
    }

    Credential profile() throws Exception {
        return Credentials.issue(agents.self(identity)).clock(clock).subject(identity)
                .assertion(IdentityProfile.newBuilder().setDisplayName("Ada").build()).sign();
    }

    static void assertRejected(RejectionCode code, Executable e) {
        try {
            e.execute();
        } catch (HaloRejectedException r) {
            assertThat(r.code()).as(r.getMessage()).isEqualTo(code);
            return;
        } catch (Throwable t) {
            throw new AssertionError("expected a rejection with " + code + ", got " + t, t);
        }
        throw new AssertionError("expected a rejection with " + code + ", but the login succeeded");
    }

    @Test
    @DisplayName("a presentation finds its own challenge by nonce, once; an unknown nonce costs no verification")
    void loginByNonce() throws Exception {
        Challenge c = verifier.startLogin();
        byte[] p = present(device, c, List.of());
        assertThat(verifier.finishLogin(p).identity()).isEqualTo(identity);
        assertRejected(RejectionCode.CHALLENGE_UNKNOWN, () -> verifier.finishLogin(p));
        HaloVerifier elsewhere = verifier(SITE, new InMemoryChallengeStore());
        Challenge theirs = elsewhere.startLogin();
        assertRejected(RejectionCode.CHALLENGE_UNKNOWN, () -> verifier.finishLogin(present(device, theirs, List.of())));
        assertRejected(RejectionCode.MALFORMED, () -> verifier.finishLogin(new byte[] {1, 2, 3}));
    }

    @Test
    @DisplayName("a device logs in for its identity; the principal is the identity's did:key")
    void login() throws Exception {
        Challenge c = verifier.startLogin();
        Credential profile = profile();
        LoginResult r = verifier.finishLogin(c, present(device, c, List.of(profile)));
        assertThat(r.identity()).isEqualTo(identity);
        assertThat(r.did()).startsWith("did:key:z6Mk").isEqualTo(identity.toDidKey());
        assertThat(r.device()).isEqualTo(device.key());
        assertThat(r.scope()).contains(DeviceScope.DEVICE_SCOPE_WRITE);
        assertThat(r.selfAsserted(IdentityProfile.class)).singleElement()
                .satisfies(v -> assertThat(v.id()).isEqualTo(Credentials.id(profile)));
        assertThat(r.credentials(IdentityProfile.class, java.util.Set.of(agents.newKey())))
                .as("a self-issued credential is not one from an issuer the site trusts").isEmpty();
        assertThat(r.credentials(IdentityProfile.class, java.util.Set.of(identity))).hasSize(1);
    }

    @Nested
    @DisplayName("the verifier MUST check nonce, audience and identity")
    class Binding {
        @Test
        @DisplayName("a presentation for another nonce")
        void otherNonce() throws Exception {
            Challenge mine = verifier.startLogin();
            Challenge other = verifier.startLogin();
            byte[] p = present(device, other, List.of());
            assertRejected(RejectionCode.NONCE_MISMATCH, () -> verifier.finishLogin(mine, p));
        }

        @Test
        @DisplayName("a presentation captured by one site cannot log in to another")
        void otherAudience() throws Exception {
            InMemoryChallengeStore shared = new InMemoryChallengeStore();
            HaloVerifier evil = verifier("https://evil.example.com", shared);
            HaloVerifier good = verifier(SITE, shared);
            Challenge c = good.startLogin();
            byte[] forEvil = Presentations.sign(device, c.nonce(), "https://evil.example.com", List.of(), clock).toByteArray();
            assertRejected(RejectionCode.AUDIENCE_MISMATCH, () -> good.finishLogin(c, forEvil));
            byte[] forGood = present(device, c, List.of());
            assertRejected(RejectionCode.AUDIENCE_MISMATCH, () -> evil.finishLogin(c, forGood));
        }

        @Test
        @DisplayName("the audience is compared byte for byte (no case folding, no trailing slash)")
        void audienceExact() throws Exception {
            Challenge c = verifier.startLogin();
            for (String near : List.of("https://APP.example.com", "https://app.example.com/", "http://app.example.com")) {
                byte[] p = Presentations.sign(device, c.nonce(), near, List.of(), clock).toByteArray();
                assertRejected(RejectionCode.AUDIENCE_MISMATCH, () -> verifier.finishLogin(c, p));
            }
        }

        @Test
        @DisplayName("a replayed presentation: the challenge is consumed once")
        void replay() throws Exception {
            Challenge c = verifier.startLogin();
            byte[] p = present(device, c, List.of());
            verifier.finishLogin(c, p);
            assertRejected(RejectionCode.CHALLENGE_UNKNOWN, () -> verifier.finishLogin(c, p));
        }

        @Test
        @DisplayName("a nonce the verifier never issued")
        void neverIssued() throws Exception {
            Challenge forged = new Challenge(new byte[32], SITE, NOW, NOW.plusSeconds(60));
            byte[] p = present(device, forged, List.of());
            assertRejected(RejectionCode.CHALLENGE_UNKNOWN, () -> verifier.finishLogin(forged, p));
        }

        @Test
        @DisplayName("an expired challenge")
        void expiredChallenge() throws Exception {
            Challenge c = verifier.startLogin();
            byte[] p = present(device, c, List.of());
            clock = Agents.at(NOW.plus(HaloVerifier.DEFAULT_CHALLENGE_TTL).plusSeconds(1));
            HaloVerifier later = HaloVerifier.builder().audience(SITE).challengeStore(storeWith(c)).ignoreRevocation()
                    .clock(clock).build();
            assertRejected(RejectionCode.CHALLENGE_EXPIRED, () -> later.finishLogin(c, p));
        }

        private ChallengeStore storeWith(Challenge c) throws Exception {
            InMemoryChallengeStore s = new InMemoryChallengeStore();
            s.put(c);
            return s;
        }

        @RepeatedTest(5)
        @DisplayName("two concurrent finishes with one nonce: exactly one succeeds")
        void concurrentFinish() throws Exception {
            Challenge c = verifier.startLogin();
            byte[] p = present(device, c, List.of());
            int threads = 8;
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Boolean>> results = new ArrayList<>();
                for (int i = 0; i < threads; i++) {
                    Callable<Boolean> task = () -> {
                        start.await();
                        try {
                            verifier.finishLogin(c, p);
                            return true;
                        } catch (HaloRejectedException e) {
                            assertThat(e.code()).isEqualTo(RejectionCode.CHALLENGE_UNKNOWN);
                            return false;
                        }
                    };
                    results.add(pool.submit(task));
                }
                start.countDown();
                int ok = 0;
                for (Future<Boolean> f : results) {
                    ok += f.get(30, TimeUnit.SECONDS) ? 1 : 0;
                }
                assertThat(ok).isEqualTo(1);
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Nested
    @DisplayName("identity: the proof's chain ends at it and every credential is about it")
    class Identity {
        @Test
        @DisplayName("a chain swapped in to claim another identity")
        void swappedChain() throws Exception {
            PublicKey victim = agents.newKey();
            Challenge c = verifier.startLogin();
            // Mallory's device signs a body naming the victim's identity, with Mallory's own chain
            PublicKey mallory = agents.newKey();
            Signer malloryDevice = agents.newDevice(agents.self(mallory), DeviceScope.DEVICE_SCOPE_ADMIN);
            byte[] p = forgePresentation(c, victim, malloryDevice.key(), malloryDevice.authorization());
            assertRejected(RejectionCode.IDENTITY_MISMATCH, () -> verifier.finishLogin(c, p));
        }

        @Test
        @DisplayName("the victim's own chain attached to a signature by another device")
        void victimsChainOtherSigner() throws Exception {
            Challenge c = verifier.startLogin();
            PublicKey mallory = agents.newKey();
            byte[] p = forgePresentation(c, identity, mallory, device.authorization());
            assertRejected(RejectionCode.CHAIN_BROKEN, () -> verifier.finishLogin(c, p));
        }

        @Test
        @DisplayName("a presented credential about another identity")
        void otherSubject() throws Exception {
            Challenge c = verifier.startLogin();
            PublicKey other = agents.newKey();
            Credential aboutOther = Credentials.issue(agents.self(other)).clock(clock).subject(other)
                    .assertion(IdentityProfile.newBuilder().setDisplayName("Eve").build()).sign();
            assertRejected(RejectionCode.SUBJECT_MISMATCH, () -> verifier.finishLogin(c, present(device, c, List.of(aboutOther))));
        }

        @Test
        @DisplayName("a forged credential id: ids are recomputed, never trusted")
        void forgedId() throws Exception {
            Challenge c = verifier.startLogin();
            Presentation p = Presentations.sign(device, c.nonce(), SITE, List.of(profile()), clock);
            // swap in another credential after signing: the listed id no longer matches
            Presentation swapped = p.toBuilder().setCredentials(0, profile()).build();
            assertRejected(RejectionCode.CREDENTIAL_ID_MISMATCH, () -> verifier.finishLogin(c, swapped.toByteArray()));
        }

        @Test
        @DisplayName("a revoked device cannot log in")
        void revokedDevice() throws Exception {
            HaloVerifier v = HaloVerifier.builder().audience(SITE)
                    .challengeStore(new InMemoryChallengeStore())
                    .deviceStatus((id, d) -> d.equals(device.key())).clock(clock).build();
            Challenge c = v.startLogin();
            assertRejected(RejectionCode.DEVICE_REVOKED, () -> v.finishLogin(c, present(device, c, List.of())));
        }

        private byte[] forgePresentation(Challenge c, PublicKey claimed, PublicKey signerKey, Optional<Credential> chain) throws Exception {
            ByteString body = PresentationBody.newBuilder().setNonce(ByteString.copyFrom(c.nonce())).setAudience(SITE)
                    .setIssuedAt(org.halo4j.internal.wire.Timestamps.of(NOW)).setIdentity(Agents.bytes(claimed)).build().toByteString();
            byte[] sig = agents.keyring.sign(signerKey, SignatureDomain.PRESENTATION, body.toByteArray());
            var proof = org.halo4j.proto.v1.Proof.newBuilder().setSigner(Agents.bytes(signerKey)).setSignature(ByteString.copyFrom(sig));
            chain.ifPresent(ch -> proof.setChain(org.halo4j.proto.v1.Chain.newBuilder().setCredential(ch)));
            return Presentation.newBuilder().setBody(body).setProof(proof).build().toByteArray();
        }
    }

    @Nested
    @DisplayName("limits")
    class LimitsTest {
        @Test
        @DisplayName("16 credentials accepted, 17 rejected before any signature is checked")
        void credentialCount() throws Exception {
            List<Credential> sixteen = new ArrayList<>();
            for (int i = 0; i < Limits.MAX_PRESENTED_CREDENTIALS; i++) {
                sixteen.add(profile());
            }
            Challenge c = verifier.startLogin();
            assertThat(verifier.finishLogin(c, present(device, c, sixteen)).allPresented()).hasSize(16);
            Challenge c2 = verifier.startLogin();
            Presentation p = Presentations.sign(device, c2.nonce(), SITE, sixteen, clock);
            byte[] seventeen = p.toBuilder().addCredentials(profile()).build().toByteArray();
            assertRejected(RejectionCode.LIMIT_CREDENTIALS, () -> verifier.finishLogin(c2, seventeen));
        }

        @Test
        @DisplayName("oversized and garbage presentations")
        void oversized() throws Exception {
            Challenge c = verifier.startLogin();
            assertRejected(RejectionCode.LIMIT_MESSAGE_SIZE, () -> verifier.finishLogin(c, new byte[Limits.MAX_MESSAGE_BYTES + 1]));
            assertRejected(RejectionCode.MALFORMED, () -> verifier.finishLogin(c, new byte[] {0x0a, 0x7f}));
            // Random bytes read as garbage to a person: never a protobuf-internal phrase.
            byte[] garbage = new byte[300];
            new java.util.Random(7).nextBytes(garbage);
            assertThatThrownBy(() -> verifier.finishLogin(c, garbage)).isInstanceOf(HaloRejectedException.class)
                    .hasMessageNotContaining("tag").hasMessageNotContaining("Protocol message");
            assertRejected(RejectionCode.INVALID_FIELD, () -> verifier.finishLogin(c, new byte[0]));
        }

        @Test
        @DisplayName("a credential expired at login time is refused")
        void expiredCredential() throws Exception {
            Credential old = Credentials.issue(agents.self(identity)).clock(Agents.at(NOW.minus(Duration.ofDays(2)))).subject(identity)
                    .assertion(SpaceMember.newBuilder().setSpaceKey(Agents.bytes(agents.newKey())).setRole(SpaceRole.SPACE_ROLE_READER).build())
                    .expiresAt(NOW.minus(Duration.ofDays(1))).sign();
            Challenge c = verifier.startLogin();
            assertRejected(RejectionCode.EXPIRED, () -> verifier.finishLogin(c, present(device, c, List.of(old))));
        }
    }

    @Nested
    @DisplayName("challenges")
    class Challenges {
        @Test
        @DisplayName("serialize to JSON and back, for clusters")
        void json() throws Exception {
            Challenge c = verifier.startLogin();
            assertThat(Challenge.fromJson(c.toJson())).isEqualTo(c);
            assertThat(c.toJson()).contains("\"audience\":\"" + SITE + "\"");
        }

        @Test
        @DisplayName("malformed JSON is rejected clearly")
        void badJson() {
            assertThatThrownBy(() -> Challenge.fromJson("{\"nonce\":\"00\"}")).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> Challenge.fromJson("[]")).isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        @DisplayName("the audience must be an origin")
        void origin() {
            for (String bad : List.of("app.example.com", "https://app.example.com/login", "HTTPS://app.example.com", "https://")) {
                assertThatThrownBy(() -> HaloVerifier.builder().audience(bad)).isInstanceOf(IllegalArgumentException.class);
            }
            HaloVerifier.builder().audience("http://127.0.0.1:8080");
        }
    }
}
