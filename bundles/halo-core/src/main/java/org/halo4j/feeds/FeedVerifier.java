package org.halo4j.feeds;

import com.google.protobuf.ByteString;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.halo4j.errors.HaloRejectedException;
import org.halo4j.credentials.InvalidSignatureException;
import org.halo4j.credentials.LimitExceededException;
import org.halo4j.credentials.MalformedCredentialException;
import org.halo4j.errors.RejectionCode;
import org.halo4j.internal.wire.StrictDecoder;
import org.halo4j.internal.wire.Timestamps;
import org.halo4j.keys.Ed25519;
import org.halo4j.keys.PublicKey;
import org.halo4j.keys.SignatureDomain;
import org.halo4j.proto.v1.FeedEntry;
import org.halo4j.proto.v1.FeedEntryBody;

/**
 * Verifies feed entries (DESIGN §2, §3) in ordered, named steps, every structural step before any
 * cryptography:
 * <ol>
 *   <li>{@linkplain #checkSize size} — at most {@link org.halo4j.credentials.Limits#MAX_MESSAGE_BYTES}, before
 *       anything else;</li>
 *   <li>{@linkplain #decode strict decode} — envelope and body, no unknown fields, canonical bytes;</li>
 *   <li>{@linkplain #checkFields fields} — feed key 32 bytes, signature 64, {@code prev_hash} empty for seq 0 and
 *       32 bytes otherwise, {@code written_at} present and in range;</li>
 *   <li>{@linkplain #checkLink link} (only in {@link #verifyNext}) — the same feed, seq one more than the previous
 *       entry's, {@code prev_hash} equal to the previous entry's body hash;</li>
 *   <li>{@linkplain #checkSignature signature} — Ed25519 by the feed key over
 *       {@code "halo/feed-entry/v1" || 0x00 || body}.</li>
 * </ol>
 * Stateless and thread-safe. Rejections are {@link HaloRejectedException}s with a precise
 * {@link RejectionCode}.
 */
public final class FeedVerifier {

    private FeedVerifier() {
    }

    /** Verifies an encoded {@code halo.v1.FeedEntry} on its own: steps 1, 2, 3 and 5. */
    public static VerifiedEntry verify(byte[] encoded) throws HaloRejectedException {
        checkSize(encoded == null ? 0 : encoded.length);
        FeedEntry entry = StrictDecoder.parse(FeedEntry.parser(), encoded, "feed entry");
        return checkSignature(checkFields(entry, decode(entry)));
    }

    /** Verifies an encoded {@code halo.v1.FeedEntry} on its own: steps 1, 2, 3 and 5. */
    public static VerifiedEntry verify(ByteString encoded) throws HaloRejectedException {
        checkSize(encoded.size());
        FeedEntry entry = StrictDecoder.parse(FeedEntry.parser(), encoded, "feed entry");
        return checkSignature(checkFields(entry, decode(entry)));
    }

    /**
     * Verifies a feed entry on its own: steps 1, 2, 3 and 5. The entry is checked as the bytes it encodes to, so
     * an entry carrying unknown fields is refused as if it had been received.
     */
    public static VerifiedEntry verify(FeedEntry entry) throws HaloRejectedException {
        checkSize(entry.getSerializedSize());
        return verify(entry.toByteString());
    }

    /**
     * Verifies {@code entry} as the next entry of the feed of {@code feedKey}, after {@code previous} (empty: as
     * the feed's first entry). All five steps; the link is checked before the signature.
     */
    public static VerifiedEntry verifyNext(PublicKey feedKey, Optional<VerifiedEntry> previous, FeedEntry entry)
            throws HaloRejectedException {
        checkSize(entry.getSerializedSize());
        return verifyNext(feedKey, previous, entry.toByteString());
    }

    /** Verifies encoded entry bytes as the next entry of a feed; see {@link #verifyNext(PublicKey, Optional, FeedEntry)}. */
    public static VerifiedEntry verifyNext(PublicKey feedKey, Optional<VerifiedEntry> previous, ByteString encoded)
            throws HaloRejectedException {
        checkSize(encoded.size());
        FeedEntry entry = StrictDecoder.parse(FeedEntry.parser(), encoded, "feed entry");
        VerifiedEntry unsigned = checkFields(entry, decode(entry));
        checkLink(feedKey, previous, unsigned);
        return checkSignature(unsigned);
    }

    // ---- step 1: size -----------------------------------------------------------------------------------

    /** "Limits, checked before any crypto (MUST, same on every peer): message 64 KiB." */
    private static void checkSize(int size) throws LimitExceededException {
        StrictDecoder.checkSize(size, "feed entry");
    }

    // ---- step 2: strict decode --------------------------------------------------------------------------

    /**
     * "Strict decoding: unknown fields are rejected; a signed body ... must re-encode to exactly the received
     * bytes."
     */
    private static FeedEntryBody decode(FeedEntry entry) throws HaloRejectedException {
        return StrictDecoder.parse(FeedEntryBody.parser(), entry.getBody(), "feed entry body");
    }

