package org.halo4j.node.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.halo4j.io.AtomicFileWriter;
import org.halo4j.credentials.CredentialId;
import org.halo4j.credentials.CredentialVerifier;
import org.halo4j.credentials.Credentials;
import org.halo4j.credentials.DeviceStatus;
import org.halo4j.errors.HaloRejectedException;
import org.halo4j.credentials.Signer;
import org.halo4j.credentials.VerifiedCredential;
import org.halo4j.identity.ContactInfo;
import org.halo4j.identity.DeviceInfo;
import org.halo4j.identity.Halo;
import org.halo4j.identity.IdentityState;
import org.halo4j.keys.FileKeyring;
import org.halo4j.keys.IdentityKeys;
import org.halo4j.keys.KeyringException;
import org.halo4j.keys.PublicKey;
import org.halo4j.keys.RecoveryPhrase;
import org.halo4j.presentations.Presentations;
import org.halo4j.proto.v1.AuthorizedDevice;
import org.halo4j.proto.v1.Credential;
import org.halo4j.proto.v1.CredentialBody;
import org.halo4j.proto.v1.DeviceScope;
import org.halo4j.proto.v1.InvitationDelegated;
import org.halo4j.proto.v1.Presentation;
import org.halo4j.proto.v1.SpaceRole;
import org.halo4j.spaces.Member;
import org.halo4j.spaces.RecoveryRevocation;
import org.halo4j.spaces.Refusal;
import org.halo4j.spaces.ReplayProgress;
import org.halo4j.spaces.Roles;
import org.halo4j.spaces.SpaceEntry;
import org.halo4j.spaces.SpaceFeed;
import org.halo4j.spaces.SpaceMembership;
import org.halo4j.spaces.SpaceReplay;
import org.halo4j.spaces.SpaceState;
import org.halo4j.spaces.Spaces;

/**
 * Acts for one identity of a {@link Wallet}, with its keyring unlocked ({@link Wallet#open}): this device signs
 * everything, through its AuthorizedDevice chain; or reads only ({@link Wallet#read}), with the keyring left
 * closed, where everything that signs fails with {@code keyring.locked}. State is always replayed from the
 * feeds. Not thread-safe; close it when done (the keyring's secrets are wiped).
 */
public final class Agent implements AutoCloseable {

    private final Path dir;
    private IdentityMeta meta;
    /** Told how far reading and replaying a space has come. */
    private ReplayProgress progress = ReplayProgress.NONE;
    /** Null when opened for reading only. */
    private final FileKeyring keyring;
    private final FeedLog feeds;
    /** Replay decides revocations from the feeds; this verifier only shares its cache of verified chain links. */
    private final CredentialVerifier replayVerifier = CredentialVerifier.builder().ignoreRevocation().build();

    Agent(Path dir, IdentityMeta meta, FileKeyring keyring, FeedLog feeds) {
        this.dir = dir;
        this.meta = meta;
        this.keyring = keyring;
        this.feeds = feeds;
    }

    public String did() {
        return meta.identity().toDidKey();
    }

    public PublicKey identity() {
        return meta.identity();
    }

    /** This device's key. */
    public PublicKey device() {
        return meta.device();
    }

    /** False while the recovery phrase (and the identity private key) are still kept in the keyring. */
    public boolean backupConfirmed() throws AgentException {
        if (keyring == null) {
            return !Files.exists(dir.resolve(Wallet.PHRASE_MARKER));
        }
        try {
            return keyring.recoveryPhrase().map(p -> {
                p.close();
                return false;
            }).orElse(!keyring.contains(meta.identity()));
        } catch (KeyringException e) {
            throw Wallet.translate(e);
        }
    }

    /** False after a recovery, until the HALO has arrived by replication. */
    public boolean haloSynced() {
        return meta.haloKey().isPresent();
    }

    /** The recovery phrase, while its backup is not confirmed; the caller closes it after showing it. */
    public Optional<RecoveryPhrase> recoveryPhrase() throws AgentException {
        try {
            return keyring().recoveryPhrase();
        } catch (KeyringException e) {
            throw Wallet.translate(e);
        }
    }

    /**
     * Confirms the backup (DESIGN §2): if {@code typed} derives this identity, the kept phrase and the identity
     * private key are destroyed (removed from the keyring and from disk).
     */
    public void confirmBackup(RecoveryPhrase typed) throws AgentException {
        if (!IdentityKeys.publicKeyOf(typed).equals(meta.identity())) {
            throw new AgentException("backup.mismatch", "these 24 words belong to another identity than " + did()
                    + "; nothing was changed");
        }
        try {
            keyring().destroy(meta.identity());
            keyring.destroyRecoveryPhrase();
            Files.deleteIfExists(dir.resolve(Wallet.PHRASE_MARKER));
            AtomicFileWriter.syncDirectory(dir);
        } catch (KeyringException e) {
            throw Wallet.translate(e);
        } catch (IOException e) {
            throw new AgentException("storage.io", "could not record the confirmed backup: " + e.getMessage(), e);
        }
    }

    // ---- the HALO ------------------------------------------------------------------------------------------

