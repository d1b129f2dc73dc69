package org.halo4j.node.server;

import com.google.protobuf.ByteString;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.halo4j.keys.PublicKey;
import org.halo4j.net.ChannelLimits;
import org.halo4j.net.PeerChannel;
import org.halo4j.net.PeerConnector;
import org.halo4j.net.PeerException;
import org.halo4j.node.agent.Agent;
import org.halo4j.node.agent.AgentException;
import org.halo4j.proto.v1.ClaimRefusal;
import org.halo4j.proto.v1.ClaimRequest;
import org.halo4j.proto.v1.ClaimResult;
import org.halo4j.proto.v1.Credential;
import org.halo4j.proto.v1.PeerMessage;

/**
 * Membership claims over the peer channel (decision 0008): a member's device opens a channel for {@code claim}
 * to a node of the space, asks for the spaces a site wants ({@link #fetch}), and the node answers with a claim
 * for each space where that identity is a member and the device is not revoked ({@link #serve}).
 */
public final class Claims {

    /** Spaces one request may name. */
    public static final int MAX_SPACES = 16;

    private Claims() {
    }

    /** The claims and refusals a node answered. */
    public record Answer(List<Credential> claims, List<ClaimRefusal> refused) {
    }

    /** Asks the node at {@code node} (ws://HOST:PORT) for claims on {@code spaces}, as {@code agent}'s device. */
    public static Answer fetch(Agent agent, URI node, List<PublicKey> spaces, ChannelLimits limits)
            throws AgentException, PeerException {
        if (spaces.isEmpty() || spaces.size() > MAX_SPACES) {
            throw new IllegalArgumentException("ask for 1 to " + MAX_SPACES + " spaces, found " + spaces.size());
        }
        try (PeerConnector connector = new PeerConnector(limits);
             PeerChannel channel = PeerChannel.initiate(connector.connect(node.resolve(HaloNode.PEER_PATH)),
                     agent.localDevice(), "claim", agent.verifierForSync(), limits)) {
            ClaimRequest.Builder request = ClaimRequest.newBuilder();
            spaces.forEach(s -> request.addSpaceKeys(ByteString.copyFrom(s.toBytes())));
            channel.send(PeerMessage.newBuilder().setClaimRequest(request).build());
            PeerMessage m = channel.receive();
            if (m.hasGoodbye()) {
                throw new PeerException(m.getGoodbye().getCode(), "the node refused: " + m.getGoodbye().getMessage());
            }
            if (!m.hasClaimResult()) {
                throw new PeerException("peer.protocol", "the node answered a claim request with " + m.getKindCase());
            }
            ClaimResult r = m.getClaimResult();
            if (r.getClaimsCount() > spaces.size() || r.getRefusedCount() > spaces.size()) {
                throw new PeerException("peer.protocol", "the node answered more claims than spaces were asked for");
            }
            channel.goodbye("claim.done", "thanks");
            return new Answer(r.getClaimsList(), r.getRefusedList());
        }
    }

    /** Answers one claim request on {@code channel}, opened for {@code claim}; returns a line for a log. */
    public static String serve(Agent agent, PeerChannel channel) throws PeerException {
        if (channel.remote().identity().isEmpty()) {
            channel.goodbye("claim.no_identity", "a claim is for a device that acts for an identity");
            return "refused a claim: the device acts for no identity";
        }
        PeerMessage m = channel.receive();
        if (!m.hasClaimRequest()) {
            channel.goodbye("peer.protocol", "a claim channel starts with a ClaimRequest");
            throw new PeerException("peer.protocol", "expected a ClaimRequest, got " + m.getKindCase());
        }
        ClaimRequest request = m.getClaimRequest();
        if (request.getSpaceKeysCount() == 0 || request.getSpaceKeysCount() > MAX_SPACES) {
            channel.goodbye("claim.too_many", "ask for 1 to " + MAX_SPACES + " spaces");
            throw new PeerException("claim.too_many", "asked for " + request.getSpaceKeysCount() + " spaces");
        }
        PublicKey identity = channel.remote().identity().get();
        PublicKey device = channel.remote().device();
        Set<ByteString> asked = new LinkedHashSet<>(request.getSpaceKeysList());
        ClaimResult.Builder result = ClaimResult.newBuilder();
        List<String> log = new ArrayList<>();
        for (ByteString key : asked) {
            try {
                if (key.size() != PublicKey.LENGTH) {
                    throw new AgentException("claim.space_unknown", "a space key is 32 bytes");
                }
                PublicKey space = PublicKey.of(key.toByteArray());
                Credential claim;
                synchronized (agent) {
                    claim = agent.issueClaim(space, identity, device);
                }
                result.addClaims(claim);
                log.add(space.shortId() + " issued");
            } catch (AgentException | IllegalArgumentException e) {
                String code = e instanceof AgentException a ? a.code() : "claim.space_unknown";
                result.addRefused(ClaimRefusal.newBuilder().setSpaceKey(key).setCode(code).setMessage(e.getMessage()));
                log.add(code);
            }
        }
        channel.send(PeerMessage.newBuilder().setClaimResult(result).build());
        return "claims for " + channel.remote().describe() + ": " + String.join(", ", log);
    }
}