    // ---- step 3: fields ---------------------------------------------------------------------------------

    /**
     * "Signing keys are Ed25519, 32-byte public keys"; "prev_hash: SHA-256 of the previous entry's body; empty
     * for seq 0". Returns an entry whose signature is not yet checked; only {@link #checkSignature} lets it out.
     */
    private static VerifiedEntry checkFields(FeedEntry entry, FeedEntryBody body) throws MalformedCredentialException {
        if (body.getFeedKey().size() != PublicKey.LENGTH) {
            throw invalid("feed_key must be " + PublicKey.LENGTH + " bytes, found " + body.getFeedKey().size());
        }
        PublicKey feedKey = PublicKey.of(body.getFeedKey().toByteArray());
        if (entry.getSignature().size() != Ed25519.SIGNATURE_LENGTH) {
            throw invalid("signature must be " + Ed25519.SIGNATURE_LENGTH + " bytes, found " + entry.getSignature().size());
        }
        long seq = body.getSeq();
        if (seq < 0) {
            throw invalid("seq must be at most " + Long.MAX_VALUE + ", found " + Long.toUnsignedString(seq));
        }
        int prevLength = body.getPrevHash().size();
        if (seq == 0 && prevLength != 0) {
            throw invalid("prev_hash must be empty at seq 0, found " + prevLength + " bytes");
        }
        if (seq > 0 && prevLength != BodyHash.LENGTH) {
            throw invalid("prev_hash must be " + BodyHash.LENGTH + " bytes at seq " + seq + ", found " + prevLength);
        }
        if (!body.hasWrittenAt()) {
            throw invalid("written_at is missing");
        }
        Instant writtenAt = Timestamps.toInstant(body.getWrittenAt(), "written_at");
        return new VerifiedEntry(feedKey, seq, body.getPrevHash(), body.getPayload(), writtenAt,
                BodyHash.of(entry.getBody()), entry);
    }

    // ---- step 4: link -----------------------------------------------------------------------------------

    /**
     * "A Feed is a hash-linked, signed, append-only log with a single writer (one feed key)": the entry belongs
     * to {@code feedKey}; its seq is 0 with no previous entry, else the previous seq + 1; its {@code prev_hash} is
     * the SHA-256 of the previous entry's body. Checks no signature: {@code entry} may be verified already.
     *
     * @throws FeedLinkException with {@link RejectionCode#FEED_KEY}, {@link RejectionCode#FEED_SEQUENCE} or
     *                           {@link RejectionCode#FEED_LINK}
     */
    public static void checkLink(PublicKey feedKey, Optional<VerifiedEntry> previous, VerifiedEntry entry)
            throws FeedLinkException {
        Objects.requireNonNull(feedKey, "feedKey");
        if (!entry.feedKey().equals(feedKey)) {
            throw new FeedLinkException(RejectionCode.FEED_KEY, "expected an entry of feed " + feedKey.shortId()
                    + ", found one of feed " + entry.feedKey().shortId());
        }
        if (previous.isEmpty()) {
            if (entry.seq() != 0) {
                throw new FeedLinkException(RejectionCode.FEED_SEQUENCE, "expected the first entry of feed "
                        + feedKey.shortId() + " at seq 0, found seq " + entry.seq());
            }
            return;
        }
        VerifiedEntry prev = previous.get();
        if (!prev.feedKey().equals(feedKey)) {
            throw new IllegalArgumentException("the previous entry is of feed " + prev.feedKey().shortId()
                    + ", not of feed " + feedKey.shortId());
        }
        if (entry.seq() != prev.seq() + 1) {
            throw new FeedLinkException(RejectionCode.FEED_SEQUENCE, "expected the entry of feed "
                    + feedKey.shortId() + " at seq " + (prev.seq() + 1) + ", found seq " + entry.seq());
        }
        if (!entry.prevHash().equals(prev.hash())) {
            throw new FeedLinkException(RejectionCode.FEED_LINK, "entry " + entry.seq() + " of feed "
                    + feedKey.shortId() + " expected prev_hash " + prev.shortId() + ", found "
                    + BodyHash.shortId(entry.prevHash()));
        }
    }

    // ---- step 5: signature ------------------------------------------------------------------------------

    /** "FeedEntry.signature: by the feed key, over "halo/feed-entry/v1" || 0x00 || body." */
    private static VerifiedEntry checkSignature(VerifiedEntry e) throws InvalidSignatureException {
        if (!Ed25519.verify(e.feedKey(), SignatureDomain.FEED_ENTRY, e.body().toByteArray(),
                e.entry().getSignature().toByteArray())) {
            throw new InvalidSignatureException(RejectionCode.SIGNATURE_INVALID, "entry " + e.seq() + " of feed "
                    + e.feedKey().shortId() + " is not signed by its feed key");
        }
        return e;
    }

    private static MalformedCredentialException invalid(String message) {
        return new MalformedCredentialException(RejectionCode.INVALID_FIELD, "feed entry: " + message);
    }
}
