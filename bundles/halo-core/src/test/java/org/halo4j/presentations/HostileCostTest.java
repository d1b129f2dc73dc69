package org.halo4j.presentations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.halo4j.credentials.CredentialVerifier;
import org.halo4j.credentials.Credentials;
import org.halo4j.credentials.Limits;
import org.halo4j.credentials.Signer;
import org.halo4j.errors.HaloRejectedException;
import org.halo4j.errors.RejectionCode;
import org.halo4j.keys.CryptoCounters;
import org.halo4j.keys.PublicKey;
import org.halo4j.proto.v1.Credential;
import org.halo4j.proto.v1.DeviceScope;
import org.halo4j.proto.v1.IdentityProfile;
import org.halo4j.testing.Agents;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.ThrowingSupplier;

/**
 * What a hostile request can make a relying party spend. Costs are counted by {@link CryptoCounters} at the
 * boundary to Bouncy Castle (every Ed25519 verification handed to it), not by the verifier's own bookkeeping.
 */
@DisplayName("Hostile input costs little")
class HostileCostTest {

    static final String SITE = "https://app.example.com";

    Agents agents;
    PublicKey identity;
    Signer device;
    Clock clock = Agents.at(Agents.NOW);
    InMemoryChallengeStore store;
    HaloVerifier verifier;

    @BeforeEach
    void setUp() throws Exception {
        agents = new Agents();
        identity = agents.newKey();
        device = agents.newDevice(agents.self(identity), DeviceScope.DEVICE_SCOPE_ADMIN);
        store = new InMemoryChallengeStore();
        verifier = verifierFor(SITE, store, clock);
    }

    static HaloVerifier verifierFor(String audience, ChallengeStore store, Clock clock) {
        return HaloVerifier.builder().audience(audience).challengeStore(store)
                .credentialVerifier(CredentialVerifier.builder().ignoreRevocation().clock(clock).chainCacheSize(0).build())
                .clock(clock).build();
    }

    byte[] present(Signer signer, Challenge c, String audience, List<Credential> credentials) throws Exception {
        return Presentations.sign(signer, c.nonce(), audience, credentials, clock).toByteArray();
    }

    /** Runs {@code call}, expects a rejection with {@code code}, and returns how many verifications it cost. */
    static long costOfRejection(RejectionCode code, ThrowingSupplier<?> call) {
        long before = CryptoCounters.verifications();
        assertThatThrownBy(call::get).isInstanceOfSatisfying(HaloRejectedException.class,
                e -> assertThat(e.code()).isEqualTo(code));
        return CryptoCounters.verifications() - before;
    }

    @Nested
    @DisplayName("finishLogin looks the challenge up before any signature verification")
    class ChallengeFirst {

        @Test
        @DisplayName("a valid login costs its verifications (the counter sees them)")
        void validLoginIsCounted() throws Exception {
            Challenge c = verifier.startLogin();
            byte[] p = present(device, c, SITE, List.of());
            long before = CryptoCounters.verifications();
            verifier.finishLogin(c, p);
            assertThat(CryptoCounters.verifications() - before).as("proof, chain link, consent").isEqualTo(3);
        }

        @Test
        @DisplayName("an unknown nonce costs no Ed25519 verification")
        void unknownNonce() throws Exception {
            Challenge never = new Challenge(new byte[Challenge.NONCE_LENGTH], SITE, Agents.NOW,
                    Agents.NOW.plus(HaloVerifier.DEFAULT_CHALLENGE_TTL));
            byte[] p = present(device, never, SITE, List.of());
            assertThat(costOfRejection(RejectionCode.CHALLENGE_UNKNOWN, () -> verifier.finishLogin(never, p))).isZero();
        }

        @Test
        @DisplayName("a consumed (replayed) challenge costs no Ed25519 verification")
        void replayed() throws Exception {
            Challenge c = verifier.startLogin();
            byte[] p = present(device, c, SITE, List.of());
            verifier.finishLogin(c, p);
            assertThat(costOfRejection(RejectionCode.CHALLENGE_UNKNOWN, () -> verifier.finishLogin(c, p))).isZero();
        }

