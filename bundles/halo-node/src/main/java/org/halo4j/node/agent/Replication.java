package org.halo4j.node.agent;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.halo4j.credentials.Credentials;
import org.halo4j.credentials.DeviceStatus;
import org.halo4j.credentials.VerifiedCredential;
import org.halo4j.errors.HaloRejectedException;
import org.halo4j.keys.KeyringException;
import org.halo4j.keys.PublicKey;
import org.halo4j.net.PeerChannel;
import org.halo4j.net.PeerException;
import org.halo4j.net.RemotePeer;
import org.halo4j.node.storage.ImportResult;
import org.halo4j.proto.v1.AdmitRequest;
import org.halo4j.proto.v1.AdmittedFeed;
import org.halo4j.proto.v1.Credential;
import org.halo4j.proto.v1.FeedDesignation;
import org.halo4j.proto.v1.FeedEntries;
import org.halo4j.proto.v1.FeedEntry;
import org.halo4j.proto.v1.FeedLength;
import org.halo4j.proto.v1.PeerMessage;
import org.halo4j.proto.v1.SpaceOffer;
import org.halo4j.proto.v1.SpaceRole;
import org.halo4j.proto.v1.SpaceWant;
import org.halo4j.proto.v1.TurnEnd;
import org.halo4j.proto.v1.Want;
import org.halo4j.spaces.ReplayProgress;
import org.halo4j.spaces.SpaceEntry;
import org.halo4j.spaces.SpaceState;
import org.halo4j.spaces.Spaces;

/**
 * One replication session over an authenticated {@link PeerChannel} (docs/net.md, "Replication"). The two sides
 * take turns: the requester lists, per space it shares with the peer, the length of every feed it holds or its
 * state admits ({@code Want}); the responder answers with the entries of every feed that its own state admits and
 * that it holds longer ({@code FeedEntries}), then {@code TurnEnd}. Only one side sends bulk data at a time, so
 * bounded buffers cannot deadlock. Two quiet turns in a row (nothing sent, nothing admitted) end the session:
 * neither side learned anything in either, so both states are at their fixpoint, and both sides see it at the
 * same turn.
 *
 * <p>What a responder serves a peer is decided again at every turn from its replayed state: the HALO to devices
 * of its own identity, a space to devices of its active members; a device revoked anywhere this identity can see
 * gets nothing. Everything received is verified before it is stored (signature, hash link, position); an invalid
 * entry ends the session and is reported ({@code peer.invalid_entry}), the valid ones before it stay. Which
 * stored entries count is for the space's replay to decide (DESIGN §4): a feed that no admitted credential admits
 * changes nothing.
 *
 * <p>Local work happens under the agent's monitor, never while waiting for the peer.
 */
final class Replication {

    /** Turns after which a session that is still not quiet stops (and says so). */
    static final int MAX_TURNS = 64;
    /** Bytes of entries per FeedEntries message (below the channel's message limit). */
    static final int BATCH_BYTES = 192 * 1024;
    /** Entries read from disk at a time when serving. */
    static final int READ_PAGE = 512;
    /** AdmitRequests a peer may send in one session. */
    static final int MAX_ADMITS = 16;
    /**
     * Feeds this side did not hold before that one session may bring. An honest peer sends only feeds its state
     * admits, which a later session can go on with; a hostile member could make up any number of keys and
     * sign entries for them (the replay ignores them, the disk would not): it is cut off here.
     */
    static final int MAX_NEW_FEEDS = 256;

    private final Agent agent;
    private final PeerChannel channel;
    private final RemotePeer peer;
    private final ReplayProgress progress;
    private final List<String> notes = new ArrayList<>();
    private final Set<PublicKey> admitsSent = new HashSet<>();
    /** Feeds this session brought that this side did not hold before. */
    private final Set<PublicKey> newFeeds = new HashSet<>();
    private long received;
    private long sent;
    /** This side ended the session: the peer is served nothing (it was told why). */
    private boolean endedByUs;
    private int admitsReceived;
    private int turns;

