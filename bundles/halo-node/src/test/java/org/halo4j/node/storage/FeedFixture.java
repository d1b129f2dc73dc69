package org.halo4j.node.storage;

import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.halo4j.feeds.FeedVerifier;
import org.halo4j.feeds.FeedWriter;
import org.halo4j.feeds.VerifiedEntry;
import org.halo4j.keys.InMemoryKeyring;
import org.halo4j.keys.PublicKey;
import org.halo4j.keys.SignatureDomain;
import org.halo4j.proto.v1.FeedEntry;

/** A feed key in an in-memory keyring, its writer, and ready-made chains of entries. */
final class FeedFixture {

    final InMemoryKeyring keyring = new InMemoryKeyring();
    final PublicKey key = keyring.generate();
    final FeedWriter writer = FeedWriter.of(keyring, key);

    static ByteString text(String s) {
        return ByteString.copyFrom(s, StandardCharsets.UTF_8);
    }

    /** Entries 0 .. n-1 with payloads "entry i". */
    List<FeedEntry> chain(int n) throws Exception {
        return chainAfter(Optional.empty(), n, i -> text("entry " + i));
    }

    /** Entries 0 .. n-1 with random payloads of 0 .. maxPayload bytes. */
    List<FeedEntry> randomChain(int n, int maxPayload, Random random) throws Exception {
        return chainAfter(Optional.empty(), n, i -> {
            byte[] p = new byte[random.nextInt(maxPayload + 1)];
            random.nextBytes(p);
            return ByteString.copyFrom(p);
        });
    }

    interface Payloads {
        ByteString of(long seq);
    }

    /** {@code n} entries after {@code prev}. */
    List<FeedEntry> chainAfter(Optional<VerifiedEntry> prev, int n, Payloads payloads) throws Exception {
        List<FeedEntry> out = new ArrayList<>();
        Optional<VerifiedEntry> p = prev;
        for (int i = 0; i < n; i++) {
            long seq = p.map(e -> e.seq() + 1).orElse(0L);
            FeedEntry e = writer.next(p, payloads.of(seq));
            out.add(e);
            p = Optional.of(FeedVerifier.verify(e));
        }
        return out;
    }

    /** Another entry at the position of {@code entries.get(seq)}, signed by the same key: a fork. */
    FeedEntry conflicting(List<FeedEntry> entries, int seq, String payload) throws Exception {
        Optional<VerifiedEntry> prev = seq == 0 ? Optional.empty() : Optional.of(FeedVerifier.verify(entries.get(seq - 1)));
        return writer.next(prev, text(payload));
    }

    /** Signs exactly {@code body} with {@code signer}, which this fixture's keyring holds. */
    FeedEntry sign(PublicKey signer, ByteString body) throws Exception {
        byte[] sig = keyring.sign(signer, SignatureDomain.FEED_ENTRY, body.toByteArray());
        return FeedEntry.newBuilder().setBody(body).setSignature(ByteString.copyFrom(sig)).build();
    }

    static VerifiedEntry verified(FeedEntry e) throws Exception {
        return FeedVerifier.verify(e);
    }
}