        @Test
        @DisplayName("an expired challenge costs no Ed25519 verification")
        void expired() throws Exception {
            Challenge c = verifier.startLogin();
            byte[] p = present(device, c, SITE, List.of());
            HaloVerifier later = verifierFor(SITE, store, Agents.at(c.expiresAt().plusSeconds(1)));
            assertThat(costOfRejection(RejectionCode.CHALLENGE_EXPIRED, () -> later.finishLogin(c, p))).isZero();
        }

        @Test
        @DisplayName("a challenge of another site (foreign nonce) costs nothing and is not consumed")
        void foreignChallenge() throws Exception {
            HaloVerifier other = verifierFor("https://other.example.com", store, clock);
            Challenge theirs = other.startLogin();
            byte[] p = present(device, theirs, "https://other.example.com", List.of());
            assertThat(costOfRejection(RejectionCode.AUDIENCE_MISMATCH, () -> verifier.finishLogin(theirs, p))).isZero();
            assertThat(other.finishLogin(theirs, p).identity()).as("still open for its own site").isEqualTo(identity);
        }

        @Test
        @DisplayName("a presentation for another audience costs nothing and does not burn the challenge it names")
        void otherAudienceDoesNotBurn() throws Exception {
            Challenge c = verifier.startLogin();
            byte[] forEvil = present(device, c, "https://evil.example.com", List.of());
            assertThat(costOfRejection(RejectionCode.AUDIENCE_MISMATCH, () -> verifier.finishLogin(c, forEvil))).isZero();
            assertThat(store.find(c.nonce())).as("the challenge stays open").contains(c);
            assertThat(verifier.finishLogin(c, present(device, c, SITE, List.of())).identity()).isEqualTo(identity);
        }

        @Test
        @DisplayName("a presentation issued in the future costs no Ed25519 verification")
        void issuedInTheFuture() throws Exception {
            Challenge c = verifier.startLogin();
            Signer fromTheFuture = device.withClock(Agents.at(Agents.NOW.plus(Limits.CLOCK_SKEW).plusSeconds(60)));
            byte[] p = Presentations.sign(fromTheFuture, c.nonce(), SITE, List.of()).toByteArray();
            assertThat(costOfRejection(RejectionCode.NOT_YET_VALID, () -> verifier.finishLogin(c, p))).isZero();
        }

        @Test
        @DisplayName("an invalid signature leaves the challenge open: it is consumed only after everything verified")
        void invalidSignatureKeepsChallenge() throws Exception {
            Challenge c = verifier.startLogin();
            byte[] p = present(device, c, SITE, List.of());
            byte[] bad = p.clone();
            bad[bad.length - 1] ^= 1;
            assertThatThrownBy(() -> verifier.finishLogin(c, bad)).isInstanceOf(HaloRejectedException.class);
            assertThat(store.find(c.nonce())).contains(c);
        }
    }

    @Nested
    @DisplayName("a cap on signature verifications per presentation (Limits.MAX_SIGNATURE_CHECKS)")
    class Budget {

        private Credential profileBy(Signer signer) throws Exception {
            return Credentials.issue(signer).subject(signer.issuer())
                    .assertion(IdentityProfile.newBuilder().setDisplayName("Ada").build()).sign();
        }

        @Test
        @DisplayName("a presentation that needs more verifications than the cap is refused before any is done")
        void overBudget() throws Exception {
            Signer deep = agents.deviceChain(identity, Limits.MAX_CHAIN_DEPTH);
            List<Credential> credentials = new ArrayList<>();
            for (int i = 0; i < Limits.MAX_PRESENTED_CREDENTIALS; i++) {
                credentials.add(profileBy(deep)); // 1 signature + 4 links x (signature + consent) = 9 each
            }
            Challenge c = verifier.startLogin();
            byte[] p = present(deep, c, SITE, credentials);
            assertThat(costOfRejection(RejectionCode.LIMIT_SIGNATURE_CHECKS, () -> verifier.finishLogin(c, p))).isZero();
            assertThat(store.find(c.nonce())).contains(c);
        }