    Replication(Agent agent, PeerChannel channel, RemotePeer peer, ReplayProgress progress) {
        this.agent = agent;
        this.channel = channel;
        this.peer = peer;
        this.progress = progress;
    }

    SyncReport run(boolean requestFirst) throws AgentException, PeerException {
        if (peer.identity().isEmpty()) {
            channel.goodbye("peer.not_member", "this device is not authorized for any identity");
            throw new PeerException("peer.not_member", "the peer's device is not authorized for any identity");
        }
        boolean myTurn = requestFirst;
        int quiet = 0;
        boolean complete = true;
        while (quiet < 2) {
            if (turns >= MAX_TURNS) {
                complete = false;
                notes.add("stopped after " + MAX_TURNS + " turns that each still brought something new");
                break;
            }
            turns++;
            long n = myTurn ? request() : respond();
            if (endedByUs) {
                return new SyncReport(turns, received, sent, true, List.copyOf(notes), true);
            }
            quiet = n == 0 ? quiet + 1 : 0;
            myTurn = !myTurn;
        }
        channel.goodbye("sync.done", "replication finished");
        return new SyncReport(turns, received, sent, complete, List.copyOf(notes), false);
    }

    // ---- requesting -------------------------------------------------------------------------------------

    /** One turn as the requester: returns what the responder sent and admitted. */
    private long request() throws AgentException, PeerException {
        Map<ByteString, SpaceWant> wants = new LinkedHashMap<>();
        List<AdmitRequest> admits = new ArrayList<>();
        boolean haloWanted;
        synchronized (agent) {
            haloWanted = buildWants(wants, admits);
        }
        for (AdmitRequest a : admits) {
            channel.send(PeerMessage.newBuilder().setAdmit(a).build());
        }
        Want.Builder want = Want.newBuilder().addAllSpaces(wants.values());
        channel.send(PeerMessage.newBuilder().setWant(want).build());
        Optional<PublicKey> haloCandidate = Optional.empty();
        while (true) {
            PeerMessage m = channel.receive();
            switch (m.getKindCase()) {
                case ENTRIES -> {
                    FeedEntries e = m.getEntries();
                    PublicKey space = key(e.getSpaceKey(), "space key");
                    boolean asHalo = false;
                    if (!wants.containsKey(e.getSpaceKey())) {
                        // the HALO asked for without its key: its key is whatever the first answer says
                        if (!haloWanted || (haloCandidate.isPresent() && !haloCandidate.get().equals(space))) {
                            throw protocol("sent entries of a space that was not asked for");
                        }
                        haloCandidate = Optional.of(space);
                        asHalo = true;
                    } else {
                        asHalo = wants.get(e.getSpaceKey()).getHalo();
                    }
                    PublicKey feed = key(e.getFeedKey(), "feed key");
                    if (!held(feed) && newFeeds.add(feed) && newFeeds.size() > MAX_NEW_FEEDS) {
                        channel.goodbye("peer.flood", "more than " + MAX_NEW_FEEDS + " new feeds in one session");
                        throw new PeerException("peer.flood", peer.describe() + " sent more than " + MAX_NEW_FEEDS
                                + " feeds this device did not hold, in one session (the rest can come next time)");
                    }
                    store(asHalo ? Optional.empty() : Optional.of(space), feed, e.getEntriesList());
                }
                case TURN_END -> {
                    TurnEnd end = m.getTurnEnd();
                    for (ByteString r : end.getRefusedSpacesList()) {
                        notes.add("the peer does not share space " + hex(r) + " with this identity (not a member there,"
                                + " or it does not know the space)");
                    }
                    for (SpaceOffer offer : end.getOffersList()) {
                        PublicKey offered = key(offer.getSpaceKey(), "space key");
                        synchronized (agent) {
                            if (offer.getHalo()) {
                                adoptHalo(offered, haloCandidate);
                            } else if (peer.identity().get().equals(agent.meta().identity())) {
                                joinOffered(offered, offer.getName());
                            }
                        }
                    }
                    return end.getEntriesSent() + end.getAdmitted() + end.getSpacesOffered();
                }
                case GOODBYE -> throw new PeerException(goodbyeCode(m), "the peer ended replication: "
                        + m.getGoodbye().getMessage());
                default -> throw protocol("sent a " + m.getKindCase() + " message while answering a Want");
            }
        }
    }