    /** The replayed HALO: empty of state until it is synced. */
    SpaceState halo() throws AgentException {
        return replay(meta.haloKey().orElse(meta.haloFeed()), haloFeeds());
    }

    /** Devices, profile and contacts, from the HALO. */
    public IdentityState state() throws AgentException {
        return IdentityState.of(haloForState(), meta.identity());
    }

    /** Sets the identity's display name and properties. */
    public void setProfile(String name, Map<String, String> properties) throws AgentException {
        requireSynced("setting the profile");
        append(meta.haloFeed(), sign(s -> Halo.setProfile(halo(), s, name, properties)));
        meta = meta.withName(Optional.of(name));
        meta.write(dir.resolve(Wallet.META));
    }

    /** Adds a contact to the identity's circle. */
    public void addContact(PublicKey contact, String name) throws AgentException {
        requireSynced("adding a contact");
        append(meta.haloFeed(), sign(s -> Halo.addContact(halo(), s, contact, name)));
    }

    /**
     * Authorizes another device of this identity, which signed {@code consent}
     * ({@code DeviceAuthorizations.consent}) on its side, with a scope no wider than this device's.
     */
    public Credential authorizeDevice(PublicKey device, DeviceScope scope, byte[] consent, String name) throws AgentException {
        requireSynced("authorizing a device");
        if (!org.halo4j.credentials.DeviceAuthorizations.isValidConsent(consent, device, meta.identity())) {
            throw new AgentException("device.consent", "the consent is not device " + device.shortId()
                    + "'s signature for " + did());
        }
        SpaceState halo = halo();
        try {
            List<Credential> written = Halo.authorizeDevice(halo, deviceSigner(), device, scope, consent, name);
            for (Credential c : written) {
                append(meta.haloFeed(), c);
            }
            return written.get(0);
        } catch (KeyringException e) {
            throw Wallet.translate(e);
        }
    }

    /**
     * Revokes a device (DESIGN §4 rules 4 and 8) in the HALO, and copies the revocation into every space the
     * identity keeps a feed in, so other members and relying parties learn it by replication.
     */
    public void revokeDevice(PublicKey device) throws AgentException {
        requireSynced("revoking a device");
        IdentityState state = state();
        if (state.device(device).isEmpty()) {
            throw new AgentException("device.unknown", "device " + device.shortId() + " is not a device of " + did());
        }
        Map<PublicKey, Long> last = lastPositions();
        List<SpaceState> spaces = new ArrayList<>();
        for (IdentityMeta.SpaceRef space : meta.spaces()) {
            spaces.add(stateOf(space));
        }
        Credential revocation = sign(s -> Halo.revokeDevice(halo(), spaces, s, device, "revoked with halo4j", last));
        append(meta.haloFeed(), revocation);
        for (IdentityMeta.SpaceRef space : meta.spaces()) {
            append(space.feed(), revocation);
        }
    }

    /**
     * Revokes every other device of the identity, known here or not (decision 0005): the lost-laptop case after
     * a recovery, when this device has not seen the HALO. {@code phrase} must be this identity's: its key signs
     * the {@code AllDevicesRevoked} (kept: this device) in memory only, and is wiped at once. Returns the id of
     * the revocation, written to the HALO feed.
     */
    public CredentialId revokeAllOtherDevices(RecoveryPhrase phrase) throws AgentException {
        if (!IdentityKeys.publicKeyOf(phrase).equals(meta.identity())) {
            throw new AgentException("backup.mismatch", "these 24 words belong to another identity than " + did()
                    + "; nothing was changed");
        }
        keyring(); // signing: needs the unlocked wallet
        org.halo4j.keys.InMemoryKeyring once = new org.halo4j.keys.InMemoryKeyring();
        Credential c;
        try {
            IdentityKeys.importIdentity(once, phrase);
            c = Halo.revokeAllOtherDevices(Signer.of(once, meta.identity()), List.of(meta.device()),
                    "every other device revoked with the recovery phrase");
        } catch (KeyringException e) {
            throw Wallet.translate(e);
        } finally {
            once.destroy(meta.identity()); // the identity key lives only for this one signature
        }
        append(meta.haloFeed(), c);
        return Credentials.id(c);
    }

    /**
     * The identity's circle (spec §3.5): its explicit contacts, then the members of the spaces it shares with
     * others (not named by a contact), without itself.
     */
    public List<ContactInfo> circle() throws AgentException {
        Map<PublicKey, ContactInfo> circle = new LinkedHashMap<>();
        for (ContactInfo c : state().contacts()) {
            circle.put(c.identity(), c);
        }
        for (IdentityMeta.SpaceRef s : meta.spaces()) {
            for (Member m : stateOf(s).members().values()) {
                if (m.isActive() && !m.identity().equals(meta.identity())) {
                    circle.putIfAbsent(m.identity(), new ContactInfo(m.identity(), "", false));
                }
            }
        }
        return new ArrayList<>(circle.values());
    }

    // ---- spaces ------------------------------------------------------------------------------------------

