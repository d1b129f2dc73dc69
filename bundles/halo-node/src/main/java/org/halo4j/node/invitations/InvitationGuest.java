package org.halo4j.node.invitations;

import com.google.protobuf.ByteString;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import org.halo4j.credentials.CredentialVerifier;
import org.halo4j.credentials.VerifiedCredential;
import org.halo4j.errors.HaloRejectedException;
import org.halo4j.invitations.InvitationException;
import org.halo4j.keys.PublicKey;
import org.halo4j.net.ChannelLimits;
import org.halo4j.net.LocalDevice;
import org.halo4j.net.PeerChannel;
import org.halo4j.net.PeerConnector;
import org.halo4j.net.PeerException;
import org.halo4j.net.Transport;
import org.halo4j.node.agent.Agent;
import org.halo4j.node.agent.AgentException;
import org.halo4j.node.agent.SpaceSummary;
import org.halo4j.node.agent.SyncReport;
import org.halo4j.node.agent.Wallet;
import org.halo4j.node.server.HaloNode;
import org.halo4j.proto.v1.AuthorizedDevice;
import org.halo4j.proto.v1.Invitation;
import org.halo4j.proto.v1.InvitationKind;
import org.halo4j.proto.v1.InvitationRequest;
import org.halo4j.proto.v1.InvitationResult;
import org.halo4j.proto.v1.PeerMessage;

/**
 * The guest's side of an invitation: reach the host (directly or through the node's relay), make sure the device
 * at the other end is the invitation's host — so a man in the middle never sees the code — send the request,
 * and on acceptance join and replicate over the same channel.
 */
public final class InvitationGuest {

    private InvitationGuest() {
    }

    /** A space joined: its summary here after the first replication, and that replication's report. */
    public record JoinedSpace(SpaceSummary space, SyncReport sync) {
    }

    /** A device joined: the identity it now acts for, and the first replication's report. */
    public record JoinedDevice(String did, SyncReport sync) {
    }

    /** Joins the space of a space invitation as {@code agent}'s identity. */
    public static JoinedSpace joinSpace(Agent agent, Invitation inv, String code, PeerConnector connector,
                                        ChannelLimits limits, Clock clock) throws InvitationException, PeerException,
            AgentException {
        require(inv, InvitationKind.INVITATION_KIND_SPACE, clock);
        try (PeerChannel channel = connect(inv, agent.localDevice(), agent.verifier(), connector, limits, clock)) {
            InvitationResult r = ask(channel, InvitationRequest.newBuilder().setInvitationId(inv.getInvitationId())
                    .setCode(code).build());
            if (!r.getSpaceKey().equals(inv.getSpaceKey())) {
                throw new PeerException("peer.protocol", "the host accepted into another space than the invitation's");
            }
            PublicKey spaceKey = PublicKey.of(inv.getSpaceKey().toByteArray());
            agent.joinSpace(spaceKey, inv.getSpaceName().isBlank() ? "space" : inv.getSpaceName());
            SyncReport sync = agent.sync(channel, true);
            return new JoinedSpace(agent.space(spaceKey.toHex()), sync);
        }
    }

    /**
     * Joins the host's identity as a new device of {@code wallet}: the device key is made (in a staged keyring
     * under {@code passphrase}) before connecting, proved in the channel, authorized by the host; then the
     * identity exists in this wallet and its HALO and spaces replicate at once.
     */
    public static JoinedDevice joinDevice(Wallet wallet, Invitation inv, String code, String deviceName,
                                          char[] passphrase, PeerConnector connector, ChannelLimits limits, Clock clock)
            throws InvitationException, PeerException, AgentException {
        require(inv, InvitationKind.INVITATION_KIND_DEVICE, clock);
        PublicKey identity = PublicKey.of(inv.getHostIdentity().toByteArray());
        if (wallet.identities().stream().anyMatch(i -> i.did().equals(identity.toDidKey()))) {
            // checked before the host authorizes a device that could then never be used here
            throw new AgentException("identity.exists", "this wallet already holds " + identity.toDidKey()
                    + ": join with another --home, or use the identity here as it is");
        }
        String did;
        try (Wallet.PendingDevice pending = wallet.prepareDevice(passphrase)) {
            CredentialVerifier verifier = CredentialVerifier.builder().ignoreRevocation().clock(clock).build();
            PeerChannel channel = connect(inv, pending.localDevice(), verifier, connector, limits, clock);
            try {
                InvitationResult r = ask(channel, InvitationRequest.newBuilder().setInvitationId(inv.getInvitationId())
                        .setCode(code).setDeviceConsent(ByteString.copyFrom(pending.consent(identity)))
                        .setDeviceName(deviceName).build());
                VerifiedCredential auth;
                try {
                    auth = verifier.verify(r.getAuthorization().toByteArray(), AuthorizedDevice.class);
                } catch (HaloRejectedException e) {
                    throw new PeerException("peer.protocol", "the host's authorization of this device does not verify: "
                            + e.getMessage());
                }
                if (!auth.issuer().equals(identity) || !auth.subject().equals(pending.device())
                        || !r.getIdentity().equals(inv.getHostIdentity())) {
                    throw new PeerException("peer.protocol", "the host's authorization is not for this device and identity");
                }
                did = pending.complete(identity, r.getAuthorization(), Optional.empty());
            } catch (PeerException | InvitationException | AgentException e) {
                channel.close();
                throw e;
            }
            try (channel; Agent agent = wallet.open(Optional.of(did), passphrase)) {
                SyncReport sync = agent.sync(channel, true);
                return new JoinedDevice(did, sync);
            }
        }
    }

