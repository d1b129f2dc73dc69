package org.halo4j.feeds;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import org.halo4j.credentials.Limits;
import org.halo4j.internal.wire.Timestamps;
import org.halo4j.keys.Ed25519;
import org.halo4j.keys.Keyring;
import org.halo4j.keys.KeyringException;
import org.halo4j.keys.PublicKey;
import org.halo4j.keys.SignatureDomain;
import org.halo4j.proto.v1.FeedEntry;
import org.halo4j.proto.v1.FeedEntryBody;

/**
 * Signs the entries of one feed with its key in a {@link Keyring}: builds the {@code FeedEntryBody} (feed key,
 * seq, {@code prev_hash} = SHA-256 of the previous entry's body or empty for seq 0, payload, {@code written_at}),
 * serializes it once and signs exactly those bytes under {@link SignatureDomain#FEED_ENTRY} (DESIGN §3). What it
 * signs passes {@link FeedVerifier#verifyNext}: halo4j never signs an entry it would refuse.
 *
 * <p>Immutable and thread-safe, and it keeps no position: the caller says which entry comes before. A feed has a
 * single writer, and two different entries signed at one position are a fork (DESIGN §4 rule 7) that ends the
 * feed, so sign the next entry only after the previous one is durable, and never twice for one position
 * (a store that signs and appends under one lock does this).
 */
public final class FeedWriter {

    private final Keyring keyring;
    private final PublicKey feedKey;
    private final Clock clock;

    private FeedWriter(Keyring keyring, PublicKey feedKey, Clock clock) {
        this.keyring = Objects.requireNonNull(keyring, "keyring");
        this.feedKey = Objects.requireNonNull(feedKey, "feedKey");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** A writer of the feed of {@code feedKey}, whose private key {@code keyring} holds; {@code written_at} from the system clock. */
    public static FeedWriter of(Keyring keyring, PublicKey feedKey) {
        return new FeedWriter(keyring, feedKey, Clock.systemUTC());
    }

    /** The same writer with {@code clock} for {@code written_at}. */
    public FeedWriter withClock(Clock clock) {
        return new FeedWriter(keyring, feedKey, clock);
    }

    /** The feed's key. */
    public PublicKey feedKey() {
        return feedKey;
    }

    /** Signs the first entry of the feed (seq 0, no {@code prev_hash}). */
    public FeedEntry first(ByteString payload) throws KeyringException {
        return next(Optional.empty(), payload);
    }

    /**
     * Signs the entry after {@code previous}, or the first entry if it is empty.
     *
     * @throws IllegalArgumentException if {@code previous} is of another feed, or the entry would be larger than
     *                                  {@link Limits#MAX_MESSAGE_BYTES}
     * @throws KeyringException         if the keyring cannot sign with the feed key (for example it does not hold it)
     */
    public FeedEntry next(Optional<VerifiedEntry> previous, ByteString payload) throws KeyringException {
        Objects.requireNonNull(payload, "payload");
        FeedEntryBody.Builder body = FeedEntryBody.newBuilder()
                .setFeedKey(ByteString.copyFrom(feedKey.toBytes()))
                .setPayload(payload)
                .setWrittenAt(Timestamps.of(clock.instant()));
        if (previous.isPresent()) {
            VerifiedEntry prev = previous.get();
            if (!prev.feedKey().equals(feedKey)) {
                throw new IllegalArgumentException("the previous entry is of feed " + prev.feedKey().shortId()
                        + ", this writer writes feed " + feedKey.shortId());
            }
            body.setSeq(Math.addExact(prev.seq(), 1)).setPrevHash(prev.hash());
        }
        ByteString bytes = body.build().toByteString();
        int size = entrySize(bytes.size());
        if (size > Limits.MAX_MESSAGE_BYTES) {
            throw new IllegalArgumentException("refusing to sign: the entry would be " + size
                    + " bytes; the limit is " + Limits.MAX_MESSAGE_BYTES);
        }
        byte[] signature = keyring.sign(feedKey, SignatureDomain.FEED_ENTRY, bytes.toByteArray());
        return FeedEntry.newBuilder().setBody(bytes).setSignature(ByteString.copyFrom(signature)).build();
    }

    /** Size of an encoded FeedEntry whose body is {@code bodySize} bytes. */
    static int entrySize(int bodySize) {
        return CodedOutputStream.computeTagSize(FeedEntry.BODY_FIELD_NUMBER)
                + CodedOutputStream.computeUInt32SizeNoTag(bodySize) + bodySize
                + CodedOutputStream.computeTagSize(FeedEntry.SIGNATURE_FIELD_NUMBER)
                + CodedOutputStream.computeUInt32SizeNoTag(Ed25519.SIGNATURE_LENGTH) + Ed25519.SIGNATURE_LENGTH;
    }
}
