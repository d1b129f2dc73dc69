package org.halo4j.node.invitations;

import com.google.protobuf.ByteString;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.halo4j.credentials.DeviceAuthorizations;
import org.halo4j.invitations.HostedInvitation;
import org.halo4j.invitations.InvitationCode;
import org.halo4j.invitations.InvitationException;
import org.halo4j.credentials.VerifiedCredential;
import org.halo4j.keys.PublicKey;
import org.halo4j.net.ChannelLimits;
import org.halo4j.net.PeerChannel;
import org.halo4j.net.PeerConnector;
import org.halo4j.net.PeerException;
import org.halo4j.net.PeerServer;
import org.halo4j.net.RemotePeer;
import org.halo4j.net.Transport;
import org.halo4j.node.agent.Agent;
import org.halo4j.node.agent.AgentException;
import org.halo4j.node.agent.SpaceSummary;
import org.halo4j.node.agent.SyncReport;
import org.halo4j.node.server.Claims;
import org.halo4j.node.server.HaloNode;
import org.halo4j.proto.v1.Credential;
import org.halo4j.proto.v1.DelegatedInvitation;
import org.halo4j.proto.v1.DeviceScope;
import org.halo4j.proto.v1.Invitation;
import org.halo4j.proto.v1.InvitationAuth;
import org.halo4j.proto.v1.InvitationDelegated;
import org.halo4j.proto.v1.InvitationHostProof;
import org.halo4j.proto.v1.InvitationKind;
import org.halo4j.proto.v1.InvitationRequest;
import org.halo4j.proto.v1.InvitationResult;
import org.halo4j.proto.v1.PeerMessage;
import org.halo4j.proto.v1.SpaceRole;
import org.halo4j.spaces.Roles;

/**
 * The host's side of invitations: creating one, and answering its guests. Each guest opens a peer channel to
 * the host's device (directly, or through a node's relay on the invitation's topic), checks that the device at
 * the other end is the invitation's host, and sends its request; the host decides with the durable
 * {@link HostedInvitation} state (the attempt is counted before the answer), admits the guest — a
 * {@code SpaceMember} for a space invitation, an {@code AuthorizedDevice} for a device invitation — and the two
 * replicate at once over the same channel.
 */
public final class InvitationHost {

    /** What a host tells its person about its guests. */
    public interface Events {
        /**
         * @param kind  {@code accepted}, {@code refused} or {@code locked}
         * @param guest the guest as it proved itself
         * @param code  for refusals, the reason code
         */
        void event(String kind, HostedInvitation invitation, RemotePeer guest, String code, String message);
    }

