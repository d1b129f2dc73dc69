package org.halo4j.claims;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.halo4j.credentials.CredentialVerifier;
import org.halo4j.credentials.Signer;
import org.halo4j.errors.HaloRejectedException;
import org.halo4j.errors.RejectionCode;
import org.halo4j.keys.PublicKey;
import org.halo4j.presentations.Challenge;
import org.halo4j.presentations.HaloVerifier;
import org.halo4j.presentations.InMemoryChallengeStore;
import org.halo4j.presentations.LoginResult;
import org.halo4j.presentations.Presentations;
import org.halo4j.proto.v1.Credential;
import org.halo4j.proto.v1.CredentialBody;
import org.halo4j.proto.v1.DeviceScope;
import org.halo4j.proto.v1.MembershipClaim;
import org.halo4j.proto.v1.SpaceRole;
import org.halo4j.spaces.SpaceEntry;
import org.halo4j.spaces.SpaceReplay;
import org.halo4j.spaces.SpaceState;
import org.halo4j.spaces.Spaces;
import org.halo4j.testing.Agents;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Membership claims as a relying party checks them (decision 0008), each way a claim can be wrong tried: too old,
 * for another space, from an untrusted issuer, for a role its issuer could not grant, with evidence that does
 * not lead from the genesis to the issuer (a self-raise among it), and for another device.
 */
class ClaimVerifierTest {

    private static final String SITE = "https://app.example.com";

    private final Agents agents = new Agents();
    private final Clock clock = agents.clock;
    private final List<SpaceEntry> entries = new ArrayList<>();
    private final Map<PublicKey, Long> next = new HashMap<>();
    private PublicKey space;
    private PublicKey ownerFeed;
    private Signer owner;
    private Signer node;
    private Signer editor;
    private Signer alice;
    private Credential genesis;
    private Credential ownerGrant;
    private Credential nodeGrant;
    private Credential editorGrant;

    @BeforeEach
    void aSpaceWithAnOwnerAnAdminNodeAndAnEditor() throws Exception {
        owner = agents.newDevice(agents.self(agents.newKey()), DeviceScope.DEVICE_SCOPE_ADMIN);
        node = agents.newDevice(agents.self(agents.newKey()), DeviceScope.DEVICE_SCOPE_ADMIN);
        editor = agents.newDevice(agents.self(agents.newKey()), DeviceScope.DEVICE_SCOPE_ADMIN);
        alice = agents.newDevice(agents.self(agents.newKey()), DeviceScope.DEVICE_SCOPE_WRITE);
        ownerFeed = agents.newKey();
        Spaces.Created created = Spaces.create(agents.keyring, "club", owner.issuer(), owner.key(), ownerFeed, clock);
        space = created.spaceKey();
        for (Credential c : created.credentials()) {
            write(ownerFeed, c);
        }
        genesis = ofType(created.credentials(), "SpaceGenesis");
        ownerGrant = ofType(created.credentials(), "SpaceMember");
        nodeGrant = write(ownerFeed, Spaces.setRole(state(), owner, node.issuer(), SpaceRole.SPACE_ROLE_ADMIN, Map.of()));
        editorGrant = write(ownerFeed, Spaces.setRole(state(), owner, editor.issuer(), SpaceRole.SPACE_ROLE_EDITOR, Map.of()));
        assertThat(state().roleOf(node.issuer())).contains(SpaceRole.SPACE_ROLE_ADMIN);
    }

    private Credential write(PublicKey feed, Credential c) {
        entries.add(SpaceEntry.of(feed, next.merge(feed, 1L, Long::sum) - 1, c));
        return c;
    }

    private SpaceState state() {
        return SpaceReplay.replay(space, entries, CredentialVerifier.builder().ignoreRevocation().build());
    }