    /**
     * The spaces to ask the peer for, and the admissions to ask it to carry. Returns true if the HALO is asked
     * for without its key (this device has not seen it yet).
     */
    private boolean buildWants(Map<ByteString, SpaceWant> wants, List<AdmitRequest> admits) throws AgentException {
        IdentityMeta meta = agent.meta();
        boolean sameIdentity = peer.identity().get().equals(meta.identity());
        boolean haloWithoutKey = false;
        if (sameIdentity) {
            Optional<SpaceState> halo = agent.haloIfSynced();
            if (halo.isPresent()) {
                wants.put(bytes(halo.get().spaceKey()), want(halo.get().spaceKey(), true, agent.haloFeeds(), halo.get()));
                ownAdmission(halo.get(), meta.haloFeed(), admits);
            } else {
                haloWithoutKey = true;
                SpaceWant.Builder w = SpaceWant.newBuilder().setHalo(true);
                for (PublicKey f : agent.haloFeeds()) {
                    w.addFeeds(FeedLength.newBuilder().setFeedKey(bytes(f)).setLength(length(f)));
                }
                wants.put(ByteString.EMPTY, w.build());
            }
        }
        for (IdentityMeta.SpaceRef s : meta.spaces()) {
            SpaceState st = agent.stateOf(s);
            boolean peerMember = st.roleOf(peer.identity().get()).filter(r -> r != SpaceRole.SPACE_ROLE_REMOVED).isPresent();
            // a space whose genesis has not arrived (just joined) is asked of the peer that may hold it
            if (sameIdentity || peerMember || st.genesis().isEmpty()) {
                wants.put(bytes(s.spaceKey()), want(s.spaceKey(), false, agent.feedsOf(s), st));
                ownAdmission(st, s.feed(), admits);
            }
        }
        return haloWithoutKey;
    }

    private SpaceWant want(PublicKey space, boolean halo, List<PublicKey> held, SpaceState st) throws AgentException {
        Set<PublicKey> feeds = new java.util.LinkedHashSet<>(held);
        feeds.addAll(st.feeds().keySet());
        SpaceWant.Builder w = SpaceWant.newBuilder().setSpaceKey(bytes(space)).setHalo(halo);
        for (PublicKey f : feeds) {
            w.addFeeds(FeedLength.newBuilder().setFeedKey(bytes(f)).setLength(length(f)));
        }
        return w.build();
    }

    /**
     * If this identity is an active member of the space but this device's feed is not admitted yet, an
     * AdmittedFeed for it, signed now, goes to the peer, which carries it in its own feed; once per session. It
     * is not written to this device's own feed: the copy the peer carries is the one that counts, and a second
     * copy would only make every replay see the same credential twice.
     */
    private void ownAdmission(SpaceState st, PublicKey ownFeed, List<AdmitRequest> admits)
            throws AgentException {
        IdentityMeta meta = agent.meta();
        if (st.genesis().isEmpty() || st.feeds().containsKey(ownFeed) || admitsSent.contains(ownFeed) || agent.readOnly()
                || st.roleOf(meta.identity()).filter(r -> r != SpaceRole.SPACE_ROLE_REMOVED).isEmpty()) {
            return;
        }
        Credential admission;
        try {
            AdmittedFeed a = Spaces.admittedFeed(agent.keyringForSigning(), ownFeed, st.spaceKey(), meta.identity(),
                    meta.device(), FeedDesignation.FEED_DESIGNATION_CONTROL);
            admission = Credentials.issue(agent.deviceSigner()).subject(ownFeed).assertion(a)
                    .parents(Spaces.parents(st, List.of())).sign();
        } catch (KeyringException e) {
            throw Wallet.translate(e);
        }
        admitsSent.add(ownFeed);
        admits.add(AdmitRequest.newBuilder().setSpaceKey(bytes(st.spaceKey())).setCredential(admission).build());
    }

