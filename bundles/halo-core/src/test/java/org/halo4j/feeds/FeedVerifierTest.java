package org.halo4j.feeds;

import static org.halo4j.feeds.FeedKit.text;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.halo4j.errors.HaloRejectedException;
import org.halo4j.credentials.InvalidSignatureException;
import org.halo4j.credentials.LimitExceededException;
import org.halo4j.credentials.Limits;
import org.halo4j.credentials.MalformedCredentialException;
import org.halo4j.errors.RejectionCode;
import org.halo4j.keys.PublicKey;
import org.halo4j.keys.SignatureDomain;
import org.halo4j.proto.v1.FeedEntry;
import org.halo4j.proto.v1.FeedEntryBody;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

@DisplayName("FeedWriter and FeedVerifier (DESIGN §2 Feed, §3 FeedEntry)")
class FeedVerifierTest {

    private final FeedKit kit = new FeedKit();

    private static void rejected(RejectionCode code, Class<? extends HaloRejectedException> type, Executable e) {
        HaloRejectedException x = assertThrows(HaloRejectedException.class, e);
        assertEquals(code, x.code(), x.getMessage());
        assertTrue(type.isInstance(x), "expected " + type.getSimpleName() + ", found " + x);
    }

    @Nested
    @DisplayName("\"A Feed is a hash-linked, signed, append-only log with a single writer\"")
    class RoundTrip {

        @Test
        @DisplayName("entries signed by the writer verify one after the other and link by SHA-256 of the body")
        void chainVerifies() throws Exception {
            List<VerifiedEntry> chain = kit.chain(5);
            assertEquals(0, chain.get(0).seq());
            assertTrue(chain.get(0).prevHash().isEmpty());
            for (int i = 1; i < chain.size(); i++) {
                assertEquals(i, chain.get(i).seq());
                assertEquals(chain.get(i - 1).hash(), chain.get(i).prevHash());
            }
            assertEquals(text("entry 3"), chain.get(3).payload());
            assertEquals(FeedKit.NOW, chain.get(3).writtenAt());
            assertEquals(kit.key, chain.get(4).feedKey());
        }

        @Test
        @DisplayName("the entry's bytes verify on their own, as bytes, as a message and as a ByteString")
        void bytesVerify() throws Exception {
            VerifiedEntry e = kit.chain(2).get(1);
            assertEquals(e, FeedVerifier.verify(e.toBytes()));
            assertEquals(e, FeedVerifier.verify(e.entry()));
            assertEquals(e, FeedVerifier.verify(ByteString.copyFrom(e.toBytes())));
        }

        @Test
        @DisplayName("\"FeedEntry.signature: by the feed key, over halo/feed-entry/v1 || 0x00 || body\"")
        void signatureDomain() throws Exception {
            VerifiedEntry e = kit.chain(1).get(0);
            assertTrue(org.halo4j.keys.Ed25519.verify(kit.key, SignatureDomain.FEED_ENTRY, e.body().toByteArray(),
                    e.entry().getSignature().toByteArray()));
        }
    }

    @Nested
    @DisplayName("\"replicated to peers that verify every entry\": signatures")
    class Signatures {

        @Test
        @DisplayName("an entry naming one feed key but signed by another key is refused")
        void wrongSigner() throws Exception {
            PublicKey other = kit.keyring.generate();
            FeedEntry forged = kit.sign(other, kit.body(Optional.empty(), text("x")).build().toByteString());
            rejected(RejectionCode.SIGNATURE_INVALID, InvalidSignatureException.class, () -> FeedVerifier.verify(forged));
        }

        @Test
        @DisplayName("a signature of another kind (credential domain) is never accepted for a feed entry")
        void otherDomain() throws Exception {
            ByteString body = kit.body(Optional.empty(), text("x")).build().toByteString();
            byte[] sig = kit.keyring.sign(kit.key, SignatureDomain.CREDENTIAL, body.toByteArray());
            FeedEntry e = FeedEntry.newBuilder().setBody(body).setSignature(ByteString.copyFrom(sig)).build();
            rejected(RejectionCode.SIGNATURE_INVALID, InvalidSignatureException.class, () -> FeedVerifier.verify(e));
        }