    /** Creates a space with this identity as OWNER and this device's control feed as its genesis feed. */
    public SpaceSummary createSpace(String name) throws AgentException {
        try {
            PublicKey feed = keyring().generate();
            Spaces.Created created = Spaces.create(keyring, name, meta.identity(), meta.device(), feed);
            for (Credential c : created.credentials()) {
                append(feed, c);
            }
            meta = meta.withSpace(new IdentityMeta.SpaceRef(created.spaceKey(), feed, name));
            meta.write(dir.resolve(Wallet.META));
            return space(created.spaceId());
        } catch (KeyringException e) {
            throw Wallet.translate(e);
        }
    }

    /**
     * Starts keeping a space this identity was made a member of elsewhere (by an invitation, or by a member who
     * knows its key): this device gets a control feed for it, whose admission a member carries into the space at
     * the next replication; the space's state arrives by replication. Returns the space as known so far.
     */
    public SpaceSummary joinSpace(PublicKey spaceKey, String name) throws AgentException {
        for (IdentityMeta.SpaceRef s : meta.spaces()) {
            if (s.spaceKey().equals(spaceKey)) {
                return summary(s, stateOf(s));
            }
        }
        try {
            PublicKey feed = keyring().generate();
            IdentityMeta.SpaceRef ref = new IdentityMeta.SpaceRef(spaceKey, feed, name);
            updateMeta(meta.withSpace(ref));
            return summary(ref, stateOf(ref));
        } catch (KeyringException e) {
            throw Wallet.translate(e);
        }
    }

    /** The spaces this identity keeps a feed in (the HALO excluded). */
    public List<SpaceSummary> spaces() throws AgentException {
        List<SpaceSummary> out = new ArrayList<>();
        for (IdentityMeta.SpaceRef s : meta.spaces()) {
            out.add(summary(s, stateOf(s)));
        }
        return out;
    }

    /** A space by id (hex) or by name, where the name is unambiguous. */
    public SpaceSummary space(String idOrName) throws AgentException {
        IdentityMeta.SpaceRef s = ref(idOrName);
        return summary(s, stateOf(s));
    }

    /** Members of a space with their roles (REMOVED included), named from the identity's contacts. */
    public List<MemberSummary> members(String space) throws AgentException {
        SpaceState state = stateOf(ref(space));
        Map<PublicKey, String> names = new HashMap<>();
        for (ContactInfo c : state().contacts()) {
            names.put(c.identity(), c.name());
        }
        meta.name().ifPresent(n -> names.put(meta.identity(), n));
        List<MemberSummary> out = new ArrayList<>();
        for (Member m : state.members().values()) {
            out.add(new MemberSummary(m.identity(), m.role(), Optional.ofNullable(names.get(m.identity()))));
        }
        return out;
    }

    /**
     * The role of {@code identity} in a space this identity keeps, as its replayed state has it now; empty if it
     * is not a member (never was, or was removed).
     */
    public Optional<SpaceRole> roleOf(String space, PublicKey identity) throws AgentException {
        return stateOf(ref(space)).roleOf(identity).filter(r -> r != SpaceRole.SPACE_ROLE_REMOVED);
    }

    /**
     * A number that changes whenever this identity's feeds grow (an entry written here or replicated from a
     * peer): what was derived from the state before — a cached role, say — may be out of date when it changed.
     * Reads the feed lengths, not the entries.
     */
    public long stateVersion() throws AgentException {
        long v = 0;
        for (long last : lastPositions().values()) {
            v += last + 1;
        }
        return v;
    }

    /** Sets a member's role (or adds a member), signed by this device. */
    public void setRole(String space, PublicKey member, SpaceRole role) throws AgentException {
        IdentityMeta.SpaceRef ref = ref(space);
        SpaceState state = stateOf(ref);
        requireAnotherOwner(state, ref, member, role);
        Map<PublicKey, Long> last = lastPositions();
        Credential c = sign(s -> Spaces.setRole(state, s, member, role, last));
        append(ref.feed(), c);
        SpaceState after = stateOf(ref);
        for (Refusal r : after.refused()) {
            if (r.credential().filter(Credentials.id(c)::equals).isPresent()) {
                throw new AgentException("space." + r.reason().code(), "the space refused the change: " + r.detail()
                        + " (the refused credential is kept for audit)");
            }
        }
    }

    /**
     * The sole OWNER cannot step down or leave (rule 2, decision 0003): refused here, before anything is
     * written, with the way out.
     */
    private void requireAnotherOwner(SpaceState state, IdentityMeta.SpaceRef ref, PublicKey member, SpaceRole role)
            throws AgentException {
        boolean selfOwner = member.equals(meta.identity())
                && state.roleOf(member).filter(SpaceRole.SPACE_ROLE_OWNER::equals).isPresent();
        if (!selfOwner || role == SpaceRole.SPACE_ROLE_OWNER) {
            return;
        }
        long owners = state.members().values().stream().filter(m -> m.role() == SpaceRole.SPACE_ROLE_OWNER).count();
        if (owners <= 1) {
            throw new AgentException("space.role.last_owner", "you are the only OWNER of " + ref.name() + "; "
                    + (role == SpaceRole.SPACE_ROLE_REMOVED ? "leaving" : "stepping down")
                    + " would leave nobody able to grant OWNER again. Grant OWNER to another member first");
        }
    }

