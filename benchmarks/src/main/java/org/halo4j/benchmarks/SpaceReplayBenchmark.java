package org.halo4j.benchmarks;

import java.util.concurrent.TimeUnit;
import org.halo4j.credentials.CredentialVerifier;
import org.halo4j.keys.KeyringException;
import org.halo4j.spaces.SpaceEntry;
import org.halo4j.spaces.SpaceReplay;
import org.halo4j.spaces.SpaceState;
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
 * Replaying a space of {@code members} SpaceMember credentials against the same number of raw Bouncy Castle
 * Ed25519 verifies of those credentials' signatures, in one run (goal: replay ≤ 1.2× the raw verifies).
 * Single-shot: each operation is a whole replay.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx4g")
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@State(Scope.Benchmark)
public class SpaceReplayBenchmark {

    @Param("100000")
    public int members;

    SpaceHistory history;
    RawSignatures raw;

    @Setup(Level.Trial)
    public void setUp() throws KeyringException, com.google.protobuf.InvalidProtocolBufferException {
        history = SpaceHistory.of(members);
        raw = RawSignatures.of(history.entries);
        SpaceState s = replay();
        if (s.members().size() != members + 1 || !s.refused().isEmpty() || !s.pending().isEmpty()) {
            throw new IllegalStateException("the benchmark space does not replay cleanly: " + s);
        }
    }

    /** The baseline: one raw Ed25519 verify per credential, each with its own signer's key bytes. */
    @Benchmark
    public int rawVerifies() {
        return raw.verifyAll();
    }

    /** A full replay: strict decoding, signature and chain of every credential, and the rules of state. */
    @Benchmark
    public SpaceState replay() {
        return SpaceReplay.replay(history.spaceKey, history.entries);
    }

    /** Entries of the benchmark space, for tools that measure its heap. */
    java.util.List<SpaceEntry> entries() {
        return history.entries;
    }
}