    /** True if this identity already keeps {@code feed} (its own, or one that arrived before). */
    private boolean held(PublicKey feed) {
        synchronized (agent) {
            IdentityMeta meta = agent.meta();
            return feed.equals(meta.haloFeed()) || meta.spaces().stream().anyMatch(x -> x.feed().equals(feed))
                    || meta.peerFeeds().stream().anyMatch(x -> x.feed().equals(feed));
        }
    }

    /** Verifies and stores entries of {@code feed}; records the feed as the space's (or the HALO's). */
    private void store(Optional<PublicKey> space, PublicKey feed, List<FeedEntry> entries)
            throws AgentException, PeerException {
        if (entries.isEmpty()) {
            return;
        }
        synchronized (agent) {
            IdentityMeta meta = agent.meta();
            boolean own = feed.equals(meta.haloFeed()) || meta.spaces().stream().anyMatch(s -> s.feed().equals(feed));
            if (!own) {
                agent.updateMeta(meta.withPeerFeed(new IdentityMeta.PeerFeed(space, feed)));
            }
            long before = length(feed);
            // the space's state (or the HALO's, once its key is known) takes these entries as they are stored
            IdentityMeta now = agent.meta();
            Optional<IdentityMeta.SpaceRef> ref = space.flatMap(k -> now.spaces().stream()
                    .filter(x -> x.spaceKey().equals(k)).findFirst());
            PublicKey stateKey = space.isPresent() ? space.get() : now.haloKey().orElse(null);
            List<PublicKey> spaceFeeds = ref.isPresent() ? agent.feedsOf(ref.get())
                    : space.isEmpty() && now.haloKey().isPresent() ? agent.haloFeeds() : null;
            if (spaceFeeds != null) {
                agent.expectArrivals(stateKey, spaceFeeds);
            }
            ImportResult r;
            try {
                r = agent.feedLog().importEntries(feed, entries);
            } catch (HaloRejectedException e) {
                channel.goodbye("peer.invalid_entry", "an entry of feed " + feed.shortId() + " is invalid");
                throw new PeerException("peer.invalid_entry", peer.describe() + " sent an invalid entry of feed "
                        + feed.shortId() + ": " + e.getMessage() + " (the valid entries before it are kept)");
            } catch (IOException e) {
                throw new AgentException("storage.io", "could not store entries of feed " + feed.shortId() + ": "
                        + e.getMessage(), e);
            }
            received += r.appended();
            if (spaceFeeds != null && r.appended() == entries.size() && r.fork().isEmpty()) {
                agent.arrived(stateKey, feed, before, spaceEntries(feed, entries));
            }
            if (r.fork().isPresent()) {
                notes.add("feed " + feed.shortId() + " is forked: its writer signed two entries at one position; the"
                        + " proof is kept and the feed is used only up to there");
            }
        }
        progress.progress("receiving entries", received, -1);
    }

    /** The entries as a space's replay takes them (they were verified when stored). */
    private static List<SpaceEntry> spaceEntries(PublicKey feed, List<FeedEntry> entries) throws AgentException {
        List<SpaceEntry> out = new ArrayList<>(entries.size());
        for (FeedEntry e : entries) {
            try {
                org.halo4j.proto.v1.FeedEntryBody body = org.halo4j.proto.v1.FeedEntryBody.parseFrom(e.getBody());
                out.add(new SpaceEntry(feed, body.getSeq(), body.getPayload()));
            } catch (com.google.protobuf.InvalidProtocolBufferException x) {
                throw new AgentException("internal", "a stored entry does not parse: " + x.getMessage(), x);
            }
        }
        return out;
    }