    /** What a new invitation asks for. */
    public record Request(InvitationKind kind, Optional<String> space, SpaceRole role, boolean multiUse,
                          Duration lifetime, InvitationAuth auth, Optional<PublicKey> guestKey,
                          Optional<URI> node, Optional<URI> directAddress) {
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Agent agent;
    private final InvitationStore store;
    private final Clock clock;
    private final ChannelLimits limits;

    public InvitationHost(Agent agent, Clock clock, ChannelLimits limits) throws AgentException {
        this.agent = agent;
        this.store = InvitationStore.of(agent);
        this.clock = clock;
        this.limits = limits;
    }

    public InvitationStore store() {
        return store;
    }

    /**
     * Creates and stores an invitation. With a node, guests meet the host on a fresh random relay topic there;
     * without one, {@code directAddress} (where the host will listen) goes into the invitation.
     */
    public HostedInvitation create(Request r) throws AgentException {
        byte[] id = new byte[16];
        RANDOM.nextBytes(id);
        Invitation.Builder b = Invitation.newBuilder().setInvitationId(ByteString.copyFrom(id)).setKind(r.kind())
                .setHostDevice(bytes(agent.device())).setHostIdentity(bytes(agent.identity())).setAuth(r.auth())
                .setExpiresAt(clock.instant().plus(r.lifetime()).getEpochSecond());
        if (r.kind() == InvitationKind.INVITATION_KIND_SPACE) {
            SpaceSummary s = agent.space(r.space().orElseThrow());
            if (s.myRole().filter(role -> role == SpaceRole.SPACE_ROLE_OWNER || role == SpaceRole.SPACE_ROLE_ADMIN)
                    .isEmpty()) {
                throw new AgentException("invitation.not_admin", "only an OWNER or ADMIN of " + s.name()
                        + " may invite to it");
            }
            if (r.role() == SpaceRole.SPACE_ROLE_OWNER && s.myRole().orElseThrow() != SpaceRole.SPACE_ROLE_OWNER) {
                throw new AgentException("invitation.role", "only an OWNER may invite an OWNER");
            }
            b.setSpaceKey(bytes(s.spaceKey())).setSpaceName(s.name());
        } else {
            agent.localDevice(); // the host must be able to sign
        }
        if (r.node().isPresent()) {
            byte[] topic = new byte[32];
            RANDOM.nextBytes(topic);
            b.setTopic(ByteString.copyFrom(topic)).addAddresses(r.node().get().toString());
        } else {
            b.addAddresses(r.directAddress().orElseThrow(() -> new IllegalArgumentException("no address")).toString());
        }
        r.guestKey().ifPresent(k -> b.setGuestKey(bytes(k)));
        String code = r.auth() == InvitationAuth.INVITATION_AUTH_SHARED_SECRET ? InvitationCode.generate(RANDOM) : "";
        HostedInvitation h = HostedInvitation.open(b.build(), code, r.role(), r.multiUse(), clock.instant());
        store.create(h);
        return h;
    }

    /**
     * Hosts {@code invitationId} until it is no longer open (used, locked, expired, cancelled) or
     * {@code stop} is counted down: listening on {@code server} (direct) or waiting on the node's relay topic,
     * one guest after another.
     */
    public void host(String invitationId, PeerConnector connector, CountDownLatch stop, Events events)
            throws AgentException {
        HostedInvitation h = store.find(invitationId, clock.instant());
        Invitation inv = h.invitation();
        if (inv.getTopic().isEmpty()) {
            throw new IllegalStateException("a direct invitation is hosted with hostDirect");
        }
        URI relay = URI.create(inv.getAddresses(0)).resolve(HaloNode.RELAY_PATH
                + HexFormat.of().formatHex(inv.getTopic().toByteArray()));
        while (stop.getCount() > 0 && open(h.id())) {
            Transport t;
            try {
                t = connector.connect(relay);
            } catch (PeerException e) {
                sleep(stop, Duration.ofSeconds(2)); // the node is down or busy: try again
                continue;
            }
            try {
                handle(t, events, h.isDelegated() ? Optional.of(h.delegation()) : Optional.empty());
            } catch (PeerException e) {
                // a guest that went away, or the relay's wait ran out: wait for the next
            }
        }
    }

    /** Hosts an invitation whose guests connect to this host directly: a server on {@code host:port}. */
    public PeerServer listen(String host, int port, Events events) throws PeerException {
        return PeerServer.start(host, port, limits, Map.of(HaloNode.PEER_PATH, (t, path) -> {
            try {
                handle(t, events, Optional.empty());
            } catch (PeerException | AgentException e) {
                // the guest gets the refusal in the channel; nothing more to do here
            }
        }));
    }

    /** True while the invitation is open. */
    public boolean open(String id) throws AgentException {
        return store.find(id, clock.instant()).state() == HostedInvitation.State.OPEN;
    }

    /**
     * Answers one guest on {@code transport} (the host is the channel's responder). A delegate first shows the
     * guest the hand-over ({@code proof}): the guest expects the creator's device.
     */
    void handle(Transport transport, Events events, Optional<ByteString> proof) throws PeerException, AgentException {
        PeerChannel channel;
        synchronized (agent) {
            channel = PeerChannel.accept(transport, agent.localDevice(), agent.verifier(), limits);
        }
        try (channel) {
            RemotePeer guest = channel.remote();
            if ("claim".equals(guest.purpose())) {
                Claims.serve(agent, channel); // a member's device asking for membership claims
                return;
            }
            if (!"invitation".equals(guest.purpose())) {
                // a device of a member syncing through the host's address
                agent.sync(channel, false);
                return;
            }
            if (proof.isPresent()) {
                try {
                    channel.send(PeerMessage.newBuilder().setInvitationHostProof(InvitationHostProof.newBuilder()
                            .setDelegation(Credential.parseFrom(proof.get()))).build());
                } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                    throw new AgentException("storage.corrupt", "the stored hand-over does not decode", e);
                }
            }
            PeerMessage m = channel.receive(limits.handshakeTimeout());
            if (!m.hasInvitationRequest()) {
                channel.goodbye("peer.protocol", "an invitation request was expected");
                return;
            }
            answer(channel, guest, m.getInvitationRequest(), events);
        }
    }

