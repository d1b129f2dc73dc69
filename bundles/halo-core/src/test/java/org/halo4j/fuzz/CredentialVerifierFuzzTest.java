package org.halo4j.fuzz;

import org.halo4j.testing.Agents;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;
import org.halo4j.errors.HaloRejectedException;
import org.halo4j.credentials.CredentialVerifier;
import org.halo4j.credentials.Credentials;
import org.halo4j.credentials.VerifiedCredential;

/**
 * "No input crashes a decoder": {@link CredentialVerifier#verify(byte[])} either accepts or throws
 * {@link HaloRejectedException}; any other exception or error is a finding. Seeds: one valid credential
 * of each assertion type, signed directly and through device chains ({@link FuzzSeeds}).
 */
class CredentialVerifierFuzzTest {

    private static final CredentialVerifier VERIFIER = CredentialVerifier.builder().ignoreRevocation()
            .clock(Agents.at(Agents.NOW)).build();

    /**
     * The seeds, as bytes. Nobody but their signers can make a new valid credential, so whatever the fuzzer
     * gets accepted must be one of them byte for byte: anything else accepted is a malleability finding (a
     * second encoding of a signed credential that also verifies).
     */
    private static final Set<ByteBuffer> SEEDS = loadSeeds();

    @FuzzTest(maxDuration = "10m", maxExecutions = 1_000_000)
    void verifyAcceptsOrRejects(byte[] data) {
        VerifiedCredential verified;
        try {
            verified = VERIFIER.verify(data);
        } catch (HaloRejectedException rejected) {
            return;
        }
        // Strict decoding: what is accepted is exactly the bytes received, and its id is recomputed from them.
        if (!Arrays.equals(data, verified.credential().toByteArray())) {
            throw new AssertionError("accepted a credential that does not re-encode to the received bytes");
        }
        if (!verified.id().equals(Credentials.id(verified.credential()))) {
            throw new AssertionError("the verified id is not SHA-256 of the body");
        }
        if (!SEEDS.contains(ByteBuffer.wrap(data))) {
            throw new AssertionError("accepted bytes that are not one of the signed seeds: a malleable encoding");
        }
    }

    private static Set<ByteBuffer> loadSeeds() {
        String dir = "/" + CredentialVerifierFuzzTest.class.getPackageName().replace('.', '/')
                + "/CredentialVerifierFuzzTestInputs/verifyAcceptsOrRejects";
        try {
            URL url = CredentialVerifierFuzzTest.class.getResource(dir);
            if (url == null) {
                throw new IllegalStateException("no seeds at " + dir);
            }
            Set<ByteBuffer> out = new HashSet<>();
            try (Stream<Path> files = Files.list(Path.of(url.toURI()))) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    out.add(ByteBuffer.wrap(Files.readAllBytes(f)));
                }
            }
            return out;
        } catch (IOException | URISyntaxException e) {
            throw new IllegalStateException("cannot read the seeds at " + dir, e);
        }
    }
}