    /** Removes a member from a space. */
    public void remove(String space, PublicKey member) throws AgentException {
        setRole(space, member, SpaceRole.SPACE_ROLE_REMOVED);
    }

    // ---- invitations handed over between admins -----------------------------------------------------------

    /**
     * The devices of {@code member} that write in {@code space} (a control or data feed of theirs is admitted),
     * without those revoked: where an invitation handed over to the member is sealed.
     */
    public List<PublicKey> devicesOf(String space, PublicKey member) throws AgentException {
        SpaceState state = stateOf(ref(space));
        List<PublicKey> out = new ArrayList<>();
        for (SpaceFeed f : state.feeds().values()) {
            if (f.identity().equals(member) && !out.contains(f.device()) && !state.isRevoked(member, f.device())) {
                out.add(f.device());
            }
        }
        return out;
    }

    /**
     * Writes an {@code InvitationDelegated} about {@code delegate} to this identity's control feed of the space,
     * signed by this device; refused (nothing kept but the audit) if the space's rules do not admit it.
     */
    public Credential delegateInvitation(String space, PublicKey delegate, InvitationDelegated delegation)
            throws AgentException {
        IdentityMeta.SpaceRef ref = ref(space);
        SpaceState state = stateOf(ref);
        Credential c = sign(signer -> Credentials.issue(signer).subject(delegate).assertion(delegation)
                .parents(Spaces.parents(state, List.of())).sign());
        append(ref.feed(), c);
        for (Refusal r : stateOf(ref).refused()) {
            if (r.credential().filter(Credentials.id(c)::equals).isPresent()) {
                throw new AgentException("space." + r.reason().code(), "the space refused the hand-over: " + r.detail());
            }
        }
        return c;
    }

    /** Every applied {@code InvitationDelegated} of this identity's spaces that hands an invitation to it. */
    public List<VerifiedCredential> delegationsToMe() throws AgentException {
        List<VerifiedCredential> out = new ArrayList<>();
        for (IdentityMeta.SpaceRef s : meta.spaces()) {
            for (VerifiedCredential v : stateOf(s).content()) {
                if (v.assertion() instanceof InvitationDelegated && v.subject().equals(meta.identity())) {
                    out.add(v);
                }
            }
        }
        return out;
    }

    /**
     * Signs {@code DOMAIN || 0x00 || payload} with this device's key (the node's {@code Keyring} service, which
     * lets other code sign only in the domains an admin allows).
     */
    public byte[] signAsDevice(org.halo4j.keys.SignatureDomain domain, byte[] payload) throws AgentException {
        try {
            return keyring().sign(meta.device(), domain, payload);
        } catch (KeyringException e) {
            throw Wallet.translate(e);
        }
    }

    /** X25519 agreement between this device's key agreement key and {@code peerX25519}. */
    public byte[] agree(byte[] peerX25519) throws AgentException {
        try {
            return keyring().agree(meta.device(), peerX25519);
        } catch (KeyringException e) {
            throw Wallet.translate(e);
        }
    }

    // ---- membership claims (decision 0008) -----------------------------------------------------------------

    /**
     * A membership claim, signed by this device, that {@code member} holds its role in the space {@code spaceKey}
     * as of now, for its device {@code device} (the device that asked, authenticated by the peer channel). The
     * role stated is the member's, capped at this identity's own: a claim never states more than its issuer
     * could grant. The evidence is the space's genesis and the grants from the space key to this identity.
     *
     * @throws AgentException {@code claim.not_member} (removed, never a member, its device revoked here, or a
     *                        space not kept here: said alike), {@code claim.issuer_role} (this identity is not OWNER or
     *                        ADMIN there), {@code claim.evidence} (the grants cannot be shown)
     */
    public Credential issueClaim(PublicKey spaceKey, PublicKey member, PublicKey device) throws AgentException {
        // a space not kept here and a space where the asker is no member are refused alike, word for word: the
        // refusal must not tell a stranger which spaces this node keeps
        Supplier<AgentException> noClaim = () -> new AgentException("claim.not_member", member.shortId()
                + " is not a member of space " + spaceKey.shortId() + " in the spaces this node keeps");
        IdentityMeta.SpaceRef ref = meta.spaces().stream().filter(s -> s.spaceKey().equals(spaceKey)).findFirst()
                .orElseThrow(noClaim);
        SpaceState state = stateOf(ref);
        SpaceRole role = state.roleOf(member).filter(r -> r != SpaceRole.SPACE_ROLE_REMOVED).orElseThrow(noClaim);
        if (state.isRevoked(member, device)) {
            throw new AgentException("claim.not_member", "device " + device.shortId() + " of " + member.shortId()
                    + " is revoked in space " + spaceKey.shortId());
        }
        SpaceRole mine = state.roleOf(meta.identity()).orElse(SpaceRole.SPACE_ROLE_REMOVED);
        if (Roles.rank(mine) < Roles.rank(SpaceRole.SPACE_ROLE_ADMIN)) {
            throw new AgentException("claim.issuer_role", did() + " is " + Roles.name(mine) + " in space "
                    + spaceKey.shortId() + "; only an OWNER or ADMIN states membership claims");
        }
        SpaceRole stated = Roles.rank(role) <= Roles.rank(mine) ? role : mine;
        CachedEvidence cached = evidenceCache.get(spaceKey);
        if (cached == null || cached.state != state) {
            cached = new CachedEvidence(state, ClaimEvidence.of(state, meta.identity(), entries(feedsOf(ref)),
                    replayVerifier));
            evidenceCache.put(spaceKey, cached); // the same state object until this space's feeds grow
        }
        List<Credential> evidence = cached.evidence;
        return sign(signer -> org.halo4j.claims.MembershipClaims.issue(signer, spaceKey, member, device, stated,
                evidence, Clock.systemUTC()));
    }

