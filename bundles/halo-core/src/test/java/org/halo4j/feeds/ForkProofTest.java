package org.halo4j.feeds;

import static org.halo4j.feeds.FeedKit.text;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.halo4j.errors.HaloRejectedException;
import org.halo4j.credentials.InvalidSignatureException;
import org.halo4j.credentials.Limits;
import org.halo4j.errors.RejectionCode;
import org.halo4j.proto.v1.FeedEntry;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("ForkProof (DESIGN §4 rule 7)")
class ForkProofTest {

    private final FeedKit kit = new FeedKit();

    /** Entries 0..2, and a different entry at seq 2 signed by the same key. */
    private List<VerifiedEntry> chain;
    private VerifiedEntry conflicting;

    private void fork() throws Exception {
        chain = kit.chain(3);
        conflicting = FeedVerifier.verify(kit.writer.next(Optional.of(chain.get(1)), text("other entry 2")));
    }

    @Nested
    @DisplayName("\"Two different entries at the same position of one feed, both signed by its key, prove the writer forked\"")
    class Proves {

        @Test
        @DisplayName("two different signed entries at one position make a proof of that position")
        void proof() throws Exception {
            fork();
            ForkProof p = ForkProof.of(chain.get(2).entry(), conflicting.entry());
            assertEquals(new FeedPosition(kit.key, 2), p.position());
            assertEquals(kit.key, p.feedKey());
            assertEquals(2, p.seq());
        }

        @Test
        @DisplayName("the proof is canonical: either order gives an equal proof and equal bytes")
        void canonical() throws Exception {
            fork();
            ForkProof ab = ForkProof.of(chain.get(2), conflicting);
            ForkProof ba = ForkProof.of(conflicting, chain.get(2));
            assertEquals(ab, ba);
            assertArrayEquals(ab.toBytes(), ba.toBytes());
            assertTrue(ByteString.unsignedLexicographicalComparator().compare(ab.first().hash(), ab.second().hash()) < 0);
        }

        @Test
        @DisplayName("equal bodies are not a fork: the same entry twice is refused with feed.fork_proof")
        void sameEntry() throws Exception {
            fork();
            HaloRejectedException x = assertThrows(HaloRejectedException.class,
                    () -> ForkProof.of(chain.get(2).entry(), chain.get(2).entry()));
            assertEquals(RejectionCode.FEED_FORK_PROOF, x.code());
        }

        @Test
        @DisplayName("entries at different positions are no proof")
        void differentPositions() throws Exception {
            fork();
            HaloRejectedException x = assertThrows(HaloRejectedException.class,
                    () -> ForkProof.of(chain.get(1).entry(), conflicting.entry()));
            assertEquals(RejectionCode.FEED_FORK_PROOF, x.code());
        }

        @Test
        @DisplayName("entries of different feeds are no proof")
        void differentFeeds() throws Exception {
            fork();
            VerifiedEntry theirs = new FeedKit().chain(3).get(2);
            HaloRejectedException x = assertThrows(HaloRejectedException.class,
                    () -> ForkProof.of(chain.get(2), theirs));
            assertEquals(RejectionCode.FEED_FORK_PROOF, x.code());
        }

        @Test
        @DisplayName("both entries are verified: an entry not signed by the feed key is refused")
        void forgedHalf() throws Exception {
            fork();
            FeedEntry forged = conflicting.entry().toBuilder().setSignature(chain.get(2).entry().getSignature()).build();
            assertThrows(InvalidSignatureException.class, () -> ForkProof.of(chain.get(2).entry(), forged));
        }

        @Test
        @DisplayName("a hand-made VerifiedEntry that does not hold what its bytes say cannot enter a proof")
        void handMade() throws Exception {
            fork();
            VerifiedEntry c = conflicting;
            VerifiedEntry fake = new VerifiedEntry(c.feedKey(), c.seq(), c.prevHash(), text("not what was signed"),
                    c.writtenAt(), c.hash(), c.entry());
            assertThrows(IllegalArgumentException.class, () -> new ForkProof(chain.get(2), fake));
        }
    }

    @Nested
    @DisplayName("\"... and keeps the proof\": encoding")
    class Encoding {

        @Test
        @DisplayName("a proof reads back from its bytes")
        void roundTrip() throws Exception {
            fork();
            ForkProof p = ForkProof.of(conflicting, chain.get(2));
            assertEquals(p, ForkProof.parse(p.toBytes()));
        }

