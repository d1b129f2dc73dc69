package org.halo4j.fuzz;

import org.halo4j.credentials.CredentialVerifier;
import org.halo4j.testing.Agents;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.security.SecureRandom;
import java.util.Arrays;
import org.halo4j.errors.HaloRejectedException;
import org.halo4j.presentations.Challenge;
import org.halo4j.presentations.ChallengeException;
import org.halo4j.presentations.ChallengeStoreFullException;
import org.halo4j.presentations.HaloVerifier;
import org.halo4j.presentations.InMemoryChallengeStore;
import org.halo4j.presentations.LoginResult;

/**
 * "No input crashes a decoder": {@link HaloVerifier#finishLogin(Challenge, byte[])}, on a challenge it really
 * issued, either logs in or throws {@link HaloRejectedException}; anything else is a finding. The
 * verifier's nonces are fixed ({@link #NONCE}) so that the seed presentations ({@link FuzzSeeds}) answer the
 * challenge and the fuzzer starts from inputs that reach every step.
 */
class HaloVerifierFuzzTest {

    /** The origin of the relying party under test. */
    static final String AUDIENCE = "https://rp.example.com";
    /** Every challenge this verifier issues has this nonce. */
    static final byte[] NONCE = fixedNonce();

    private static final HaloVerifier VERIFIER = HaloVerifier.builder()
            .audience(AUDIENCE)
            .challengeStore(new InMemoryChallengeStore())
            .credentialVerifier(CredentialVerifier.builder().ignoreRevocation().clock(Agents.at(Agents.NOW)).build())
            .clock(Agents.at(Agents.NOW))
            .random(new FixedNonces())
            .build();

    @FuzzTest(maxDuration = "10m", maxExecutions = 1_000_000)
    void finishLoginAcceptsOrRejects(byte[] presentation) throws ChallengeStoreFullException {
        Challenge challenge = VERIFIER.startLogin();
        LoginResult result;
        try {
            result = VERIFIER.finishLogin(challenge, presentation);
        } catch (HaloRejectedException rejected) {
            return;
        }
        if (!result.challenge().equals(challenge)) {
            throw new AssertionError("logged in on another challenge than the one finished");
        }
        try {
            VERIFIER.finishLogin(challenge, presentation);
        } catch (ChallengeException expected) {
            return;
        } catch (HaloRejectedException e) {
            throw new AssertionError("a replay was rejected for another reason than the consumed challenge", e);
        }
        throw new AssertionError("one challenge logged in twice");
    }

    private static byte[] fixedNonce() {
        byte[] nonce = new byte[Challenge.NONCE_LENGTH];
        Arrays.fill(nonce, (byte) 0x5a);
        return nonce;
    }

    /** A "random" source that makes every challenge nonce {@link #NONCE}. Test only. */
    static final class FixedNonces extends SecureRandom {
        @Override
        public void nextBytes(byte[] bytes) {
            System.arraycopy(NONCE, 0, bytes, 0, Math.min(bytes.length, NONCE.length));
        }
    }
}