    private record CachedEvidence(SpaceState state, List<Credential> evidence) {
    }

    private final Map<PublicKey, CachedEvidence> evidenceCache = new HashMap<>();

    private List<SpaceEntry> entries(Collection<PublicKey> feedKeys) throws AgentException {
        try {
            return feeds.entries(feedKeys);
        } catch (IOException e) {
            throw new AgentException("storage.io", "could not read the feeds: " + e.getMessage(), e);
        }
    }

    /** Credentials of the space that were not applied, with their reasons, and those still pending. */
    public List<Refusal> audit(String space) throws AgentException {
        SpaceState s = stateOf(ref(space));
        List<Refusal> out = new ArrayList<>(s.refused());
        out.addAll(s.pending());
        return out;
    }

    // ---- credentials and presentations --------------------------------------------------------------------

    /** Credentials in this identity's feeds: the HALO's and every space's, or one space's. */
    public List<CredentialSummary> credentials(Optional<String> space) throws AgentException {
        Collection<PublicKey> feedKeys = space.isPresent() ? feedsOf(ref(space.get())) : allFeeds();
        Map<CredentialId, CredentialSummary> out = new LinkedHashMap<>();
        try {
            for (SpaceEntry e : feeds.entries(feedKeys)) {
                Optional<Credential> c = decoded(e);
                if (c.isEmpty()) {
                    continue; // not a credential: space audit reports it
                }
                CredentialId id = Credentials.id(c.get());
                if (!out.containsKey(id)) {
                    CredentialBody body = CredentialBody.parseFrom(c.get().getBody());
                    String url = body.getAssertion().getTypeUrl();
                    out.put(id, new CredentialSummary(id, url.substring(url.lastIndexOf('.') + 1),
                            PublicKey.of(body.getIssuer().toByteArray()), PublicKey.of(body.getSubject().toByteArray()),
                            c.get()));
                }
            }
        } catch (IOException e) {
            throw new AgentException("storage.io", "could not read the feeds: " + e.getMessage(), e);
        }
        return new ArrayList<>(out.values());
    }

    /** A credential by id. */
    public Credential credential(CredentialId id) throws AgentException {
        for (CredentialSummary c : credentials(Optional.empty())) {
            if (c.id().equals(id)) {
                return c.credential();
            }
        }
        throw new AgentException("credential.unknown", "no credential " + id.shortId() + " in the feeds of " + did());
    }

    /** Signs a presentation for {@code audience}'s challenge {@code nonce}, presenting the named credentials. */
    public Presentation signPresentation(String audience, byte[] nonce, List<CredentialId> credentialIds) throws AgentException {
        List<Credential> presented = new ArrayList<>();
        for (CredentialId id : credentialIds) {
            presented.add(credential(id));
        }
        return present(audience, nonce, presented);
    }

    /**
     * Signs a presentation for {@code audience}'s challenge {@code nonce}, presenting credentials held in hand
     * rather than in the feeds (membership claims a node just issued).
     */
    public Presentation present(String audience, byte[] nonce, List<Credential> presented) throws AgentException {
        try {
            return Presentations.sign(deviceSigner(), nonce, audience, presented, Clock.systemUTC());
        } catch (KeyringException e) {
            throw Wallet.translate(e);
        } catch (IllegalArgumentException e) {
            throw new AgentException("presentation.invalid", e.getMessage(), e);
        }
    }

