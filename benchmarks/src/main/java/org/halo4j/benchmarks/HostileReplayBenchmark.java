package org.halo4j.benchmarks;

import java.util.concurrent.TimeUnit;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.halo4j.keys.SignatureDomain;
import org.halo4j.proto.v1.Credential;
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
 * entries, against the floor: one raw Bouncy Castle Ed25519 verify of each entry's signature, in the same run.
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
    byte[][] messages;
    byte[][] signatures;
    byte[][] signers;

    @Setup(Level.Trial)
    public void setUp() throws KeyringException, com.google.protobuf.InvalidProtocolBufferException {
        history = HostileHistories.of(kind, n);
        int size = history.entries.size();
        messages = new byte[size][];
        signatures = new byte[size][];
        signers = new byte[size][];
        for (int i = 0; i < size; i++) {
            Credential c = Credential.parseFrom(history.entries.get(i).payload());
            messages[i] = SignatureDomain.CREDENTIAL.message(c.getBody().toByteArray());
            signatures[i] = c.getProof().getSignature().toByteArray();
            signers[i] = c.getProof().getSigner().toByteArray();
        }
    }

    /** The floor: one raw Ed25519 verify per entry, decoding the signer's key each time. */
    @Benchmark
    public int rawVerifies() {
        int ok = 0;
        for (int i = 0; i < messages.length; i++) {
            if (Ed25519.verify(signatures[i], 0, signers[i].clone(), 0, messages[i], 0, messages[i].length)) {
                ok++;
            }
        }
        if (ok != messages.length) {
            throw new IllegalStateException("raw verify failed");
        }
        return ok;
    }

    @Benchmark
    public SpaceState replay() {
        return SpaceReplay.replay(history.spaceKey, history.entries, CredentialVerifier.builder().ignoreRevocation().build());
    }
}
