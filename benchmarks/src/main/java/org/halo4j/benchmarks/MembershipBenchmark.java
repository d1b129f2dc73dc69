package org.halo4j.benchmarks;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.halo4j.credentials.CredentialVerifier;
import org.halo4j.keys.KeyringException;
import org.halo4j.spaces.SpaceEntry;
import org.halo4j.spaces.SpaceMembership;
import org.halo4j.spaces.SpaceReplay;
import org.halo4j.spaces.SpaceState;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The life of a large space, in one run: appending one new member to a space of {@code members} through
 * {@link SpaceMembership} (goal ≤ 5× one raw Ed25519 verify, {@code rawVerify}), and replaying a space whose
 * {@code members} grants come from {@code admins} different ADMINs (goal ≤ 1.2× the raw verifies of its entries,
 * {@code rawVerifiesOfAdminSpace}).
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx6g")
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@State(Scope.Benchmark)
public class MembershipBenchmark {

    static final int APPENDS = 1000;

    @Param("100000")
    public int members;

    @Param("100")
    public int admins;

    SpaceHistory history;
    SpaceMembership membership;
    int next;
    SpaceHistory adminSpace;
    RawSignatures raw;

    @Setup(Level.Trial)
    public void setUp() throws KeyringException, com.google.protobuf.InvalidProtocolBufferException {
        history = SpaceHistory.of(members, APPENDS * 8);
        membership = new SpaceMembership(history.spaceKey, CredentialVerifier.builder().ignoreRevocation().build());
        membership.add(history.entries);
        adminSpace = SpaceHistory.withAdmins(members, admins);
        raw = RawSignatures.of(adminSpace.entries);
    }

    /** One new member at a time, {@value #APPENDS} per invocation; the result is per append. */
    @Benchmark
    @OperationsPerInvocation(APPENDS)
    public int appendOneMember() {
        for (int i = 0; i < APPENDS; i++) {
            SpaceEntry e = history.later.get(next++);
            membership.add(List.of(e));
        }
        if (membership.fullReplays() != 0) {
            throw new IllegalStateException("an append replayed the whole space");
        }
        return next;
    }

    /** The floor for one append: one raw verify of one credential's signature ({@value #APPENDS} per invocation). */
    @Benchmark
    @OperationsPerInvocation(APPENDS)
    public int rawVerify() {
        int ok = 0;
        for (int i = 0; i < APPENDS; i++) {
            if (raw.verify(i % raw.size())) {
                ok++;
            }
        }
        return ok;
    }

    /** A full replay of the space whose members come from {@code admins} admins. */
    @Benchmark
    public SpaceState replayAdminSpace() {
        return SpaceReplay.replay(adminSpace.spaceKey, adminSpace.entries, CredentialVerifier.builder().ignoreRevocation().build());
    }

    /** Its floor: one raw verify per entry. */
    @Benchmark
    public int rawVerifiesOfAdminSpace() {
        return raw.verifyAll();
    }

    /** The same floor on all cores, as the replay checks signatures. */
    @Benchmark
    public int rawVerifiesOfAdminSpaceOnAllCores() {
        return raw.verifyAllOnAllCores();
    }
}
