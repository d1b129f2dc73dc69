package org.halo4j.spaces;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import org.halo4j.credentials.CredentialVerifier;
import org.halo4j.proto.v1.SpaceRole;
import org.halo4j.testing.HostileHistories;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * DESIGN §4 rule 5 under attack: histories built to make replay slow (self-removal floods, stranger
 * revocations, blockers in front of the OWNER, conflicting parentless grants, deep pending chains, stacked
 * mutual removals) cost O(n log n). Counted twice: by the replay's own step counter, and independently of the
 * code under test by the bytes the replaying thread allocates, which must grow by no more than ~2.2× when n
 * doubles (a quadratic scheduler grows 4×). Time is measured in the JMH benchmark, not here.
 */
class SpaceReplayCostTest {

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    @ParameterizedTest
    @EnumSource(HostileHistories.Kind.class)
    void hostileHistoryCostsNLogN(HostileHistories.Kind kind) throws Exception {
        long[] allocated = new long[3];
        int[] sizes = {2500, 5000, 10000};
        for (int i = 0; i < sizes.length; i++) {
            HostileHistories h = HostileHistories.of(kind, sizes[i]);
            CredentialVerifier fresh = CredentialVerifier.builder().ignoreRevocation().build(); // no chain cache carried over
            long before = THREADS.getCurrentThreadAllocatedBytes();
            SpaceState s = SpaceReplay.replay(h.spaceKey, h.entries, fresh);
            allocated[i] = THREADS.getCurrentThreadAllocatedBytes() - before;
            int n = h.entries.size();
            assertThat(s.steps()).as("%s, n = %d", kind, n).isLessThanOrEqualTo(SpaceReplayPropertiesTest.bound(n));
            assertThat(s.roleOf(h.owner.identity())).contains(SpaceRole.SPACE_ROLE_OWNER);
            assertThat(s.isRevoked(h.owner.identity(), h.owner.device().key())).isFalse();
        }
        for (int i = 1; i < sizes.length; i++) {
            double ratio = (double) allocated[i] / allocated[i - 1];
            assertThat(ratio).as("%s: allocation from n = %d to %d (%d -> %d bytes)", kind, sizes[i - 1], sizes[i],
                    allocated[i - 1], allocated[i]).isLessThan(2.6);
        }
    }
}