        @Test
        @DisplayName("a changed payload byte breaks the signature")
        void tamperedPayload() throws Exception {
            VerifiedEntry e = kit.chain(1).get(0);
            FeedEntryBody body = FeedEntryBody.parseFrom(e.body()).toBuilder().setPayload(text("entrx 0")).build();
            FeedEntry t = e.entry().toBuilder().setBody(body.toByteString()).build();
            rejected(RejectionCode.SIGNATURE_INVALID, InvalidSignatureException.class, () -> FeedVerifier.verify(t));
        }
    }

    @Nested
    @DisplayName("\"hash-linked\": linkage to the previous entry")
    class Linkage {

        @Test
        @DisplayName("a seq gap is refused with feed.sequence")
        void gap() throws Exception {
            List<VerifiedEntry> c = kit.chain(3);
            rejected(RejectionCode.FEED_SEQUENCE, FeedLinkException.class,
                    () -> FeedVerifier.verifyNext(kit.key, Optional.of(c.get(0)), c.get(2).entry()));
        }

        @Test
        @DisplayName("an entry at a position already passed is refused with feed.sequence")
        void repeat() throws Exception {
            List<VerifiedEntry> c = kit.chain(3);
            rejected(RejectionCode.FEED_SEQUENCE, FeedLinkException.class,
                    () -> FeedVerifier.verifyNext(kit.key, Optional.of(c.get(2)), c.get(1).entry()));
        }

        @Test
        @DisplayName("a first entry must be at seq 0")
        void firstAtZero() throws Exception {
            List<VerifiedEntry> c = kit.chain(2);
            rejected(RejectionCode.FEED_SEQUENCE, FeedLinkException.class,
                    () -> FeedVerifier.verifyNext(kit.key, Optional.empty(), c.get(1).entry()));
        }

        @Test
        @DisplayName("\"prev_hash: SHA-256 of the previous entry's body\": a broken hash link is refused with feed.link")
        void brokenLink() throws Exception {
            VerifiedEntry first = kit.chain(1).get(0);
            byte[] wrong = first.hash().toByteArray();
            wrong[31] ^= 1;
            FeedEntry e = kit.sign(kit.body(Optional.of(first), text("y"))
                    .setPrevHash(ByteString.copyFrom(wrong)).build().toByteString());
            rejected(RejectionCode.FEED_LINK, FeedLinkException.class,
                    () -> FeedVerifier.verifyNext(kit.key, Optional.of(first), e));
        }

        @Test
        @DisplayName("an entry of another feed is refused with feed.key, even as a first entry")
        void otherFeed() throws Exception {
            FeedKit other = new FeedKit();
            VerifiedEntry theirs = other.chain(1).get(0);
            rejected(RejectionCode.FEED_KEY, FeedLinkException.class,
                    () -> FeedVerifier.verifyNext(kit.key, Optional.empty(), theirs.entry()));
        }

        @Test
        @DisplayName("the link is checked before the signature: a badly linked forgery costs no verification")
        void linkBeforeSignature() throws Exception {
            List<VerifiedEntry> c = kit.chain(3);
            FeedEntry forged = c.get(2).entry().toBuilder().setSignature(ByteString.copyFrom(new byte[64])).build();
            rejected(RejectionCode.FEED_SEQUENCE, FeedLinkException.class,
                    () -> FeedVerifier.verifyNext(kit.key, Optional.of(c.get(0)), forged));
        }
    }

    @Nested
    @DisplayName("\"Strict decoding\" and field lengths")
    class Fields {

        private FeedEntry signedFirst(FeedEntryBody.Builder b) throws Exception {
            return kit.sign(b.build().toByteString());
        }