        @Test
        @DisplayName("a proof of two entries of the maximum size (larger than one message) reads back")
        void twoMaximalEntries() throws Exception {
            List<FeedEntry> max = new ArrayList<>();
            for (int p = Limits.MAX_MESSAGE_BYTES - 200; max.size() < 2 && p < Limits.MAX_MESSAGE_BYTES; p++) {
                FeedEntry e = kit.writer.first(ByteString.copyFrom(new byte[p]));
                if (e.getSerializedSize() == Limits.MAX_MESSAGE_BYTES) {
                    max.add(e);
                    byte[] other = new byte[p];
                    other[0] = 1;
                    max.add(kit.writer.first(ByteString.copyFrom(other)));
                }
            }
            ForkProof proof = ForkProof.of(max.get(0), max.get(1));
            byte[] bytes = proof.toBytes();
            assertEquals(ForkProof.MAX_BYTES, bytes.length);
            assertEquals(proof, ForkProof.parse(bytes));
            HaloRejectedException x = assertThrows(HaloRejectedException.class,
                    () -> ForkProof.parse(java.util.Arrays.copyOf(bytes, ForkProof.MAX_BYTES + 1)));
            assertEquals(RejectionCode.LIMIT_MESSAGE_SIZE, x.code());
        }

        @Test
        @DisplayName("an unknown field in a received proof is refused")
        void unknownField() throws Exception {
            fork();
            org.halo4j.proto.v1.ForkProof p = org.halo4j.proto.v1.ForkProof.parseFrom(ForkProof.of(conflicting, chain.get(2)).toBytes())
                    .toBuilder().setUnknownFields(UnknownFieldSet.newBuilder()
                            .addField(3, UnknownFieldSet.Field.newBuilder().addVarint(1).build()).build()).build();
            HaloRejectedException x = assertThrows(HaloRejectedException.class, () -> ForkProof.parse(p.toByteArray()));
            assertEquals(RejectionCode.UNKNOWN_FIELD, x.code());
        }

        @Test
        @DisplayName("a received proof with one entry is refused")
        void oneEntry() throws Exception {
            fork();
            byte[] half = org.halo4j.proto.v1.ForkProof.newBuilder().setFirst(conflicting.entry()).build().toByteArray();
            HaloRejectedException x = assertThrows(HaloRejectedException.class, () -> ForkProof.parse(half));
            assertEquals(RejectionCode.INVALID_FIELD, x.code());
        }
    }

    @Nested
    @DisplayName("\"every peer drops that feed from the fork position on\": finding the position")
    class Find {

        @Test
        @DisplayName("a conflicting entry against the feed's entries gives the fork position")
        void finds() throws Exception {
            fork();
            Optional<ForkProof> p = ForkProof.find(chain, conflicting);
            assertEquals(Optional.of(new FeedPosition(kit.key, 2)), p.map(ForkProof::position));
        }

        @Test
        @DisplayName("within a window of the feed that does not start at seq 0")
        void window() throws Exception {
            fork();
            assertEquals(2, ForkProof.find(chain.subList(1, 3), conflicting).orElseThrow().seq());
        }

        @Test
        @DisplayName("the same entry again, an entry beyond the feed, or an entry of another feed is no fork")
        void noFork() throws Exception {
            fork();
            assertEquals(Optional.empty(), ForkProof.find(chain, chain.get(1)));
            assertEquals(Optional.empty(), ForkProof.find(chain.subList(0, 2), conflicting));
            assertEquals(Optional.empty(), ForkProof.find(chain, new FeedKit().chain(3).get(2)));
            assertEquals(Optional.empty(), ForkProof.find(List.of(), conflicting));
        }

        @Test
        @DisplayName("a third entry at the fork position keeps the two smallest hashes, in any order of arrival")
        void thirdEntry() throws Exception {
            fork();
            VerifiedEntry third = FeedVerifier.verify(kit.writer.next(Optional.of(chain.get(1)), text("third entry 2")));
            ForkProof a = ForkProof.of(chain.get(2), conflicting).with(third);
            ForkProof b = ForkProof.of(third, conflicting).with(chain.get(2));
            ForkProof c = ForkProof.of(chain.get(2), third).with(conflicting);
            assertEquals(a, b);
            assertEquals(a, c);
            assertSame(a, a.with(a.first()));
        }

        @Test
        @DisplayName("of two proofs of one feed, the earlier position is kept")
        void earlier() throws Exception {
            fork();
            VerifiedEntry other1 = FeedVerifier.verify(kit.writer.next(Optional.of(chain.get(0)), text("other entry 1")));
            ForkProof at1 = ForkProof.of(chain.get(1), other1);
            ForkProof at2 = ForkProof.of(chain.get(2), conflicting);
            assertSame(at1, ForkProof.earlier(at1, at2));
            assertSame(at1, ForkProof.earlier(at2, at1));
        }
    }
}
