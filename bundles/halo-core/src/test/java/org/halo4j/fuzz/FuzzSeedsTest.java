package org.halo4j.fuzz;

import org.halo4j.testing.Agents;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.halo4j.credentials.CredentialVerifier;
import org.halo4j.presentations.Challenge;
import org.halo4j.presentations.HaloVerifier;
import org.halo4j.presentations.InMemoryChallengeStore;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The seed corpora hold valid inputs, so that regression runs and fuzzing start from the real structure. */
class FuzzSeedsTest {

    @Test
    @DisplayName("every credential seed is a valid credential")
    void credentialSeedsVerify() throws Exception {
        CredentialVerifier verifier = CredentialVerifier.builder().ignoreRevocation().clock(Agents.at(Agents.NOW)).build();
        List<Path> seeds = seeds("CredentialVerifierFuzzTestInputs/verifyAcceptsOrRejects");
        assertFalse(seeds.isEmpty());
        for (Path seed : seeds) {
            byte[] bytes = Files.readAllBytes(seed);
            assertDoesNotThrow(() -> verifier.verify(bytes), seed.getFileName().toString());
        }
    }

    @Test
    @DisplayName("every presentation seed logs in on the fuzzed verifier's challenge")
    void presentationSeedsLogIn() throws Exception {
        HaloVerifier verifier = HaloVerifier.builder()
                .audience(HaloVerifierFuzzTest.AUDIENCE)
                .challengeStore(new InMemoryChallengeStore())
            .credentialVerifier(CredentialVerifier.builder().ignoreRevocation().clock(Agents.at(Agents.NOW)).build())
            .clock(Agents.at(Agents.NOW))
                .random(new HaloVerifierFuzzTest.FixedNonces())
                .build();
        List<Path> seeds = seeds("HaloVerifierFuzzTestInputs/finishLoginAcceptsOrRejects");
        assertFalse(seeds.isEmpty());
        for (Path seed : seeds) {
            byte[] bytes = Files.readAllBytes(seed);
            Challenge challenge = verifier.startLogin();
            assertDoesNotThrow(() -> verifier.finishLogin(challenge, bytes), seed.getFileName().toString());
        }
    }

    @Test
    @DisplayName("every feed entry seed verifies and every fork proof seed proves a fork")
    void feedSeedsVerify() throws Exception {
        List<Path> entries = seeds("FeedDecodersFuzzTestInputs/entryVerifiesOrIsRejected");
        List<Path> proofs = seeds("FeedDecodersFuzzTestInputs/forkProofParsesOrIsRejected");
        assertFalse(entries.isEmpty());
        assertFalse(proofs.isEmpty());
        for (Path seed : entries) {
            byte[] bytes = Files.readAllBytes(seed);
            assertDoesNotThrow(() -> org.halo4j.feeds.FeedVerifier.verify(bytes), seed.getFileName().toString());
        }
        for (Path seed : proofs) {
            byte[] bytes = Files.readAllBytes(seed);
            assertDoesNotThrow(() -> org.halo4j.feeds.ForkProof.parse(bytes), seed.getFileName().toString());
        }
    }

    @Test
    @DisplayName("the challenge seed is a challenge")
    void challengeSeedReads() throws Exception {
        for (Path seed : seeds("ChallengeJsonFuzzTestInputs/fromJsonReadsOrRefuses")) {
            Challenge c = Challenge.fromJson(Files.readString(seed));
            assertEquals(HaloVerifierFuzzTest.NONCE.length, c.nonce().length);
        }
    }

    private static List<Path> seeds(String dir) throws IOException, URISyntaxException {
        Path path = Path.of(FuzzSeedsTest.class.getResource(dir).toURI());
        try (Stream<Path> files = Files.list(path)) {
            return files.sorted().toList();
        }
    }
}