    /** A device that had not seen its HALO adopts the key offered by another device of its identity. */
    private void adoptHalo(PublicKey key, Optional<PublicKey> candidate) throws AgentException {
        IdentityMeta meta = agent.meta();
        if (meta.haloKey().isPresent()) {
            return;
        }
        if (candidate.isPresent() && !candidate.get().equals(key)) {
            notes.add("the peer offered a HALO key other than the one its entries were for: not taken");
            return;
        }
        SpaceState halo = agent.haloAs(key);
        if (halo.genesis().isPresent()
                && halo.roleOf(meta.identity()).filter(r -> r == SpaceRole.SPACE_ROLE_OWNER).isPresent()) {
            agent.updateMeta(meta.withHaloKey(key));
            notes.add("the HALO arrived");
        } else {
            notes.add("the HALO offered by the peer is not this identity's: not taken");
        }
    }

    /** Another device of this identity has a space this one does not keep yet: keep it too. */
    private void joinOffered(PublicKey space, String name) throws AgentException {
        if (agent.readOnly() || agent.meta().spaces().stream().anyMatch(s -> s.spaceKey().equals(space))) {
            return;
        }
        String shown = name.length() > 256 || name.chars().anyMatch(Character::isISOControl) ? "space" : name;
        agent.joinSpace(space, shown);
        notes.add("space " + shown + " (" + space.toHex() + ") arrived from another device of this identity");
    }

    // ---- responding -------------------------------------------------------------------------------------

    /** One turn as the responder: returns what it sent and admitted. */
    private long respond() throws AgentException, PeerException {
        int admitted = 0;
        while (true) {
            PeerMessage m = channel.receive();
            switch (m.getKindCase()) {
                case ADMIT -> admitted += admit(m.getAdmit());
                case WANT -> {
                    long n = serve(m.getWant(), admitted);
                    return n + admitted;
                }
                case GOODBYE -> throw new PeerException(goodbyeCode(m), "the peer ended replication: "
                        + m.getGoodbye().getMessage());
                default -> throw protocol("sent a " + m.getKindCase() + " message where a Want was due");
            }
        }
    }

    /** What this side serves the peer now: space key → (halo?, state, feeds held). */
    private record Served(boolean halo, SpaceState state, List<PublicKey> feeds) {
    }

    private Map<ByteString, Served> served() throws AgentException {
        Map<ByteString, Served> out = new HashMap<>();
        PublicKey identity = peer.identity().get();
        DeviceStatus status = agent.deviceStatus();
        if (status.isRevoked(identity, peer.device())) {
            return out;
        }
        if (peer.authorization().isPresent()) {
            // the peer's chain, checked again with every revocation known now (the channel may have been
            // opened with a verifier that did not know them, or before they arrived), and the peer's own
            // authorization against a recovery that revoked every device authorized before it (decision 0005)
            VerifiedCredential auth = peer.authorization().get();
            if (status.revokedByRecovery(identity, peer.device(), auth.issuedAt())) {
                return out;
            }
            try {
                agent.verifier().verify(auth.credential().toByteArray(), org.halo4j.proto.v1.AuthorizedDevice.class);
            } catch (HaloRejectedException e) {
                return out;
            }
        }
        IdentityMeta meta = agent.meta();
        if (identity.equals(meta.identity())) {
            Optional<SpaceState> halo = agent.haloIfSynced();
            if (halo.isPresent()) {
                out.put(bytes(halo.get().spaceKey()), new Served(true, halo.get(), agent.haloFeeds()));
            }
        }
        for (IdentityMeta.SpaceRef s : meta.spaces()) {
            SpaceState st = agent.stateOf(s);
            if (st.roleOf(identity).filter(r -> r != SpaceRole.SPACE_ROLE_REMOVED).isPresent()) {
                out.put(bytes(s.spaceKey()), new Served(false, st, agent.feedsOf(s)));
            }
        }
        return out;
    }

