package org.halo4j.benchmarks;

import java.util.concurrent.TimeUnit;
import org.halo4j.credentials.CredentialVerifier;
import org.halo4j.keys.KeyringException;
import org.halo4j.spaces.SpaceReplay;
import org.halo4j.spaces.SpaceState;
import org.halo4j.testing.HostileHistories;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Replay of histories built to be slow (the shapes of {@link HostileHistories.Kind}), at {@code n} hostile
 * entries, against the floor: one raw Bouncy Castle Ed25519 verify of each entry's signature, in the same run, on
 * one thread and on all cores (a replay checks signatures on all of them).
 * The figures docs/performance.md records are replay / raw for each shape and size, and how replay time grows
 * when n doubles. Each replay uses a fresh verifier, so no chain cache carries over between operations.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx2g")
@Warmup(iterations = 2)
@Measurement(iterations = 4)
@State(Scope.Benchmark)
public class HostileReplayBenchmark {

    @Param({"SELF_REMOVALS", "STRANGER_REVOCATIONS", "REMOVAL_BLOCKERS", "PARENTLESS_GRANTS", "PENDING_CHAIN",
            "STACKED_MUTUAL_REMOVALS"})
    public HostileHistories.Kind kind;

    @Param({"5000", "10000"})
    public int n;

    HostileHistories history;
    RawSignatures raw;
    RawSignatures distinct;

    @Setup(Level.Trial)
    public void setUp() throws KeyringException, com.google.protobuf.InvalidProtocolBufferException {
        history = HostileHistories.of(kind, n);
        raw = RawSignatures.of(history.entries);
        distinct = RawSignatures.distinctOf(history.entries);
        System.out.printf("%n  %s: %d entries, %d distinct signatures%n", kind, history.entries.size(), distinct.size());
    }

    /** The floor: one raw Ed25519 verify per entry, decoding the signer's key each time. */
    @Benchmark
    public int rawVerifies() {
        return raw.verifyAll();
    }

    /** The same floor on all cores: a replay checks its entries' signatures on all of them. */
    @Benchmark
    public int rawVerifiesOnAllCores() {
        return raw.verifyAllOnAllCores();
    }

    /**
     * The true floor on all cores: every distinct signature in the input (entry proofs, chain links, device
     * consents) checked once, as any verifier must.
     */
    @Benchmark
    public int distinctSignaturesOnAllCores() {
        return distinct.verifyAllOnAllCores();
    }

    @Benchmark
    public SpaceState replay() {
        return SpaceReplay.replay(history.spaceKey, history.entries, CredentialVerifier.builder().ignoreRevocation().build());
    }
}