        @Test
        @DisplayName("feed_key must be 32 bytes")
        void feedKeyLength() throws Exception {
            FeedEntry e = signedFirst(kit.body(Optional.empty(), text("x")).setFeedKey(ByteString.copyFrom(new byte[31])));
            rejected(RejectionCode.INVALID_FIELD, MalformedCredentialException.class, () -> FeedVerifier.verify(e));
        }

        @Test
        @DisplayName("signature must be 64 bytes")
        void signatureLength() throws Exception {
            FeedEntry good = kit.chain(1).get(0).entry();
            FeedEntry e = good.toBuilder().setSignature(good.getSignature().substring(0, 63)).build();
            rejected(RejectionCode.INVALID_FIELD, MalformedCredentialException.class, () -> FeedVerifier.verify(e));
        }

        @Test
        @DisplayName("prev_hash is empty at seq 0")
        void prevHashAtZero() throws Exception {
            FeedEntry e = signedFirst(kit.body(Optional.empty(), text("x")).setPrevHash(ByteString.copyFrom(new byte[32])));
            rejected(RejectionCode.INVALID_FIELD, MalformedCredentialException.class, () -> FeedVerifier.verify(e));
        }

        @Test
        @DisplayName("prev_hash is 32 bytes after seq 0")
        void prevHashLength() throws Exception {
            VerifiedEntry first = kit.chain(1).get(0);
            FeedEntry e = signedFirst(kit.body(Optional.of(first), text("x")).setPrevHash(first.hash().substring(1)));
            rejected(RejectionCode.INVALID_FIELD, MalformedCredentialException.class, () -> FeedVerifier.verify(e));
        }

        @Test
        @DisplayName("written_at is required")
        void writtenAt() throws Exception {
            FeedEntry e = signedFirst(kit.body(Optional.empty(), text("x")).clearWrittenAt());
            rejected(RejectionCode.INVALID_FIELD, MalformedCredentialException.class, () -> FeedVerifier.verify(e));
        }

        @Test
        @DisplayName("a seq above 2^63 - 1 is refused")
        void hugeSeq() throws Exception {
            FeedEntry e = signedFirst(kit.body(Optional.empty(), text("x")).setSeq(-1L)
                    .setPrevHash(ByteString.copyFrom(new byte[32])));
            rejected(RejectionCode.INVALID_FIELD, MalformedCredentialException.class, () -> FeedVerifier.verify(e));
        }

        @Test
        @DisplayName("an unknown field in the envelope is refused")
        void unknownEnvelopeField() throws Exception {
            FeedEntry good = kit.chain(1).get(0).entry();
            FeedEntry e = good.toBuilder().setUnknownFields(UnknownFieldSet.newBuilder()
                    .addField(9, UnknownFieldSet.Field.newBuilder().addVarint(1).build()).build()).build();
            rejected(RejectionCode.UNKNOWN_FIELD, MalformedCredentialException.class, () -> FeedVerifier.verify(e));
            rejected(RejectionCode.UNKNOWN_FIELD, MalformedCredentialException.class, () -> FeedVerifier.verify(e.toByteArray()));
        }

        @Test
        @DisplayName("an unknown field in the signed body is refused, although the signature is valid")
        void unknownBodyField() throws Exception {
            FeedEntryBody body = kit.body(Optional.empty(), text("x")).setUnknownFields(UnknownFieldSet.newBuilder()
                    .addField(15, UnknownFieldSet.Field.newBuilder().addVarint(7).build()).build()).build();
            FeedEntry e = kit.sign(body.toByteString());
            rejected(RejectionCode.UNKNOWN_FIELD, MalformedCredentialException.class, () -> FeedVerifier.verify(e));
        }

        @Test
        @DisplayName("a body that does not re-encode to itself (a field repeated) is refused")
        void nonCanonicalBody() throws Exception {
            ByteString body = kit.body(Optional.empty(), text("x")).build().toByteString();
            ByteString twice = body.concat(FeedEntryBody.newBuilder().setPayload(text("x")).build().toByteString());
            FeedEntry e = kit.sign(twice);
            rejected(RejectionCode.NON_CANONICAL, MalformedCredentialException.class, () -> FeedVerifier.verify(e));
        }

