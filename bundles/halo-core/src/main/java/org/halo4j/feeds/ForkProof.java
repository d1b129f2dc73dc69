package org.halo4j.feeds;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.halo4j.errors.HaloRejectedException;
import org.halo4j.credentials.Limits;
import org.halo4j.credentials.MalformedCredentialException;
import org.halo4j.errors.RejectionCode;
import org.halo4j.internal.wire.StrictDecoder;
import org.halo4j.keys.PublicKey;
import org.halo4j.proto.v1.FeedEntry;

/**
 * Proof that a feed's writer forked (DESIGN §4 rule 7): "Two different entries at the same position of one
 * feed, both signed by its key, prove the writer forked: every peer drops that feed from the fork position on,
 * and keeps the proof."
 *
 * <p>Both entries are verified again when a proof is constructed, so a {@code ForkProof} always holds two
 * validly signed entries of one feed at one seq with different bodies; entries with equal bodies (even with
 * different signature bytes) are the same entry, not a fork. The two are kept in a canonical order — {@link #first()}
 * has the smaller body hash, unsigned — so peers that learned the two entries in different orders hold equal
 * proofs and encode them to equal bytes ({@code halo.v1.ForkProof}).
 *
 * @param first  the entry whose body hash is smaller
 * @param second the other entry at the same position
 */
public record ForkProof(VerifiedEntry first, VerifiedEntry second) {

    /**
     * Largest encoded proof: two entries of at most {@link Limits#MAX_MESSAGE_BYTES} each, with their field
     * tags and lengths.
     */
    public static final int MAX_BYTES = 2 * (CodedOutputStream.computeTagSize(1)
            + CodedOutputStream.computeUInt32SizeNoTag(Limits.MAX_MESSAGE_BYTES) + Limits.MAX_MESSAGE_BYTES);

    private static final Comparator<ByteString> UNSIGNED = ByteString.unsignedLexicographicalComparator();

    /**
     * Checks that the two entries are a fork and puts them in canonical order.
     *
     * @throws IllegalArgumentException if an entry does not verify as it claims, or the two are of different
     *                                  feeds, at different positions, or have equal bodies
     */
    public ForkProof {
        Objects.requireNonNull(first, "first");
        Objects.requireNonNull(second, "second");
        Optional<String> problem = notAFork(first, second);
        if (problem.isPresent()) {
            throw new IllegalArgumentException("not a fork proof: " + problem.get());
        }
        reverify(first);
        reverify(second);
        if (UNSIGNED.compare(first.hash(), second.hash()) > 0) {
            VerifiedEntry swap = first;
            first = second;
            second = swap;
        }
    }

    /**
     * Verifies both entries (strict decoding, fields, signature by the feed key) and makes the proof.
     *
     * @throws HaloRejectedException if an entry does not verify, or ({@link RejectionCode#FEED_FORK_PROOF})
     *                                     if the two are not different entries at one position of one feed
     */
    public static ForkProof of(FeedEntry a, FeedEntry b) throws HaloRejectedException {
        return of(FeedVerifier.verify(a), FeedVerifier.verify(b));
    }

    /**
     * Makes the proof from two verified entries.
     *
     * @throws HaloRejectedException ({@link RejectionCode#FEED_FORK_PROOF}) if the two are not different
     *                                     entries at one position of one feed
     */
    public static ForkProof of(VerifiedEntry a, VerifiedEntry b) throws HaloRejectedException {
        Optional<String> problem = notAFork(a, b);
        if (problem.isPresent()) {
            throw new HaloRejectedException(RejectionCode.FEED_FORK_PROOF, "not a fork proof: " + problem.get());
        }
        return new ForkProof(a, b);
    }

    /**
     * Decodes an encoded {@code halo.v1.ForkProof} (at most {@link #MAX_BYTES}) strictly and verifies both entries.
     *
     * @throws HaloRejectedException if it does not decode, an entry does not verify, or it proves no fork
     */
    public static ForkProof parse(byte[] encoded) throws HaloRejectedException {
        if (encoded == null) {
            throw new MalformedCredentialException(RejectionCode.MALFORMED, "fork proof is missing");
        }
        StrictDecoder.checkSize(encoded.length, "fork proof", MAX_BYTES);
        org.halo4j.proto.v1.ForkProof p = StrictDecoder.parse(org.halo4j.proto.v1.ForkProof.parser(),
                ByteString.copyFrom(encoded), "fork proof", MAX_BYTES);
        if (!p.hasFirst() || !p.hasSecond()) {
            throw new MalformedCredentialException(RejectionCode.INVALID_FIELD, "fork proof: an entry is missing");
        }
        return of(p.getFirst(), p.getSecond());
    }