    private static Credential ofType(List<Credential> credentials, String type) throws Exception {
        for (Credential c : credentials) {
            if (CredentialBody.parseFrom(c.getBody()).getAssertion().getTypeUrl().endsWith("." + type)) {
                return c;
            }
        }
        throw new AssertionError("no " + type);
    }

    private List<Credential> nodeEvidence() {
        return List.of(genesis, ownerGrant, nodeGrant);
    }

    private Credential claim(Signer by, SpaceRole role, List<Credential> evidence) throws Exception {
        return MembershipClaims.issue(by, space, alice.issuer(), alice.key(), role, evidence, clock);
    }

    /** Alice logs in at the claims' time, presenting {@code claims}, and the site checks them {@code later}. */
    private LoginResult login(Credential... claims) throws Exception {
        InMemoryChallengeStore store = new InMemoryChallengeStore(100);
        HaloVerifier verifier = HaloVerifier.builder().audience(SITE).challengeStore(store).ignoreRevocation()
                .clock(clock).build();
        Challenge c = verifier.startLogin();
        return verifier.finishLogin(c, Presentations.sign(alice, c.nonce(), SITE, List.of(claims), clock).toByteArray());
    }

    private ClaimVerifier site(Duration later, PublicKey... trusted) {
        return ClaimVerifier.builder().trust(space, trusted.length == 0 ? new PublicKey[] {node.issuer()} : trusted)
                .clock(Clock.offset(clock, later)).build();
    }

    private Credential raw(MembershipClaim claim) throws Exception {
        ByteString body = Agents.body(node.issuer(), alice.issuer(), claim, clock.instant()).build().toByteString();
        return agents.signRaw(body, node.key(), node.authorization());
    }