    private long serve(Want want, int admitted) throws AgentException, PeerException {
        Map<ByteString, Served> served;
        synchronized (agent) {
            served = served();
        }
        boolean sameIdentity = peer.identity().get().equals(agent.meta().identity());
        if (served.isEmpty() && (!sameIdentity || agent.haloSynced())) {
            // a stranger, a removed member or a revoked device: nothing to give it, so no reason to go on (a
            // device of this identity that has not seen its HALO yet just has nothing to give)
            channel.goodbye("peer.not_member", "this peer shares no space with your device: you are not a member "
                    + "of any space it keeps (or were removed), or this device was revoked");
            notes.add(peer.describe() + " is served nothing (not a member of any space kept here, removed, or its "
                    + "device revoked): the session was ended");
            endedByUs = true;
            return 0;
        }
        TurnEnd.Builder end = TurnEnd.newBuilder().setAdmitted(admitted);
        long count = 0;
        Set<ByteString> asked = new HashSet<>();
        for (SpaceWant w : want.getSpacesList()) {
            Map.Entry<ByteString, Served> s = null;
            if (w.getHalo() && w.getSpaceKey().isEmpty()) {
                s = served.entrySet().stream().filter(x -> x.getValue().halo()).findFirst().orElse(null);
            } else if (served.containsKey(w.getSpaceKey()) && served.get(w.getSpaceKey()).halo() == w.getHalo()) {
                s = Map.entry(w.getSpaceKey(), served.get(w.getSpaceKey()));
            }
            if (s == null) {
                end.addRefusedSpaces(w.getSpaceKey());
                continue;
            }
            if (w.getHalo()) {
                end.addOffers(SpaceOffer.newBuilder().setHalo(true).setSpaceKey(s.getKey()));
            }
            asked.add(s.getKey());
            Map<ByteString, Long> theirs = new HashMap<>();
            for (FeedLength f : w.getFeedsList()) {
                theirs.put(f.getFeedKey(), f.getLength());
            }
            // every feed the state admits, and this device's own feed of the space even before it is admitted:
            // the peer's replay ignores it until an admission arrives, and then has it at once (this is how a
            // recovery's revocation of every other device reaches them in the session that admits it)
            Set<PublicKey> feedsToSend = new java.util.LinkedHashSet<>(s.getValue().state().feeds().keySet());
            IdentityMeta meta = agent.meta();
            if (s.getValue().halo()) {
                feedsToSend.add(meta.haloFeed());
            } else {
                for (IdentityMeta.SpaceRef r : meta.spaces()) {
                    if (bytes(r.spaceKey()).equals(s.getKey())) {
                        feedsToSend.add(r.feed());
                    }
                }
            }
            for (PublicKey feed : feedsToSend) {
                long mine;
                synchronized (agent) {
                    mine = length(feed);
                }
                long from = theirs.getOrDefault(bytes(feed), 0L);
                count += send(s.getKey(), feed, from, mine);
            }
        }
        if (peer.identity().get().equals(agent.meta().identity())) {
            // another device of this identity keeps every space of it: offer those it did not ask for
            for (IdentityMeta.SpaceRef r : agent.meta().spaces()) {
                if (!asked.contains(bytes(r.spaceKey())) && served.containsKey(bytes(r.spaceKey()))) {
                    end.addOffers(SpaceOffer.newBuilder().setSpaceKey(bytes(r.spaceKey())).setName(r.name()));
                    end.setSpacesOffered(end.getSpacesOffered() + 1); // the peer learns something: not quiet
                }
            }
        }
        sent += count;
        channel.send(PeerMessage.newBuilder().setTurnEnd(end.setEntriesSent(count)).build());
        return count + end.getSpacesOffered();
    }