    /**
     * Looks for a fork between the verified entries of a feed and a verified {@code candidate}: the entry of
     * {@code feed} at the candidate's position, if it is there and has another body. The caller drops the feed
     * from {@link #position()} on.
     *
     * @param feed contiguous entries of one feed, in seq order (any window, not necessarily from seq 0)
     * @return the proof, or empty if {@code feed} holds no entry at that position, holds the same entry there, or
     *         is of another feed
     */
    public static Optional<ForkProof> find(List<VerifiedEntry> feed, VerifiedEntry candidate) {
        if (feed.isEmpty() || !feed.get(0).feedKey().equals(candidate.feedKey())) {
            return Optional.empty();
        }
        long index = candidate.seq() - feed.get(0).seq();
        if (index < 0 || index >= feed.size()) {
            return Optional.empty();
        }
        VerifiedEntry held = feed.get((int) index);
        if (held.seq() != candidate.seq()) {
            throw new IllegalArgumentException("feed entries are not contiguous: expected seq " + candidate.seq()
                    + " at index " + index + ", found " + held.seq());
        }
        return held.sameBody(candidate) ? Optional.empty() : Optional.of(new ForkProof(held, candidate));
    }

    /** Of two proofs of one feed, the one to keep: the earlier position, then the smaller hashes. */
    public static ForkProof earlier(ForkProof a, ForkProof b) {
        if (!a.feedKey().equals(b.feedKey())) {
            throw new IllegalArgumentException("proofs of different feeds: " + a.feedKey().shortId() + " and "
                    + b.feedKey().shortId());
        }
        if (a.seq() != b.seq()) {
            return a.seq() < b.seq() ? a : b;
        }
        int c = UNSIGNED.compare(a.first.hash(), b.first.hash());
        if (c == 0) {
            c = UNSIGNED.compare(a.second.hash(), b.second.hash());
        }
        return c <= 0 ? a : b;
    }

    /**
     * The proof to keep once a third entry {@code other} is known at this position: the two entries with the
     * smallest body hashes, so that peers that saw the same entries keep the same proof in any order.
     */
    public ForkProof with(VerifiedEntry other) {
        if (!other.position().equals(position())) {
            throw new IllegalArgumentException("entry at " + other.position() + " is not at " + position());
        }
        if (other.sameBody(first) || other.sameBody(second)) {
            return this;
        }
        return UNSIGNED.compare(other.hash(), second.hash()) < 0 ? new ForkProof(first, other) : this;
    }

    /** The feed whose writer forked. */
    public PublicKey feedKey() {
        return first.feedKey();
    }

    /** The position of the fork. */
    public long seq() {
        return first.seq();
    }

    /** The fork position: every peer drops the feed from here on. */
    public FeedPosition position() {
        return first.position();
    }

    /** The encoded {@code halo.v1.ForkProof}, entries in canonical order. */
    public byte[] toBytes() {
        return org.halo4j.proto.v1.ForkProof.newBuilder()
                .setFirst(first.entry())
                .setSecond(second.entry())
                .build()
                .toByteArray();
    }

    @Override
    public String toString() {
        return "ForkProof[" + position() + ": " + first.shortId() + " and " + second.shortId() + "]";
    }

    private static Optional<String> notAFork(VerifiedEntry a, VerifiedEntry b) {
        if (!a.feedKey().equals(b.feedKey())) {
            return Optional.of("entries of feeds " + a.feedKey().shortId() + " and " + b.feedKey().shortId());
        }
        if (a.seq() != b.seq()) {
            return Optional.of("entries of feed " + a.feedKey().shortId() + " at seq " + a.seq() + " and " + b.seq());
        }
        if (a.sameBody(b)) {
            return Optional.of("the two entries at " + a.position() + " have the same body " + a.shortId());
        }
        return Optional.empty();
    }

    /** The entry must be exactly what verifying its bytes gives: no hand-made VerifiedEntry gets into a proof. */
    private static void reverify(VerifiedEntry claimed) {
        VerifiedEntry actual;
        try {
            actual = FeedVerifier.verify(claimed.entry());
        } catch (HaloRejectedException e) {
            throw new IllegalArgumentException("not a fork proof: " + e.getMessage(), e);
        }
        if (!actual.equals(claimed)) {
            throw new IllegalArgumentException("not a fork proof: entry at " + claimed.position()
                    + " does not hold what it claims");
        }
    }
}