    private void answer(PeerChannel channel, RemotePeer guest, InvitationRequest req, Events events)
            throws PeerException, AgentException {
        String id = HexFormat.of().formatHex(req.getInvitationId().toByteArray());
        HostedInvitation h;
        try {
            h = store.find(id.length() == 32 ? id : "x", clock.instant());
        } catch (AgentException e) {
            refuse(channel, "invitation.unknown", "this host has no such invitation", 0);
            return;
        }
        boolean space = h.invitation().getKind() == InvitationKind.INVITATION_KIND_SPACE;
        if (space && guest.identity().isEmpty()) {
            refuse(channel, "invitation.guest_unauthorized", "a space invitation is accepted by a device of an identity", 0);
            return;
        }
        if (!space && guest.identity().isPresent()) {
            refuse(channel, "invitation.guest_has_identity", "a device invitation is accepted by a new device only", 0);
            return;
        }
        if (!space && !DeviceAuthorizations.isValidConsent(req.getDeviceConsent().toByteArray(), guest.device(),
                agent.identity())) {
            refuse(channel, "invitation.consent", "the device did not consent to this identity", 0);
            return;
        }
        PublicKey guestKey = space ? guest.identity().get() : guest.device();
        Instant now = clock.instant();
        HostedInvitation.Decision d = store.update(h.id(), cur -> {
            HostedInvitation.Decision x = cur.attempt(req.getCode(), guestKey, now);
            return new InvitationStore.Change<>(x.next(), x);
        });
        switch (d.outcome()) {
            case ACCEPTED -> { }
            case WRONG_CODE -> {
                boolean locked = d.next().state() == HostedInvitation.State.LOCKED;
                events.event(locked ? "locked" : "refused", d.next(), guest, "invitation.wrong_code",
                        locked ? "locked after " + HostedInvitation.MAX_ATTEMPTS + " wrong codes: issue a new invitation"
                                : "wrong code, " + d.attemptsLeft() + " attempts left");
                refuse(channel, locked ? "invitation.locked" : "invitation.wrong_code", locked
                        ? "wrong code: the invitation is now locked; ask its host for a new one"
                        : "wrong code: " + d.attemptsLeft() + " attempts left", d.attemptsLeft());
                return;
            }
            default -> {
                String code = "invitation." + d.outcome().name().toLowerCase(java.util.Locale.ROOT);
                events.event("refused", d.next(), guest, code, "the invitation is " + d.next().state().name().toLowerCase(
                        java.util.Locale.ROOT));
                refuse(channel, code, "the invitation is " + describe(d.outcome()), d.attemptsLeft());
                return;
            }
        }
        InvitationResult.Builder ok = InvitationResult.newBuilder().setAccepted(true);
        RemotePeer syncAs = guest;
        synchronized (agent) {
            if (space) {
                String spaceId = HexFormat.of().formatHex(h.invitation().getSpaceKey().toByteArray());
                Optional<SpaceRole> current = agent.members(spaceId).stream()
                        .filter(mb -> mb.identity().equals(guestKey)).map(mb -> mb.role()).findFirst();
                if (current.isEmpty() || current.get() == SpaceRole.SPACE_ROLE_REMOVED
                        || Roles.rank(current.get()) < Roles.rank(h.role())) {
                    agent.setRole(spaceId, guestKey, h.role()); // never lowers a member's role
                }
                ok.setSpaceKey(h.invitation().getSpaceKey()).setSpaceName(h.invitation().getSpaceName());
            } else {
                Credential auth = agent.authorizeDevice(guest.device(), DeviceScope.DEVICE_SCOPE_ADMIN,
                        req.getDeviceConsent().toByteArray(), req.getDeviceName().isBlank() ? "device"
                                : req.getDeviceName());
                ok.setIdentity(bytes(agent.identity())).setAuthorization(auth);
                syncAs = new RemotePeer(guest.device(), Optional.of(agent.identity()), Optional.empty(),
                        guest.purpose(), guest.address());
            }
        }
        channel.send(PeerMessage.newBuilder().setInvitationResult(ok).build());
        events.event("accepted", d.next(), syncAs, "", space ? "joined as " + Roles.name(h.role()) : "device authorized");
        SyncReport r = agent.sync(channel, false, syncAs);
        events.event("synced", d.next(), syncAs, "", "sent " + r.sent() + ", received " + r.received() + " entries");
    }

