package org.halo4j.feeds;

import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.halo4j.errors.HaloRejectedException;
import org.halo4j.internal.wire.Timestamps;
import org.halo4j.keys.InMemoryKeyring;
import org.halo4j.keys.KeyringException;
import org.halo4j.keys.PublicKey;
import org.halo4j.keys.SignatureDomain;
import org.halo4j.proto.v1.FeedEntry;
import org.halo4j.proto.v1.FeedEntryBody;

/** One feed key in an in-memory keyring, its writer, and a low-level signer for entries halo4j would refuse to write. */
final class FeedKit {

    static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");

    final InMemoryKeyring keyring = new InMemoryKeyring();
    final PublicKey key = keyring.generate();
    final FeedWriter writer = FeedWriter.of(keyring, key).withClock(Clock.fixed(NOW, ZoneOffset.UTC));

    static ByteString text(String s) {
        return ByteString.copyFrom(s, StandardCharsets.UTF_8);
    }

    /** Entries 0 .. n-1, payloads "entry i". */
    List<VerifiedEntry> chain(int n) throws KeyringException, HaloRejectedException {
        List<VerifiedEntry> out = new ArrayList<>();
        Optional<VerifiedEntry> prev = Optional.empty();
        for (int i = 0; i < n; i++) {
            VerifiedEntry e = FeedVerifier.verifyNext(key, prev, writer.next(prev, text("entry " + i)));
            out.add(e);
            prev = Optional.of(e);
        }
        return out;
    }

    /** The body the writer would build after {@code prev}, for tests to change before signing. */
    FeedEntryBody.Builder body(Optional<VerifiedEntry> prev, ByteString payload) {
        FeedEntryBody.Builder b = FeedEntryBody.newBuilder()
                .setFeedKey(ByteString.copyFrom(key.toBytes()))
                .setPayload(payload)
                .setWrittenAt(Timestamps.of(NOW));
        prev.ifPresent(p -> b.setSeq(p.seq() + 1).setPrevHash(p.hash()));
        return b;
    }

    /** Signs exactly {@code body} with this kit's feed key. */
    FeedEntry sign(ByteString body) throws KeyringException {
        return sign(key, body);
    }

    /** Signs exactly {@code body} with {@code signer}, which this kit's keyring holds. */
    FeedEntry sign(PublicKey signer, ByteString body) throws KeyringException {
        byte[] sig = keyring.sign(signer, SignatureDomain.FEED_ENTRY, body.toByteArray());
        return FeedEntry.newBuilder().setBody(body).setSignature(ByteString.copyFrom(sig)).build();
    }
}
