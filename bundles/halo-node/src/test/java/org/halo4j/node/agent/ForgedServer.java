package org.halo4j.node.agent;

import com.google.protobuf.ByteString;
import java.net.URI;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import org.halo4j.keys.PublicKey;
import org.halo4j.net.ChannelLimits;
import org.halo4j.net.PeerChannel;
import org.halo4j.net.PeerServer;
import org.halo4j.proto.v1.FeedEntries;
import org.halo4j.proto.v1.FeedEntry;
import org.halo4j.proto.v1.FeedEntryBody;
import org.halo4j.proto.v1.FeedLength;
import org.halo4j.proto.v1.PeerMessage;
import org.halo4j.proto.v1.SpaceWant;
import org.halo4j.proto.v1.TurnEnd;
import org.halo4j.proto.v1.Want;

/**
 * A hostile member's device: it proves itself correctly (it is a real member), then answers the first Want with
 * entries of its own feed that it chose: by default one whose signature it made up.
 */
final class ForgedServer implements AutoCloseable {

    /** What the hostile member sends for its own feed, given the length the victim holds. */
    interface Entries {
        List<FeedEntry> make(PublicKey ownFeed, long theirLength) throws Exception;
    }

    private final PeerServer server;

    ForgedServer(Agent member, PublicKey space, PublicKey ignoredFeed) throws Exception {
        this(member, space, (ownFeed, theirs) -> {
            byte[] signature = new byte[64];
            new SecureRandom().nextBytes(signature);
            FeedEntryBody body = FeedEntryBody.newBuilder().setFeedKey(ByteString.copyFrom(ownFeed.toBytes()))
                    .setSeq(theirs).setPrevHash(ByteString.copyFrom(new byte[32]))
                    .setPayload(ByteString.copyFromUtf8("forged")).build();
            return List.of(FeedEntry.newBuilder().setBody(body.toByteString()).setSignature(ByteString.copyFrom(signature))
                    .build());
        });
    }

    ForgedServer(Agent member, PublicKey space, Entries entries) throws Exception {
        PublicKey ownFeed = member.meta().spaces().stream().filter(s -> s.spaceKey().equals(space)).findFirst()
                .orElseThrow().feed();
        server = PeerServer.start("127.0.0.1", 0, ChannelLimits.DEFAULT, Map.of("/halo/v1/peer", (t, path) -> {
            PeerChannel c;
            synchronized (member) {
                c = PeerChannel.accept(t, member.localDevice(), member.verifier(), ChannelLimits.DEFAULT);
            }
            Want want = c.receive().getWant();
            long theirs = 0;
            for (SpaceWant w : want.getSpacesList()) {
                for (FeedLength f : w.getFeedsList()) {
                    if (f.getFeedKey().equals(ByteString.copyFrom(ownFeed.toBytes()))) {
                        theirs = f.getLength();
                    }
                }
            }
            List<FeedEntry> sent;
            try {
                sent = entries.make(ownFeed, theirs);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            c.send(PeerMessage.newBuilder().setEntries(FeedEntries.newBuilder()
                    .setSpaceKey(ByteString.copyFrom(space.toBytes())).setFeedKey(ByteString.copyFrom(ownFeed.toBytes()))
                    .addAllEntries(sent)).build());
            c.send(PeerMessage.newBuilder().setTurnEnd(TurnEnd.newBuilder().setEntriesSent(sent.size())).build());
            // then a quiet turn each way, as an honest peer would end
            try {
                c.send(PeerMessage.newBuilder().setWant(Want.newBuilder()).build());
                c.receive();
                c.receive();
                c.send(PeerMessage.newBuilder().setTurnEnd(TurnEnd.newBuilder()).build());
            } catch (Exception ended) {
                // the victim may hang up at any point
            }
            try {
                c.receive();
            } catch (Exception expected) {
                // the victim hangs up
            }
        }));
    }

    URI uri() {
        return URI.create("ws://127.0.0.1:" + server.address().getPort() + "/halo/v1/peer");
    }

    @Override
    public void close() {
        server.close();
    }
}