    private RejectionCode refusedAtLogin(Credential claim) {
        try {
            login(claim);
        } catch (HaloRejectedException e) {
            return e.code();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("the login was accepted");
    }

    private static RejectionCode refusal(ClaimVerifier site, LoginResult login) {
        try {
            site.check(login);
        } catch (ClaimRejectedException e) {
            return e.code();
        }
        throw new AssertionError("the claim was accepted");
    }

    @Test
    void aFreshClaimFromTheTrustedNodeGivesItsRoleUntilTheWindowEnds() throws Exception {
        LoginResult login = login(claim(node, SpaceRole.SPACE_ROLE_EDITOR, nodeEvidence()));
        VerifiedClaim v = site(Duration.ofMinutes(4)).check(login).get(space);
        assertThat(v.role()).isEqualTo(SpaceRole.SPACE_ROLE_EDITOR);
        assertThat(v.identity()).isEqualTo(alice.issuer());
        assertThat(v.issuer()).isEqualTo(node.issuer());
        assertThat(v.validUntil()).isEqualTo(clock.instant().plus(MembershipClaims.DEFAULT_WINDOW));
        assertThat(site(Duration.ZERO).check(login(/* no claim */))).isEmpty();
    }

    @Test
    void aClaimOlderThanTheWindowIsRefused() throws Exception {
        LoginResult login = login(claim(node, SpaceRole.SPACE_ROLE_READER, nodeEvidence()));
        assertThat(site(Duration.ofMinutes(5).minusSeconds(1)).check(login)).containsKey(space);
        assertThat(refusal(site(Duration.ofMinutes(5)), login)).isEqualTo(RejectionCode.CLAIM_STALE);
        ClaimVerifier strict = ClaimVerifier.builder().trust(space, node.issuer()).window(Duration.ofSeconds(30))
                .clock(Clock.offset(clock, Duration.ofSeconds(31))).build();
        assertThat(refusal(strict, login)).isEqualTo(RejectionCode.CLAIM_STALE);
    }

    @Test
    void aClaimCountsNoLongerThanItsOwnExpiryWhateverTheWindow() throws Exception {
        LoginResult login = login(claim(node, SpaceRole.SPACE_ROLE_READER, nodeEvidence()));
        ClaimVerifier lenient = ClaimVerifier.builder().trust(space, node.issuer()).window(Duration.ofHours(1))
                .clock(clock).build();
        assertThat(lenient.check(login).get(space).validUntil())
                .isEqualTo(clock.instant().plus(MembershipClaims.DEFAULT_WINDOW));
        ClaimVerifier later = ClaimVerifier.builder().trust(space, node.issuer()).window(Duration.ofHours(1))
                .clock(Clock.offset(clock, Duration.ofMinutes(6))).build();
        assertThat(refusal(later, login)).isEqualTo(RejectionCode.CLAIM_STALE);
    }

    @Test
    void aClaimSignedByAReadScopeDeviceOfTheTrustedIssuerIsRefused() throws Exception {
        Signer readOnly = agents.newDevice(agents.self(node.issuer()), DeviceScope.DEVICE_SCOPE_READ);
        assertThat(refusal(site(Duration.ZERO), login(claim(readOnly, SpaceRole.SPACE_ROLE_READER, nodeEvidence()))))
                .isEqualTo(RejectionCode.CLAIM_UNTRUSTED_ISSUER);
    }

    @Test
    void aClaimForAnotherSpaceIsRefused() throws Exception {
        PublicKey otherFeed = agents.newKey();
        Spaces.Created other = Spaces.create(agents.keyring, "other", node.issuer(), node.key(), otherFeed, clock);
        Credential forOther = MembershipClaims.issue(node, other.spaceKey(), alice.issuer(), alice.key(),
                SpaceRole.SPACE_ROLE_READER, other.credentials().subList(0, 2), clock);
        assertThat(refusal(site(Duration.ZERO), login(forOther))).isEqualTo(RejectionCode.CLAIM_OTHER_SPACE);
    }

    @Test
    void aClaimFromAnUntrustedIssuerIsRefusedEvenIfItsRoleWouldDo() throws Exception {
        Credential byOwner = claim(owner, SpaceRole.SPACE_ROLE_READER, List.of(genesis, ownerGrant));
        assertThat(refusal(site(Duration.ZERO), login(byOwner))).isEqualTo(RejectionCode.CLAIM_UNTRUSTED_ISSUER);
        assertThat(site(Duration.ZERO, owner.issuer()).check(login(byOwner))).containsKey(space);
    }

    @Test
    void aClaimForARoleItsIssuerCouldNotGrantIsRefused() throws Exception {
        // the ADMIN node states OWNER; a trusted EDITOR states anything
        assertThat(refusal(site(Duration.ZERO), login(claim(node, SpaceRole.SPACE_ROLE_OWNER, nodeEvidence()))))
                .isEqualTo(RejectionCode.CLAIM_ROLE);
        Credential byEditor = claim(editor, SpaceRole.SPACE_ROLE_READER, List.of(genesis, ownerGrant, editorGrant));
        assertThat(refusal(site(Duration.ZERO, editor.issuer()), login(byEditor))).isEqualTo(RejectionCode.CLAIM_ROLE);
        // the node's own ADMIN role is what it can state
        assertThat(site(Duration.ZERO).check(login(claim(node, SpaceRole.SPACE_ROLE_ADMIN, nodeEvidence())))
                .get(space).role()).isEqualTo(SpaceRole.SPACE_ROLE_ADMIN);
    }

    @Test
    void evidenceThatDoesNotLeadFromTheGenesisToTheIssuerIsRefused() throws Exception {
        // a grant whose issuer the evidence does not show (the owner's grant left out)
        assertThat(refusal(site(Duration.ZERO), login(claim(node, SpaceRole.SPACE_ROLE_READER,
                List.of(genesis, nodeGrant))))).isEqualTo(RejectionCode.CLAIM_EVIDENCE);
        // no genesis first
        assertThat(refusal(site(Duration.ZERO), login(claim(node, SpaceRole.SPACE_ROLE_READER,
                List.of(ownerGrant, nodeGrant))))).isEqualTo(RejectionCode.CLAIM_EVIDENCE);
        // the ADMIN raises itself to OWNER in a grant it never wrote to the space, then states OWNER
        Credential selfRaise = Spaces.setRole(state(), node, node.issuer(), SpaceRole.SPACE_ROLE_OWNER, Map.of());
        List<Credential> raised = List.of(genesis, ownerGrant, nodeGrant, selfRaise);
        assertThat(refusal(site(Duration.ZERO), login(claim(node, SpaceRole.SPACE_ROLE_OWNER, raised))))
                .isEqualTo(RejectionCode.CLAIM_EVIDENCE);
        // a grant by the editor, who could not grant
        Credential byEditor = Spaces.setRole(state(), editor, node.issuer(), SpaceRole.SPACE_ROLE_ADMIN, Map.of());
        assertThat(refusal(site(Duration.ZERO), login(claim(node, SpaceRole.SPACE_ROLE_READER,
                List.of(genesis, ownerGrant, editorGrant, byEditor))))).isEqualTo(RejectionCode.CLAIM_EVIDENCE);
        // a genesis of another space
        Spaces.Created other = Spaces.create(agents.keyring, "other", node.issuer(), node.key(), agents.newKey(), clock);
        assertThat(refusal(site(Duration.ZERO), login(claim(node, SpaceRole.SPACE_ROLE_READER,
                List.of(other.credentials().get(0), ownerGrant, nodeGrant))))).isEqualTo(RejectionCode.CLAIM_EVIDENCE);
        // evidence bytes that are not a credential that verifies
        Credential tampered = nodeGrant.toBuilder().setProof(nodeGrant.getProof().toBuilder()
                .setSignature(ByteString.copyFrom(new byte[64]))).build();
        assertThat(refusal(site(Duration.ZERO), login(claim(node, SpaceRole.SPACE_ROLE_READER,
                List.of(genesis, ownerGrant, tampered))))).isEqualTo(RejectionCode.CLAIM_EVIDENCE);
    }

    @Test
    void aClaimIssuedToAnotherDeviceIsRefused() throws Exception {
        Signer alicesPhone = agents.newDevice(agents.self(alice.issuer()), DeviceScope.DEVICE_SCOPE_WRITE);
        Credential forPhone = MembershipClaims.issue(node, space, alice.issuer(), alicesPhone.key(),
                SpaceRole.SPACE_ROLE_READER, nodeEvidence(), clock);
        assertThat(refusal(site(Duration.ZERO), login(forPhone))).isEqualTo(RejectionCode.CLAIM_DEVICE);
    }

    @Test
    void aClaimIsBoundedBeforeAnyEvidenceIsChecked() throws Exception {
        // the issuing side refuses to sign such claims, so they are signed here byte by byte
        MembershipClaim.Builder nine = MembershipClaim.newBuilder().setSpaceKey(ByteString.copyFrom(space.toBytes()))
                .setRole(SpaceRole.SPACE_ROLE_READER).setDevice(ByteString.copyFrom(alice.key().toBytes()));
        nodeEvidence().forEach(c -> nine.addEvidence(c.toByteString()));
        while (nine.getEvidenceCount() < 9) {
            nine.addEvidence(nodeGrant.toByteString());
        }
        assertThat(refusedAtLogin(raw(nine.build()))).isEqualTo(RejectionCode.LIMIT_LIST);
        MembershipClaim big = nine.clearEvidence().addEvidence(genesis.toByteString())
                .addEvidence(ByteString.copyFrom(new byte[5000])).build();
        assertThat(refusedAtLogin(raw(big))).isEqualTo(RejectionCode.LIMIT_MESSAGE_SIZE);
        // a membership claim written into the space is refused there, never applied
        write(ownerFeed, claim(owner, SpaceRole.SPACE_ROLE_READER, List.of(genesis, ownerGrant)));
        assertThat(state().refused()).anySatisfy(r -> assertThat(r.toString()).contains("never written to a space"));
    }
}
