package org.halo4j.benchmarks;

import com.webauthn4j.WebAuthnManager;
import com.webauthn4j.data.AuthenticationData;
import com.webauthn4j.data.AuthenticationRequest;
import com.webauthn4j.verifier.exception.BadSignatureException;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.Signature;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.halo4j.errors.HaloRejectedException;
import org.halo4j.credentials.CredentialVerifier;
import org.halo4j.credentials.VerifiedCredential;
import org.halo4j.keys.InMemoryKeyring;
import org.halo4j.keys.KeyringException;
import org.halo4j.presentations.LoginResult;
import org.halo4j.proto.v1.SpaceMember;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Throughput of halo4j's verifications and of their baselines, in one run so the ratios compare like with
 * like on the same machine and JVM:
 * <ul>
 *   <li>{@code rawEd25519Verify} — one Bouncy Castle Ed25519 verify of a 256-byte message from the key's 32
 *       bytes (the point is decompressed every time);</li>
 *   <li>{@code decodedPointEd25519Verify} — the true floor: the same verify against an already-decoded
 *       {@code PublicPoint}, which is what a verifier that remembers points can at best do;</li>
 *   <li>{@code credentialVerify} — {@link CredentialVerifier#verify(byte[])} of a SpaceMember credential signed
 *       by its issuer (one signature);</li>
 *   <li>{@code presentationVerifyCold} — a full login with a device presentation and a one-link chain, chain
 *       cache off: presentation signature, chain signature and device consent (3 verifies);</li>
 *   <li>{@code presentationVerifyWarm} — the same with the chain already cached (1 verify);</li>
 *   <li>{@code presentationVerifyWarmLargePool} — warm logins of 16,384 users, more than the point cache
 *       holds: most logins decompress their key again;</li>
 *   <li>{@code presentationVerifyTrulyCold} — 16,384 users, chain cache off: every key is new to the point
 *       cache too (3 verifies, each decompressing its key);</li>
 *   <li>{@code challengeStoreAt100k} / {@code challengeStoreEmpty} — one put and one consume with 100,000
 *       outstanding challenges and with none;</li>
 *   <li>{@code webauthn4jAssertionVerify} — webauthn4j verifying an ES256 WebAuthn assertion;</li>
 *   <li>{@code es256JcaVerify} — a control: the JDK's bare {@code SHA256withECDSA} verify of the same signed
 *       bytes, which shows how much of webauthn4j's time is the P-256 signature itself.</li>
 * </ul>
 * Each benchmark cycles through {@link Pool#SIZE} distinct valid inputs; each state's setup proves its inputs
 * verify, so no benchmark measures a rejection.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
public class VerificationBenchmark {

    static final int MESSAGE_LENGTH = 256;

    /** Random keys, 256-byte messages and their signatures. */
    @State(Scope.Thread)
    public static class RawSignatures {
        final byte[][] keys = new byte[Pool.SIZE][];
        final byte[][] messages = new byte[Pool.SIZE][];
        final byte[][] signatures = new byte[Pool.SIZE][];
        final Pool pool = new Pool();

        @Setup(Level.Trial)
        public void setUp() {
            SecureRandom random = new SecureRandom();
            for (int i = 0; i < Pool.SIZE; i++) {
                byte[] seed = new byte[Ed25519.SECRET_KEY_SIZE];
                random.nextBytes(seed);
                keys[i] = new byte[Ed25519.PUBLIC_KEY_SIZE];
                Ed25519.generatePublicKey(seed, 0, keys[i], 0);
                messages[i] = new byte[MESSAGE_LENGTH];
                random.nextBytes(messages[i]);
                signatures[i] = new byte[Ed25519.SIGNATURE_SIZE];
                Ed25519.sign(seed, 0, messages[i], 0, MESSAGE_LENGTH, signatures[i], 0);
                if (!Ed25519.verify(signatures[i], 0, keys[i], 0, messages[i], 0, MESSAGE_LENGTH)) {
                    throw new IllegalStateException("signature " + i + " does not verify");
                }
            }
        }
    }

    /** SpaceMember credentials, each from its own space key. */
    @State(Scope.Thread)
    public static class SignedCredentials {
        final java.util.Set<org.halo4j.keys.PublicKey> revoked = java.util.concurrent.ConcurrentHashMap.newKeySet();
        final CredentialVerifier verifier = CredentialVerifier.builder()
                .deviceStatus((identity, device) -> revoked.contains(device)).build();
        final byte[][] encoded = new byte[Pool.SIZE][];
        final Pool pool = new Pool();

        @Setup(Level.Trial)
        public void setUp() throws KeyringException, HaloRejectedException {
            InMemoryKeyring keyring = new InMemoryKeyring();
            for (int i = 0; i < Pool.SIZE; i++) {
                encoded[i] = HaloFixtures.spaceMemberCredential(keyring);
                VerifiedCredential v = verifier.verify(encoded[i], SpaceMember.class);
                if (v.signedBy().devicePath().size() != 0) {
                    throw new IllegalStateException("credential " + i + " should be signed by its issuer directly");
                }
            }
        }
    }

    /** Logins with the chain cache off. */
    @State(Scope.Thread)
    public static class ColdLogins {
        LoginPool logins;

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            logins = new LoginPool(0);
            if (logins.cachedChainLinks() != 0) {
                throw new IllegalStateException("the chain cache should be off");
            }
        }
    }

    /** Logins with every user's chain link already cached. */
    @State(Scope.Thread)
    public static class WarmLogins {
        LoginPool logins;

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            logins = new LoginPool(4 * Pool.SIZE);
            if (logins.cachedChainLinks() != Pool.SIZE) {
                throw new IllegalStateException("expected " + Pool.SIZE + " cached chain links, found "
                        + logins.cachedChainLinks());
            }
        }
    }

    /** WebAuthn assertions, each by its own P-256 credential, and webauthn4j's default (non-strict) manager. */
    @State(Scope.Thread)
    public static class WebAuthnAssertions {
        final WebAuthnManager manager = WebAuthnManager.createNonStrictWebAuthnManager();
        final WebAuthnFixture[] fixtures = new WebAuthnFixture[Pool.SIZE];
        final Pool pool = new Pool();

        @Setup(Level.Trial)
        public void setUp() throws GeneralSecurityException {
            SecureRandom random = new SecureRandom();
            for (int i = 0; i < Pool.SIZE; i++) {
                fixtures[i] = WebAuthnFixture.create(random);
                // Twice: verification must not change the stored record in a way that fails the next run.
                for (int run = 0; run < 2; run++) {
                    AuthenticationData d = manager.verify(fixtures[i].request, fixtures[i].parameters);
                    if (d.getAuthenticatorData() == null || d.getAuthenticatorData().getSignCount() != 0) {
                        throw new IllegalStateException("assertion " + i + " did not verify as expected");
                    }
                }
            }
            // The signature is really checked: a flipped bit must be refused.
            AuthenticationRequest good = fixtures[0].request;
            byte[] signature = good.getSignature();
            signature[signature.length - 1] ^= 1;
            AuthenticationRequest bad = new AuthenticationRequest(good.getCredentialId(), good.getUserHandle(),
                    good.getAuthenticatorData(), good.getClientDataJSON(), good.getClientExtensionsJSON(), signature);
            try {
                manager.verify(bad, fixtures[0].parameters);
                throw new IllegalStateException("webauthn4j accepted a corrupted signature");
            } catch (BadSignatureException expected) {
                // as it must
            }
        }
    }

    /** The same assertions' keys and signed bytes, for the bare ES256 control. */
    @State(Scope.Thread)
    public static class Es256Signatures {
        final WebAuthnFixture[] fixtures = new WebAuthnFixture[Pool.SIZE];
        final Pool pool = new Pool();
        Signature es256;

        @Setup(Level.Trial)
        public void setUp() throws GeneralSecurityException {
            SecureRandom random = new SecureRandom();
            es256 = Signature.getInstance("SHA256withECDSA");
            for (int i = 0; i < Pool.SIZE; i++) {
                fixtures[i] = WebAuthnFixture.create(random);
                if (!verify(fixtures[i])) {
                    throw new IllegalStateException("ES256 signature " + i + " does not verify");
                }
            }
        }

        boolean verify(WebAuthnFixture f) throws GeneralSecurityException {
            es256.initVerify(f.publicKey);
            es256.update(f.signedBytes);
            return es256.verify(f.request.getSignature());
        }
    }

    /** The same keys as {@link RawSignatures}, decoded once. */
    @State(Scope.Thread)
    public static class DecodedPoints {
        final RawSignatures raw = new RawSignatures();
        final Ed25519.PublicPoint[] points = new Ed25519.PublicPoint[Pool.SIZE];

        @Setup(Level.Trial)
        public void setUp() {
            raw.setUp();
            for (int i = 0; i < Pool.SIZE; i++) {
                points[i] = Ed25519.validatePublicKeyPartialExport(raw.keys[i], 0);
                if (!Ed25519.verify(raw.signatures[i], 0, points[i], raw.messages[i], 0, MESSAGE_LENGTH)) {
                    throw new IllegalStateException("signature " + i + " does not verify against its point");
                }
            }
        }
    }

    /** Warm logins of more users than the point cache holds. */
    @State(Scope.Thread)
    public static class WarmLoginsLargePool {
        static final int USERS = 16_384;
        LoginPool logins;

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            logins = new LoginPool(4 * USERS, USERS);
        }
    }

    /** Logins of 16,384 users with the chain cache off: nothing about any key is remembered. */
    @State(Scope.Thread)
    public static class TrulyColdLogins {
        LoginPool logins;

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            logins = new LoginPool(0, WarmLoginsLargePool.USERS);
        }
    }

    /** A challenge store with 100,000 outstanding challenges, and an empty one. */
    @State(Scope.Thread)
    public static class ChallengeStores {
        static final int OUTSTANDING = 100_000;
        final org.halo4j.presentations.InMemoryChallengeStore full =
                new org.halo4j.presentations.InMemoryChallengeStore(OUTSTANDING + 1);
        final org.halo4j.presentations.InMemoryChallengeStore empty =
                new org.halo4j.presentations.InMemoryChallengeStore(OUTSTANDING + 1);
        final org.halo4j.presentations.Challenge[] cycle = new org.halo4j.presentations.Challenge[Pool.SIZE];
        final Pool pool = new Pool();

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            SecureRandom random = new SecureRandom();
            java.time.Instant now = java.time.Instant.now();
            for (int i = 0; i < OUTSTANDING; i++) {
                full.put(challenge(random, now));
            }
            for (int i = 0; i < Pool.SIZE; i++) {
                cycle[i] = challenge(random, now);
            }
        }

        static org.halo4j.presentations.Challenge challenge(SecureRandom random, java.time.Instant now) {
            byte[] nonce = new byte[org.halo4j.presentations.Challenge.NONCE_LENGTH];
            random.nextBytes(nonce);
            return new org.halo4j.presentations.Challenge(nonce, HaloFixtures.AUDIENCE, now, now.plusSeconds(3600));
        }
    }

    @Benchmark
    public boolean decodedPointEd25519Verify(DecodedPoints s) {
        int i = s.raw.pool.next();
        return Ed25519.verify(s.raw.signatures[i], 0, s.points[i], s.raw.messages[i], 0, MESSAGE_LENGTH);
    }

    @Benchmark
    public LoginResult presentationVerifyWarmLargePool(WarmLoginsLargePool s) throws HaloRejectedException {
        return s.logins.finishNext();
    }

    @Benchmark
    public LoginResult presentationVerifyTrulyCold(TrulyColdLogins s) throws HaloRejectedException {
        return s.logins.finishNext();
    }

    @Benchmark
    public boolean challengeStoreAt100k(ChallengeStores s) throws Exception {
        org.halo4j.presentations.Challenge c = s.cycle[s.pool.next()];
        s.full.put(c);
        return s.full.consume(c.nonce()).isPresent();
    }

    @Benchmark
    public boolean challengeStoreEmpty(ChallengeStores s) throws Exception {
        org.halo4j.presentations.Challenge c = s.cycle[s.pool.next()];
        s.empty.put(c);
        return s.empty.consume(c.nonce()).isPresent();
    }

    @Benchmark
    public boolean rawEd25519Verify(RawSignatures s) {
        int i = s.pool.next();
        return Ed25519.verify(s.signatures[i], 0, s.keys[i], 0, s.messages[i], 0, MESSAGE_LENGTH);
    }

    @Benchmark
    public VerifiedCredential credentialVerify(SignedCredentials s) throws HaloRejectedException {
        return s.verifier.verify(s.encoded[s.pool.next()]);
    }

    @Benchmark
    public LoginResult presentationVerifyCold(ColdLogins s) throws HaloRejectedException {
        return s.logins.finishNext();
    }

    @Benchmark
    public LoginResult presentationVerifyWarm(WarmLogins s) throws HaloRejectedException {
        return s.logins.finishNext();
    }

    @Benchmark
    public AuthenticationData webauthn4jAssertionVerify(WebAuthnAssertions s) {
        WebAuthnFixture f = s.fixtures[s.pool.next()];
        return s.manager.verify(f.request, f.parameters);
    }

    @Benchmark
    public boolean es256JcaVerify(Es256Signatures s) throws GeneralSecurityException {
        return s.verify(s.fixtures[s.pool.next()]);
    }
}
