package org.halo4j.fuzz;

import com.google.protobuf.ByteString;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.halo4j.feeds.FeedVerifier;
import org.halo4j.feeds.FeedWriter;
import org.halo4j.feeds.ForkProof;
import org.halo4j.feeds.VerifiedEntry;
import org.halo4j.keys.InMemoryKeyring;
import org.halo4j.keys.PublicKey;
import org.halo4j.proto.v1.FeedEntry;

/**
 * Writes the seed corpora of {@link FeedDecodersFuzzTest}: a first entry, a second entry linked to it, and a fork
 * proof at seq 1. Run once, by hand, like {@link FuzzSeeds}:
 * <pre>
 * java -cp target/test-classes:target/classes:$(cat target/cp.txt) org.halo4j.fuzz.FeedFuzzSeeds src/test/resources
 * </pre>
 */
public final class FeedFuzzSeeds {

    private FeedFuzzSeeds() {
    }

    public static void main(String[] args) throws Exception {
        Path base = Path.of(args[0], "org", "halo4j", "fuzz", "FeedDecodersFuzzTestInputs");
        InMemoryKeyring keyring = new InMemoryKeyring();
        PublicKey key = keyring.generate();
        FeedWriter writer = FeedWriter.of(keyring, key)
                .withClock(Clock.fixed(Instant.parse("2026-11-22T10:00:00Z"), ZoneOffset.UTC));
        FeedEntry first = writer.first(ByteString.copyFromUtf8("first entry"));
        VerifiedEntry v = FeedVerifier.verify(first);
        FeedEntry second = writer.next(Optional.of(v), ByteString.copyFromUtf8("second entry"));
        FeedEntry other = writer.next(Optional.of(v), ByteString.copyFromUtf8("another second entry"));
        Path entries = Files.createDirectories(base.resolve("entryVerifiesOrIsRejected"));
        Files.write(entries.resolve("first-entry"), first.toByteArray());
        Files.write(entries.resolve("second-entry"), second.toByteArray());
        Path proofs = Files.createDirectories(base.resolve("forkProofParsesOrIsRejected"));
        Files.write(proofs.resolve("fork-at-1"), ForkProof.of(second, other).toBytes());
    }
}
