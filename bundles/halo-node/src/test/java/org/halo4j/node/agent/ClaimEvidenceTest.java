package org.halo4j.node.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.halo4j.claims.MembershipClaims;
import org.halo4j.credentials.CredentialVerifier;
import org.halo4j.credentials.DeviceAuthorizations;
import org.halo4j.credentials.Signer;
import org.halo4j.credentials.VerifiedCredential;
import org.halo4j.keys.InMemoryKeyring;
import org.halo4j.keys.PublicKey;
import org.halo4j.proto.v1.Credential;
import org.halo4j.proto.v1.DeviceScope;
import org.halo4j.proto.v1.SpaceRole;
import org.halo4j.spaces.Roles;
import org.halo4j.spaces.SpaceEntry;
import org.halo4j.spaces.SpaceReplay;
import org.halo4j.spaces.SpaceState;
import org.halo4j.spaces.Spaces;
import org.junit.jupiter.api.Test;

/**
 * The evidence a node puts in its claims, against a member who plants copies of the grants with junk proofs
 * ahead of the real ones (a credential id covers the body only), and against a role changed since its grant.
 */
class ClaimEvidenceTest {

    private final Clock clock = Clock.fixed(Instant.parse("2026-11-22T10:00:00Z"), ZoneOffset.UTC);
    private final InMemoryKeyring keyring = new InMemoryKeyring();
    private final CredentialVerifier verifier = CredentialVerifier.builder().ignoreRevocation().build();

    private Signer device(PublicKey identity) throws Exception {
        PublicKey device = keyring.generate();
        Credential auth = DeviceAuthorizations.authorize(Signer.of(keyring, identity, clock), device,
                DeviceScope.DEVICE_SCOPE_ADMIN, DeviceAuthorizations.consent(keyring, device, identity), Optional.empty());
        return Signer.device(keyring, device, auth, clock);
    }

    private static Credential junk(Credential real) {
        return real.toBuilder().setProof(real.getProof().toBuilder().setSignature(ByteString.copyFrom(new byte[64])))
                .build();
    }

    @Test
    void plantedCopiesWithJunkProofsNeverBecomeEvidence() throws Exception {
        Signer owner = device(keyring.generate());
        Signer node = device(keyring.generate());
        PublicKey ownerFeed = keyring.generate();
        PublicKey attackerFeed = keyring.generate();
        Spaces.Created created = Spaces.create(keyring, "club", owner.issuer(), owner.key(), ownerFeed, clock);
        List<SpaceEntry> entries = new ArrayList<>();
        long seq = 0;
        for (Credential c : created.credentials()) {
            entries.add(SpaceEntry.of(ownerFeed, seq++, c));
        }
        SpaceState before = SpaceReplay.replay(created.spaceKey(), entries, verifier);
        Credential grant = Spaces.setRole(before, owner, node.issuer(), SpaceRole.SPACE_ROLE_ADMIN, Map.of());
        entries.add(SpaceEntry.of(ownerFeed, seq, grant));
        // the attacker's feed comes first, with a junk copy of every credential on the way
        List<SpaceEntry> planted = new ArrayList<>();
        long at = 0;
        for (SpaceEntry e : entries) {
            planted.add(SpaceEntry.of(attackerFeed, at++, junk(Credential.parseFrom(e.payload()))));
        }
        planted.addAll(entries);
        SpaceState state = SpaceReplay.replay(created.spaceKey(), planted, verifier);
        assertThat(state.roleOf(node.issuer())).contains(SpaceRole.SPACE_ROLE_ADMIN);

        List<Credential> evidence = ClaimEvidence.of(state, node.issuer(), planted, verifier);

        List<VerifiedCredential> verified = new ArrayList<>();
        for (Credential c : evidence) {
            verified.add(verifier.verifyForReplay(c.toByteString())); // throws on a junk copy
        }
        assertThat(MembershipClaims.issuerRank(created.spaceKey(), node.issuer(), verified))
                .isEqualTo(Roles.rank(SpaceRole.SPACE_ROLE_ADMIN));
        assertThat(evidence).hasSize(3).last().isEqualTo(grant);

        // the node, demoted since, has no evidence to show and says so
        Credential demoted = Spaces.setRole(state, owner, node.issuer(), SpaceRole.SPACE_ROLE_READER, Map.of());
        planted.add(SpaceEntry.of(ownerFeed, seq + 1, demoted));
        SpaceState after = SpaceReplay.replay(created.spaceKey(), planted, verifier);
        assertThatThrownBy(() -> ClaimEvidence.of(after, node.issuer(), planted, verifier))
                .isInstanceOf(AgentException.class).extracting(e -> ((AgentException) e).code()).isEqualTo("claim.evidence");
    }
}