    // ---- handing over to another admin ----

    /**
     * Hands the open space invitation {@code invitationId} over to {@code delegate}, another OWNER or ADMIN of the
     * space (an OWNER for an invitation to OWNER): this host stops answering its guests at once, and an
     * {@code InvitationDelegated} — the invitation, its code and its attempts so far, sealed to each device of the
     * delegate that writes in the space — goes into this identity's control feed of the space. The delegate
     * picks it up at its next replication and hosts it ({@link #importDelegations}). Only invitations met
     * through a node can be handed over: a direct one is reached at this machine's own address.
     */
    public HostedInvitation delegate(String invitationId, PublicKey delegate) throws AgentException {
        Instant now = clock.instant();
        HostedInvitation h = store.find(invitationId, now);
        Invitation inv = h.invitation();
        if (inv.getKind() != InvitationKind.INVITATION_KIND_SPACE) {
            throw new AgentException("invitation.kind", "a device invitation is answered by this identity's own devices: "
                    + "it cannot be handed over");
        }
        if (inv.getTopic().isEmpty()) {
            throw new AgentException("invitation.direct", "invitation " + h.id().substring(0, 8) + " is reached at this "
                    + "machine's own address; only an invitation met through a node (--node) can be hosted by another admin");
        }
        if (h.isDelegated()) {
            throw new AgentException("invitation.delegated", "this invitation was handed over to this identity: it "
                    + "cannot be handed over again");
        }
        String space = HexFormat.of().formatHex(inv.getSpaceKey().toByteArray());
        if (delegate.equals(agent.identity())) {
            throw new AgentException("argument.delegate", "the invitation is already this identity's");
        }
        SpaceRole theirs = agent.roleOf(space, delegate).orElse(SpaceRole.SPACE_ROLE_REMOVED);
        int needed = Roles.neededToGrant(h.role());
        if (Roles.rank(theirs) < needed) {
            throw new AgentException("invitation.delegate_role", delegate.toDidKey() + " is " + Roles.name(theirs)
                    + " in " + inv.getSpaceName() + "; an invitation to " + Roles.name(h.role()) + " is handed over to a"
                    + (needed > Roles.rank(SpaceRole.SPACE_ROLE_ADMIN) ? "n OWNER" : "n OWNER or ADMIN"));
        }
        List<PublicKey> devices = agent.devicesOf(space, delegate);
        if (devices.isEmpty()) {
            throw new AgentException("invitation.delegate_no_device", delegate.toDidKey() + " has no device that "
                    + "writes in " + inv.getSpaceName() + " yet: it must have replicated the space once");
        }
        // stop answering first: a crash between the two steps loses the invitation, never doubles its attempts
        HostedInvitation before = store.update(h.id(), cur -> {
            HostedInvitation current = cur.at(now);
            return new InvitationStore.Change<>(current.state() == HostedInvitation.State.OPEN ? current.delegate(now)
                    : current, current);
        });
        if (before.state() != HostedInvitation.State.OPEN) {
            throw new AgentException("invitation." + before.state().name().toLowerCase(java.util.Locale.ROOT),
                    "invitation " + h.id().substring(0, 8) + " is " + before.state().name().toLowerCase(java.util.Locale.ROOT));
        }
        try {
            DelegatedInvitation plain = DelegatedInvitation.newBuilder().setInvitation(inv).setCode(before.code())
                    .setMultiUse(before.multiUse()).setFailed(before.failed()).setUses(before.uses()).build();
            InvitationDelegated.Builder d = InvitationDelegated.newBuilder().setSpaceKey(inv.getSpaceKey())
                    .setInvitationId(inv.getInvitationId()).setRole(h.role()).setExpiresAt(inv.getExpiresAt());
            for (PublicKey device : devices.subList(0, Math.min(devices.size(), 16))) {
                d.addSealed(Delegations.seal(plain, device));
            }
            synchronized (agent) {
                agent.delegateInvitation(space, delegate, d.build());
            }
        } catch (AgentException | RuntimeException e) {
            store.update(h.id(), cur -> new InvitationStore.Change<>(before, null)); // nothing was handed over
            throw e;
        }
        return store.find(h.id(), now);
    }