    private static void require(Invitation inv, InvitationKind kind, Clock clock) throws InvitationException {
        if (inv.getKind() != kind) {
            throw new InvitationException("invitation.kind", kind == InvitationKind.INVITATION_KIND_SPACE
                    ? "this is a device invitation: use 'halo device join'" : "this is a space invitation: use 'halo space join'");
        }
        if (!clock.instant().isBefore(Instant.ofEpochSecond(inv.getExpiresAt()))) {
            throw new InvitationException("invitation.expired", "the invitation expired at "
                    + Instant.ofEpochSecond(inv.getExpiresAt()) + "; ask its host for a new one");
        }
    }

    /**
     * Opens the channel to the invitation's host and checks that the device at the other end is the one the
     * invitation names: anyone else (a relay, a man in the middle) is refused before anything is sent.
     */
    static PeerChannel connect(Invitation inv, LocalDevice local, CredentialVerifier verifier, PeerConnector connector,
                               ChannelLimits limits, Clock clock) throws PeerException, InvitationException {
        PeerException last = null;
        for (String address : inv.getAddressesList()) {
            URI base = URI.create(address);
            URI uri = inv.getTopic().isEmpty() ? base.resolve(HaloNode.PEER_PATH)
                    : base.resolve(HaloNode.RELAY_PATH + HexFormat.of().formatHex(inv.getTopic().toByteArray()));
            Transport t;
            try {
                t = connector.connect(uri);
            } catch (PeerException e) {
                last = e;
                continue;
            }
            PeerChannel channel = PeerChannel.initiate(t, local, "invitation", verifier, limits);
            if (!channel.remote().device().matches(inv.getHostDevice().toByteArray())) {
                try {
                    checkDelegate(channel, inv, limits, clock);
                } catch (InvitationException | PeerException e) {
                    channel.goodbye("invitation.host_mismatch", "not the invitation's host");
                    throw e;
                }
            }
            return channel;
        }
        throw last != null ? last : new PeerException("peer.unreachable", "the invitation has no address");
    }

    /**
     * Another device than the invitation's host answered: it may be a delegate (an admin the host handed the
     * invitation over to, through the node's relay), which shows the hand-over before anything else. Anyone
     * else is refused before anything is sent.
     */
    private static void checkDelegate(PeerChannel channel, Invitation inv, ChannelLimits limits, Clock clock)
            throws InvitationException, PeerException {
        if (inv.getTopic().isEmpty() || inv.getKind() != InvitationKind.INVITATION_KIND_SPACE) {
            throw new InvitationException("invitation.host_mismatch", "the device that answered at "
                    + channel.remote().address() + " is not the invitation's host: nothing was sent to it (a relay or "
                    + "a man in the middle?)");
        }
        PeerMessage m;
        try {
            m = channel.receive(limits.handshakeTimeout());
        } catch (PeerException e) {
            throw new InvitationException("invitation.host_mismatch", "the device that answered is not the invitation's "
                    + "host and showed no hand-over of it: nothing was sent to it (a relay or a man in the middle?)");
        }
        if (!m.hasInvitationHostProof()) {
            throw new InvitationException("invitation.host_mismatch", "the device that answered is not the invitation's "
                    + "host and showed no hand-over of it: nothing was sent to it (a relay or a man in the middle?)");
        }
        Delegations.checkHost(inv, m.getInvitationHostProof().getDelegation(), channel.remote(), clock);
    }

    private static InvitationResult ask(PeerChannel channel, InvitationRequest request) throws PeerException,
            InvitationException {
        channel.send(PeerMessage.newBuilder().setInvitationRequest(request).build());
        PeerMessage m = channel.receive();
        if (m.hasGoodbye()) {
            throw new PeerException("peer.closed", "the host ended the session: " + m.getGoodbye().getMessage());
        }
        if (!m.hasInvitationResult()) {
            throw new PeerException("peer.protocol", "the host sent no answer to the invitation request");
        }
        InvitationResult r = m.getInvitationResult();
        if (!r.getAccepted()) {
            String code = r.getCode().matches("invitation\\.[a-z_]{1,40}") ? r.getCode() : "invitation.refused";
            String message = r.getMessage().length() > 300 || r.getMessage().chars().anyMatch(Character::isISOControl)
                    ? "refused" : r.getMessage();
            throw new InvitationException(code, "the host refused: " + message);
        }
        return r;
    }
}