        @Test
        @DisplayName("at the cap a login passes, and costs at most the cap")
        void atBudget() throws Exception {
            Signer deep = agents.deviceChain(identity, Limits.MAX_CHAIN_DEPTH);
            // proof 9 + 3 credentials of 9 = 36; + 4 self-signed by the identity = 40
            List<Credential> credentials = new ArrayList<>(List.of(profileBy(deep), profileBy(deep), profileBy(deep)));
            for (int i = 0; i < 4; i++) {
                credentials.add(profileBy(agents.self(identity)));
            }
            Challenge c = verifier.startLogin();
            byte[] p = present(deep, c, SITE, credentials);
            long before = CryptoCounters.verifications();
            verifier.finishLogin(c, p);
            assertThat(CryptoCounters.verifications() - before).isEqualTo(Limits.MAX_SIGNATURE_CHECKS);
            Challenge c2 = verifier.startLogin();
            credentials.add(profileBy(agents.self(identity)));
            byte[] over = present(deep, c2, SITE, credentials);
            assertThat(costOfRejection(RejectionCode.LIMIT_SIGNATURE_CHECKS, () -> verifier.finishLogin(c2, over))).isZero();
        }
    }

    @Nested
    @DisplayName("InMemoryChallengeStore under a flood")
    class Flood {

        private Challenge challengeAt(Instant issued, int n) {
            byte[] nonce = new byte[Challenge.NONCE_LENGTH];
            nonce[0] = (byte) (n >> 24);
            nonce[1] = (byte) (n >> 16);
            nonce[2] = (byte) (n >> 8);
            nonce[3] = (byte) n;
            return new Challenge(nonce, SITE, issued, issued.plus(Duration.ofMinutes(5)));
        }

        @Test
        @DisplayName("a flood of startLogin never evicts a person's pending challenge; the store refuses instead")
        void floodDoesNotEvict() throws Exception {
            InMemoryChallengeStore small = new InMemoryChallengeStore(1000);
            HaloVerifier site = verifierFor(SITE, small, clock);
            Challenge person = site.startLogin();
            int refused = 0;
            for (int i = 0; i < 5000; i++) {
                try {
                    site.startLogin();
                } catch (ChallengeStoreFullException e) {
                    refused++;
                    assertThat(e.code()).isEqualTo("challenge.store_full");
                    assertThat(e.retryAfter()).isPositive();
                }
            }
            assertThat(refused).isEqualTo(5000 - 999);
            assertThat(site.finishLogin(person, present(device, person, SITE, List.of())).identity()).isEqualTo(identity);
        }

        @Test
        @DisplayName("expired challenges leave first, making room")
        void expiredLeaveFirst() throws Exception {
            InMemoryChallengeStore small = new InMemoryChallengeStore(3);
            for (int i = 0; i < 3; i++) {
                small.put(challengeAt(Agents.NOW, i));
            }
            assertThatThrownBy(() -> small.put(challengeAt(Agents.NOW.plusSeconds(60), 3)))
                    .isInstanceOf(ChallengeStoreFullException.class);
            small.put(challengeAt(Agents.NOW.plus(Duration.ofMinutes(6)), 4));
            assertThat(small.size()).isEqualTo(1);
            assertThat(small.find(challengeAt(Agents.NOW, 0).nonce())).isEmpty();
        }

        @Test
        @DisplayName("put, find and consume at 100k outstanding challenges touch O(1) entries")
        void constantTimeWhenFull() throws Exception {
            int n = 100_000;
            InMemoryChallengeStore full = new InMemoryChallengeStore(n);
            for (int i = 0; i < n; i++) {
                full.put(challengeAt(Agents.NOW, i));
            }
            // Independent of timing: a full store refuses after looking at the oldest entry only, so the entries
            // are all still there and in order (a scan-and-evict store would have dropped the oldest).
            assertThatThrownBy(() -> full.put(challengeAt(Agents.NOW, n))).isInstanceOf(ChallengeStoreFullException.class);
            assertThat(full.size()).isEqualTo(n);
            assertThat(full.consume(challengeAt(Agents.NOW, 0).nonce())).isPresent();
            full.put(challengeAt(Agents.NOW, n));
            assertThat(full.find(challengeAt(Agents.NOW, n).nonce())).isPresent();
        }
    }
}
