package org.halo4j.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import org.halo4j.presentations.Challenge;

/**
 * "No input crashes a decoder": {@link Challenge#fromJson(String)} (shared ceremony state, read back from a
 * cluster's storage) returns a challenge or throws {@link IllegalArgumentException}, as documented; anything
 * else is a finding. What it reads writes back to JSON that reads as the same challenge.
 */
class ChallengeJsonFuzzTest {

    @FuzzTest(maxDuration = "10m", maxExecutions = 1_000_000)
    void fromJsonReadsOrRefuses(byte[] data) {
        Challenge challenge;
        try {
            challenge = Challenge.fromJson(new String(data, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException refused) {
            return;
        }
        if (!Challenge.fromJson(challenge.toJson()).equals(challenge)) {
            throw new AssertionError("a challenge does not read back as itself from its JSON");
        }
    }
}