        @Test
        @DisplayName("garbage is malformed, not an exception of another kind")
        void garbage() {
            rejected(RejectionCode.MALFORMED, MalformedCredentialException.class,
                    () -> FeedVerifier.verify(new byte[] {(byte) 0xff, (byte) 0xff, 0x01}));
            rejected(RejectionCode.MALFORMED, MalformedCredentialException.class, () -> FeedVerifier.verify((byte[]) null));
        }
    }

    @Nested
    @DisplayName("\"Limits, checked before any crypto: message 64 KiB\" (Limits.MAX_MESSAGE_BYTES)")
    class Size {

        /** A validly signed first entry of exactly {@code size} encoded bytes. */
        private FeedEntry ofSize(int size) throws Exception {
            for (int payload = size - 200; payload < size; payload++) {
                FeedEntry e = kit.sign(kit.body(Optional.empty(), ByteString.copyFrom(new byte[payload])).build().toByteString());
                if (e.getSerializedSize() == size) {
                    return e;
                }
            }
            throw new AssertionError("no payload length gives an entry of " + size + " bytes");
        }

        @Test
        @DisplayName("an entry of exactly the limit verifies")
        void atLimit() throws Exception {
            FeedEntry e = ofSize(Limits.MAX_MESSAGE_BYTES);
            assertEquals(Limits.MAX_MESSAGE_BYTES, e.toByteArray().length);
            assertEquals(0, FeedVerifier.verify(e.toByteArray()).seq());
        }

        @Test
        @DisplayName("an entry of the limit + 1 is refused with limit.message_size, although validly signed")
        void overLimit() throws Exception {
            FeedEntry e = ofSize(Limits.MAX_MESSAGE_BYTES + 1);
            rejected(RejectionCode.LIMIT_MESSAGE_SIZE, LimitExceededException.class, () -> FeedVerifier.verify(e.toByteArray()));
            rejected(RejectionCode.LIMIT_MESSAGE_SIZE, LimitExceededException.class, () -> FeedVerifier.verify(e));
            rejected(RejectionCode.LIMIT_MESSAGE_SIZE, LimitExceededException.class,
                    () -> FeedVerifier.verifyNext(kit.key, Optional.empty(), e));
        }

        @Test
        @DisplayName("the writer signs an entry of exactly the limit and refuses one byte more")
        void writerRefusesOversized() throws Exception {
            FeedEntry max = null;
            for (int p = Limits.MAX_MESSAGE_BYTES - 200; p < Limits.MAX_MESSAGE_BYTES; p++) {
                FeedEntry e = kit.writer.first(ByteString.copyFrom(new byte[p]));
                if (e.getSerializedSize() == Limits.MAX_MESSAGE_BYTES) {
                    max = e;
                    int over = p + 1;
                    IllegalArgumentException x = assertThrows(IllegalArgumentException.class,
                            () -> kit.writer.first(ByteString.copyFrom(new byte[over])));
                    assertTrue(x.getMessage().contains(String.valueOf(Limits.MAX_MESSAGE_BYTES)), x.getMessage());
                    break;
                }
            }
            assertEquals(Limits.MAX_MESSAGE_BYTES, FeedVerifier.verify(max).entry().getSerializedSize());
        }
    }

    @Test
    @DisplayName("the writer refuses to continue another feed's entry")
    void writerOtherFeed() throws Exception {
        VerifiedEntry theirs = new FeedKit().chain(1).get(0);
        assertThrows(IllegalArgumentException.class, () -> kit.writer.next(Optional.of(theirs), text("x")));
    }

    @Test
    @DisplayName("the writer is deterministic for one position, payload and time: the same bytes, not a fork")
    void writerDeterministic() throws Exception {
        FeedEntry a = kit.writer.first(text("same"));
        FeedEntry b = kit.writer.first(text("same"));
        assertArrayEquals(a.toByteArray(), b.toByteArray());
        assertTrue(Arrays.equals(a.getSignature().toByteArray(), b.getSignature().toByteArray()));
    }
}