    /**
     * What this identity knows of device revocations: those in its HALO and in every space it belongs to
     * (DESIGN §4 rule 8 copies each identity's revocations into its spaces). Replayed now; a device is revoked
     * if any of these states revoked it, and an authorization on a chain stands only if every state keeps it.
     */
    public DeviceStatus deviceStatus() throws AgentException {
        List<SpaceState> states = new ArrayList<>();
        states.add(haloForState());
        for (IdentityMeta.SpaceRef s : meta.spaces()) {
            states.add(stateOf(s));
        }
        List<RecoveryRevocation> ownRecoveries = haloSynced() ? List.of() : ownRecoveries();
        return new DeviceStatus() {
            @Override
            public boolean isRevoked(PublicKey identity, PublicKey device) {
                return states.stream().anyMatch(st -> st.isRevoked(identity, device));
            }

            @Override
            public boolean keepsAuthorization(PublicKey identity, PublicKey issuingDevice, CredentialId authorization) {
                return states.stream().allMatch(st -> st.keepsAuthorization(identity, issuingDevice, authorization));
            }

            @Override
            public boolean revokedByRecovery(PublicKey identity, PublicKey rootDevice, java.time.Instant authorizedAt) {
                return states.stream().anyMatch(st -> st.revokedByRecovery(identity, rootDevice, authorizedAt))
                        || ownRecoveries.stream().anyMatch(r -> r.revokes(identity, rootDevice, authorizedAt));
            }
        };
    }

    /**
     * Before the HALO has arrived (a recovered identity), this device's own revocations of every other device
     * (decision 0005), from its HALO feed: it knows what it revoked even before it knows the HALO.
     */
    private List<RecoveryRevocation> ownRecoveries() throws AgentException {
        List<RecoveryRevocation> out = new ArrayList<>();
        try {
            for (SpaceEntry e : feeds.entries(haloFeeds())) {
                try {
                    RecoveryRevocation.of(replayVerifier.verify(e.payload().toByteArray()))
                            .filter(r -> r.identity().equals(meta.identity())).ifPresent(out::add);
                } catch (HaloRejectedException notOne) {
                    // not a valid credential: replay reports it where it matters
                }
            }
        } catch (IOException e) {
            throw new AgentException("storage.io", "could not read the HALO feed: " + e.getMessage(), e);
        }
        return out;
    }

    /**
     * A verifier for credentials and presentations from elsewhere, with the revocations this identity knows
     * ({@link #deviceStatus()}) and the system clock.
     */
    public CredentialVerifier verifier() throws AgentException {
        return CredentialVerifier.builder().deviceStatus(deviceStatus()).build();
    }

    /**
     * The verifier for opening a channel to sync with: {@link #verifier()}, except before the HALO has arrived
     * (a recovered identity), when the revocations this device wrote itself would refuse the very devices it
     * must learn its HALO from. That is safe: everything received is verified by the replay, and what this side
     * serves the peer is decided at every turn with every revocation known ({@link #sync}).
     */
    public CredentialVerifier verifierForSync() throws AgentException {
        return haloSynced() ? verifier() : CredentialVerifier.builder().ignoreRevocation().build();
    }

    @Override
    public void close() throws AgentException {
        try {
            feeds.close();
        } catch (IOException e) {
            throw new AgentException("storage.io", "could not close the feeds: " + e.getMessage(), e);
        } finally {
            if (keyring != null) {
                keyring.close();
            }
        }
    }

    /** From now on, reading and replaying a space tells {@code progress} how far it has come. */
    public void onProgress(ReplayProgress progress) {
        this.progress = java.util.Objects.requireNonNull(progress);
    }

    /** True if this agent was opened for reading only, without the keyring. */
    public boolean readOnly() {
        return keyring == null;
    }

