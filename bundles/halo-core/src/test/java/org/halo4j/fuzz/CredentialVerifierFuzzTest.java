package org.halo4j.fuzz;

import org.halo4j.testing.Agents;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;
import org.halo4j.credentials.CredentialRejectedException;
import org.halo4j.credentials.CredentialVerifier;
import org.halo4j.credentials.Credentials;
import org.halo4j.credentials.VerifiedCredential;

/**
 * "No input crashes a decoder": {@link CredentialVerifier#verify(byte[])} either accepts or throws
 * {@link CredentialRejectedException}; any other exception or error is a finding. Seeds: one valid credential
 * of each assertion type, signed directly and through device chains ({@link FuzzSeeds}).
 */
class CredentialVerifierFuzzTest {

    private static final CredentialVerifier VERIFIER = CredentialVerifier.builder().clock(Agents.at(Agents.NOW)).build();

    @FuzzTest(maxDuration = "10m", maxExecutions = 1_000_000)
    void verifyAcceptsOrRejects(byte[] data) {
        VerifiedCredential verified;
        try {
            verified = VERIFIER.verify(data);
        } catch (CredentialRejectedException rejected) {
            return;
        }
        // Strict decoding: what is accepted is exactly the bytes received, and its id is recomputed from them.
        if (!Arrays.equals(data, verified.credential().toByteArray())) {
            throw new AssertionError("accepted a credential that does not re-encode to the received bytes");
        }
        if (!verified.id().equals(Credentials.id(verified.credential()))) {
            throw new AssertionError("the verified id is not SHA-256 of the body");
        }
    }
}
