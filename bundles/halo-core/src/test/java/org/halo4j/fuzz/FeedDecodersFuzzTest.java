package org.halo4j.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;
import org.halo4j.errors.HaloRejectedException;
import org.halo4j.feeds.FeedVerifier;
import org.halo4j.feeds.ForkProof;
import org.halo4j.feeds.VerifiedEntry;

/**
 * "No input crashes a decoder": {@link FeedVerifier#verify(byte[])} and {@link ForkProof#parse(byte[])} either
 * accept or throw {@link HaloRejectedException}; any other exception or error is a finding. Seeds: two linked
 * entries and a fork proof ({@link FeedFuzzSeeds}).
 */
class FeedDecodersFuzzTest {

    @FuzzTest(maxDuration = "10m", maxExecutions = 1_000_000)
    void entryVerifiesOrIsRejected(byte[] data) {
        VerifiedEntry e;
        try {
            e = FeedVerifier.verify(data);
        } catch (HaloRejectedException rejected) {
            return;
        }
        if (!Arrays.equals(data, e.toBytes())) {
            throw new AssertionError("accepted an entry that does not re-encode to the received bytes");
        }
    }

    @FuzzTest(maxDuration = "10m", maxExecutions = 1_000_000)
    void forkProofParsesOrIsRejected(byte[] data) {
        ForkProof p;
        try {
            p = ForkProof.parse(data);
        } catch (HaloRejectedException rejected) {
            return;
        }
        if (p.first().seq() != p.second().seq() || !p.first().feedKey().equals(p.second().feedKey())
                || p.first().sameBody(p.second())) {
            throw new AssertionError("accepted a fork proof that proves no fork: " + p);
        }
    }
}