    /** The unlocked keyring; for reading only, {@code keyring.locked}. */
    private FileKeyring keyring() throws AgentException {
        if (keyring == null) {
            throw new AgentException("keyring.locked", "the wallet of " + did() + " was opened for reading only: "
                    + "signing needs the keyring passphrase");
        }
        return keyring;
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    private interface Issue {
        Credential with(Signer signer) throws KeyringException, AgentException;
    }

    private Credential sign(Issue issue) throws AgentException {
        try {
            return issue.with(deviceSigner());
        } catch (KeyringException e) {
            throw Wallet.translate(e);
        } catch (IllegalArgumentException e) {
            throw new AgentException("credential.invalid", e.getMessage(), e);
        }
    }

    /** This device as a signer, with its AuthorizedDevice credential from the HALO feed as its chain. */
    Signer deviceSigner() throws AgentException {
        try {
            for (SpaceEntry e : feeds.entries(haloFeeds())) {
                Optional<Credential> c = decoded(e);
                if (c.isEmpty()) {
                    continue;
                }
                CredentialBody body = CredentialBody.parseFrom(c.get().getBody());
                if (body.getAssertion().getTypeUrl().endsWith("." + AuthorizedDevice.getDescriptor().getName())
                        && meta.device().matches(body.getSubject().toByteArray())
                        && meta.identity().matches(body.getIssuer().toByteArray())) {
                    return Signer.device(keyring(), meta.device(), c.get());
                }
            }
        } catch (IOException e) {
            throw new AgentException("storage.io", "could not read the HALO feed: " + e.getMessage(), e);
        }
        throw new AgentException("device.unauthorized", "this device has no authorization from " + did());
    }

    private void append(PublicKey feed, Credential c) throws AgentException {
        try {
            feeds.append(feed, c);
        } catch (IOException e) {
            throw new AgentException("storage.io", "could not append to feed " + feed.shortId() + ": " + e.getMessage(), e);
        }
    }

    private Map<PublicKey, Long> lastPositions() throws AgentException {
        try {
            return feeds.lastPositions();
        } catch (IOException e) {
            throw new AgentException("storage.io", "could not read the feeds: " + e.getMessage(), e);
        }
    }

    /** The credential an entry carries, strictly decoded; empty if it carries none. */
    private static Optional<Credential> decoded(SpaceEntry e) {
        try {
            return Optional.of(Credentials.decode(e.payload()));
        } catch (HaloRejectedException notACredential) {
            return Optional.empty();
        }
    }

    /** The HALO's feeds here: this device's, then those that arrived by replication. */
    List<PublicKey> haloFeeds() {
        List<PublicKey> all = new ArrayList<>();
        all.add(meta.haloFeed());
        all.addAll(meta.peerFeedsOf(Optional.empty()));
        return all;
    }

    /** A space's feeds here: this device's, then those that arrived by replication. */
    List<PublicKey> feedsOf(IdentityMeta.SpaceRef s) {
        List<PublicKey> all = new ArrayList<>();
        all.add(s.feed());
        all.addAll(meta.peerFeedsOf(Optional.of(s.spaceKey())));
        return all;
    }

    private List<PublicKey> allFeeds() {
        List<PublicKey> all = new ArrayList<>(haloFeeds());
        meta.spaces().forEach(s -> all.addAll(feedsOf(s)));
        return all;
    }

    /** The HALO for reading the identity's state; before it is synced, this device's own records only. */
    private SpaceState haloForState() throws AgentException {
        if (haloSynced()) {
            return halo();
        }
        return SpaceReplay.replay(meta.haloFeed(), List.of(), replayVerifier);
    }

    /**
     * A space's state kept up to date as its feeds grow: feeds only grow (a fork cuts one, which makes it
     * shorter), so entries past the lengths already taken are all that is new, and {@link SpaceMembership}
     * evaluates them on top of the state so far (or replays the whole space when they would change its past).
     */
    private static final class Replayed {
        /** Null until the space grows in this process: the first state comes from a replay that shows progress. */
        SpaceMembership membership;
        SpaceState state;
        final Map<PublicKey, Long> taken = new HashMap<>();
    }

    private final Map<PublicKey, Replayed> replayed = new HashMap<>();

    private SpaceState replay(PublicKey spaceKey, Collection<PublicKey> feedKeys) throws AgentException {
        try {
            Map<PublicKey, Long> lengths = new LinkedHashMap<>();
            for (PublicKey k : feedKeys) {
                lengths.put(k, feeds.length(k));
            }
            Replayed known = replayed.get(spaceKey);
            if (known != null && known.taken.equals(lengths)) {
                if (known.state == null) {
                    known.state = known.membership.state();
                }
                return known.state;
            }
            boolean grows = known != null && lengths.keySet().containsAll(known.taken.keySet())
                    && known.taken.entrySet().stream().allMatch(e -> lengths.get(e.getKey()) >= e.getValue());
            if (!grows) {
                known = new Replayed();
                known.state = SpaceReplay.replay(spaceKey, feeds.entries(lengths.keySet(), progress), replayVerifier,
                        progress);
            } else {
                if (known.membership == null) {
                    // the first growth in this process: from here on, only what is new is evaluated
                    known.membership = new SpaceMembership(spaceKey, replayVerifier);
                    known.membership.add(feeds.entries(lengths.keySet()));
                } else {
                    List<SpaceEntry> added = new ArrayList<>();
                    for (Map.Entry<PublicKey, Long> e : lengths.entrySet()) {
                        long from = known.taken.getOrDefault(e.getKey(), 0L);
                        if (e.getValue() > from) {
                            added.addAll(feeds.entriesFrom(e.getKey(), from));
                        }
                    }
                    known.membership.add(added);
                }
                known.state = known.membership.state();
            }
            known.taken.clear();
            known.taken.putAll(lengths);
            replayed.put(spaceKey, known);
            return known.state;
        } catch (IOException e) {
            throw new AgentException("storage.io", "could not read the feeds: " + e.getMessage(), e);
        }
    }

    /**
     * Before entries of {@code spaceKey} arrive by replication: makes its kept state incremental, so that
     * {@link #arrived} can hand it the entries just verified and stored instead of a later replay reading and
     * verifying them from disk again.
     */
    void expectArrivals(PublicKey spaceKey, Collection<PublicKey> feedKeys) throws AgentException {
        replay(spaceKey, feedKeys);
        Replayed known = replayed.get(spaceKey);
        if (known.membership == null) {
            try {
                known.membership = new SpaceMembership(spaceKey, replayVerifier);
                known.membership.add(feeds.entries(known.taken.keySet()));
                known.state = null;
            } catch (IOException e) {
                throw new AgentException("storage.io", "could not read the feeds: " + e.getMessage(), e);
            }
        }
    }

    /**
     * Entries of {@code feed} from seq {@code from} on, just verified and stored: evaluated on top of the kept
     * state of {@code spaceKey} if it is incremental and holds the feed up to {@code from}; otherwise the next
     * question replays from disk as usual.
     */
    void arrived(PublicKey spaceKey, PublicKey feed, long from, List<SpaceEntry> entries) {
        Replayed known = replayed.get(spaceKey);
        if (known == null || known.membership == null || known.taken.getOrDefault(feed, 0L) != from) {
            return;
        }
        known.membership.add(entries);
        known.taken.put(feed, from + entries.size());
        known.state = null;
    }

    SpaceState stateOf(IdentityMeta.SpaceRef s) throws AgentException {
        return replay(s.spaceKey(), feedsOf(s));
    }

    private SpaceSummary summary(IdentityMeta.SpaceRef s, SpaceState state) {
        int active = (int) state.members().values().stream().filter(Member::isActive).count();
        return new SpaceSummary(s.spaceKey().toHex(), s.spaceKey(), s.name(), state.roleOf(meta.identity()), active);
    }

    private IdentityMeta.SpaceRef ref(String idOrName) throws AgentException {
        List<IdentityMeta.SpaceRef> byName = new ArrayList<>();
        for (IdentityMeta.SpaceRef s : meta.spaces()) {
            if (s.spaceKey().toHex().equalsIgnoreCase(idOrName)) {
                return s;
            }
            if (s.name().equals(idOrName)) {
                byName.add(s);
            }
        }
        if (byName.size() == 1) {
            return byName.get(0);
        }
        if (byName.isEmpty()) {
            throw new AgentException("space.unknown", "no space with id or name '" + idOrName + "'");
        }
        throw new AgentException("space.ambiguous", byName.size() + " spaces are named '" + idOrName
                + "'; use the space id");
    }

    private void requireSynced(String what) throws AgentException {
        if (!haloSynced()) {
            throw new AgentException("halo.not_synced", "the HALO of " + did() + " has not arrived on this device yet"
                    + " (recovered identity): " + what + " waits until it is synced");
        }
    }

    /** The identity's directory in its wallet: for runtimes that keep more state per identity (invitations). */
    public Path directory() {
        return dir;
    }

    // ---- replication -------------------------------------------------------------------------------------

    /**
     * Replicates with the device at the other end of {@code channel} until both sides hold everything the other
     * could give them (docs/net.md, "Replication"): the HALO with devices of this identity, each space with
     * devices of its members. {@code requestFirst}: the side that connected asks first. Safe to run from several
     * threads at once (a node serving many peers): local work is serialized on this agent.
     *
     * @throws PeerException if the channel fails or the peer misbehaves; what arrived before stays stored
     */
    public SyncReport sync(org.halo4j.net.PeerChannel channel, boolean requestFirst) throws AgentException,
            org.halo4j.net.PeerException {
        return new Replication(this, channel, channel.remote(), progress).run(requestFirst);
    }

    /**
     * As {@link #sync(org.halo4j.net.PeerChannel, boolean)}, with the peer taken as {@code peer} rather than as
     * it proved itself in the handshake: for the host of a device invitation, whose guest proved only its device
     * key, and which has just authorized that device for this identity ({@code peer} names both).
     */
    public SyncReport sync(org.halo4j.net.PeerChannel channel, boolean requestFirst, org.halo4j.net.RemotePeer peer)
            throws AgentException, org.halo4j.net.PeerException {
        if (!peer.device().equals(channel.remote().device())) {
            throw new IllegalArgumentException("the peer must be the device at the other end of the channel");
        }
        return new Replication(this, channel, peer, progress).run(requestFirst);
    }

    /** This device as the local end of a peer channel: its key, identity and AuthorizedDevice credential. */
    public org.halo4j.net.LocalDevice localDevice() throws AgentException {
        return new org.halo4j.net.LocalDevice(keyring(), meta.device(), Optional.of(meta.identity()),
                Optional.of(deviceSigner().authorization().orElseThrow()));
    }

    // ---- for replication (same package) -------------------------------------------------------------------

    IdentityMeta meta() {
        return meta;
    }

    /** Records a new metadata state durably before anything relies on it. */
    void updateMeta(IdentityMeta next) throws AgentException {
        if (!next.equals(meta)) {
            next.write(dir.resolve(Wallet.META));
            meta = next;
        }
    }

    FeedLog feedLog() {
        return feeds;
    }

    void appendTo(PublicKey feed, Credential c) throws AgentException {
        append(feed, c);
    }

    /** The replayed HALO if it is synced. */
    Optional<SpaceState> haloIfSynced() throws AgentException {
        return haloSynced() ? Optional.of(halo()) : Optional.empty();
    }

    /** Replays the HALO as if its key were {@code key}: to check a HALO offered by another device. */
    SpaceState haloAs(PublicKey key) throws AgentException {
        return replay(key, haloFeeds());
    }

    CredentialVerifier replayVerifier() {
        return replayVerifier;
    }

    FileKeyring keyringForSigning() throws AgentException {
        return keyring();
    }

    /** For tests: the verified HALO content. */
    List<VerifiedCredential> haloContent() throws AgentException {
        return halo().content();
    }

    static String roleName(SpaceRole role) {
        return Roles.name(role);
    }

    static DeviceScope scopeOf(DeviceInfo d) {
        return d.scope();
    }
}