    private long send(ByteString space, PublicKey feed, long from, long to) throws AgentException, PeerException {
        long n = 0;
        FeedEntries.Builder batch = null;
        int bytes = 0;
        for (long at = from; at < to; at += READ_PAGE) {
            List<FeedEntry> page;
            synchronized (agent) {
                try {
                    page = agent.feedLog().read(feed, at, Math.min(to, at + READ_PAGE));
                } catch (IOException e) {
                    throw new AgentException("storage.io", "could not read feed " + feed.shortId() + ": "
                            + e.getMessage(), e);
                }
            }
            if (page.isEmpty()) {
                break; // a forked feed serves less than its length said
            }
            for (FeedEntry e : page) {
                int size = e.getSerializedSize() + 8;
                if (batch != null && bytes + size > BATCH_BYTES) {
                    channel.send(PeerMessage.newBuilder().setEntries(batch).build());
                    batch = null;
                }
                if (batch == null) {
                    batch = FeedEntries.newBuilder().setSpaceKey(space).setFeedKey(bytes(feed));
                    bytes = 0;
                }
                batch.addEntries(e);
                bytes += size;
                n++;
            }
        }
        if (batch != null) {
            channel.send(PeerMessage.newBuilder().setEntries(batch).build());
        }
        return n;
    }

    /** Appends a peer's AdmittedFeed for one of its feeds to this side's own feed of the space; 1 if it did. */
    private int admit(AdmitRequest request) throws AgentException, PeerException {
        if (++admitsReceived > MAX_ADMITS) {
            throw protocol("sent more than " + MAX_ADMITS + " admission requests");
        }
        synchronized (agent) {
            if (agent.readOnly()) {
                return 0;
            }
            Served s = served().get(request.getSpaceKey());
            if (s == null) {
                notes.add("an admission for a space this side does not share with the peer was ignored");
                return 0;
            }
            VerifiedCredential v;
            try {
                v = agent.verifier().verify(request.getCredential().toByteArray(), AdmittedFeed.class);
            } catch (HaloRejectedException e) {
                notes.add("the peer's admission was refused: " + e.getMessage());
                return 0;
            }
            AdmittedFeed a = v.assertionAs(AdmittedFeed.class).orElseThrow();
            if (!v.issuer().equals(peer.identity().get()) || !a.getSpaceKey().equals(request.getSpaceKey())
                    || s.state().feeds().containsKey(v.subject()) || s.state().isApplied(v.id())) {
                return 0; // not the peer's own, another space's, or already admitted
            }
            IdentityMeta meta = agent.meta();
            PublicKey ownFeed = s.halo() ? meta.haloFeed() : meta.spaces().stream()
                    .filter(r -> bytes(r.spaceKey()).equals(request.getSpaceKey())).findFirst().orElseThrow().feed();
            agent.appendTo(ownFeed, request.getCredential());
            return 1;
        }
    }

    // ---- helpers ----------------------------------------------------------------------------------------

    private long length(PublicKey feed) throws AgentException {
        try {
            return agent.feedLog().length(feed);
        } catch (IOException e) {
            throw new AgentException("storage.io", "could not read feed " + feed.shortId() + ": " + e.getMessage(), e);
        }
    }

    private PeerException protocol(String what) {
        channel.goodbye("peer.protocol", what);
        return new PeerException("peer.protocol", peer.describe() + " " + what);
    }

    private PublicKey key(ByteString b, String what) throws PeerException {
        try {
            return PublicKey.of(b.toByteArray());
        } catch (IllegalArgumentException e) {
            throw protocol("sent a " + what + " that is not a key");
        }
    }

    private static String goodbyeCode(PeerMessage m) {
        String c = m.getGoodbye().getCode();
        return c.matches("[a-z_.]{1,64}") ? c : "peer.closed";
    }

    private static ByteString bytes(PublicKey k) {
        return ByteString.copyFrom(k.toBytes());
    }

    private static String hex(ByteString b) {
        StringBuilder sb = new StringBuilder();
        for (byte x : b.toByteArray()) {
            sb.append(String.format("%02x", x & 0xff));
        }
        return sb.toString();
    }
}