    /**
     * Takes into this identity's store every invitation handed over to it that it does not hold yet, opened
     * with this device's key. Returns the ids taken; hand-overs sealed to other devices of the identity, or
     * that do not open, are left (reported in {@code skipped}).
     */
    public List<String> importDelegations(List<String> skipped) throws AgentException {
        List<String> taken = new ArrayList<>();
        for (VerifiedCredential v : agent.delegationsToMe()) {
            InvitationDelegated d = (InvitationDelegated) v.assertion();
            String id = HexFormat.of().formatHex(d.getInvitationId().toByteArray());
            if (store.exists(id)) {
                continue;
            }
            try {
                DelegatedInvitation plain = Delegations.open(d, agent.device(), agent::agree);
                if (!plain.getInvitation().getHostDevice().equals(ByteString.copyFrom(v.signedBy().signer().toBytes()))) {
                    throw new InvitationException("invitation.sealed", "the hand-over is not signed by the invitation's host");
                }
                store.create(HostedInvitation.delegated(plain.getInvitation(), plain.getCode(), d.getRole(),
                        plain.getMultiUse(), Integer.compareUnsigned(plain.getFailed(), HostedInvitation.MAX_ATTEMPTS) > 0
                                ? HostedInvitation.MAX_ATTEMPTS : plain.getFailed(),
                        plain.getUses() < 0 ? Integer.MAX_VALUE : plain.getUses(), v.credential().toByteString(), clock.instant()));
                taken.add(id);
            } catch (InvitationException | IllegalArgumentException e) {
                skipped.add(id.substring(0, 8) + ": " + e.getMessage());
            }
        }
        return taken;
    }

    private static String describe(HostedInvitation.Outcome o) {
        return switch (o) {
            case LOCKED -> "locked after " + HostedInvitation.MAX_ATTEMPTS + " wrong codes; ask its host for a new one";
            case USED -> "already used";
            case EXPIRED -> "expired";
            case CANCELLED -> "cancelled by its host";
            case WRONG_GUEST -> "for someone else";
            case DELEGATED -> "handed over to another admin of the space";
            default -> o.name();
        };
    }

    private static void refuse(PeerChannel channel, String code, String message, int attemptsLeft) throws PeerException {
        channel.send(PeerMessage.newBuilder().setInvitationResult(InvitationResult.newBuilder().setAccepted(false)
                .setCode(code).setMessage(message).setAttemptsLeft(attemptsLeft)).build());
    }

    private static void sleep(CountDownLatch stop, Duration d) {
        try {
            stop.await(d.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static ByteString bytes(PublicKey k) {
        return ByteString.copyFrom(k.toBytes());
    }
}
