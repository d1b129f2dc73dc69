package org.halo4j.node.agent;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.halo4j.claims.ClaimRejectedException;
import org.halo4j.claims.MembershipClaims;
import org.halo4j.credentials.CredentialId;
import org.halo4j.credentials.CredentialVerifier;
import org.halo4j.credentials.Credentials;
import org.halo4j.credentials.VerifiedCredential;
import org.halo4j.errors.HaloRejectedException;
import org.halo4j.keys.PublicKey;
import org.halo4j.proto.v1.Credential;
import org.halo4j.proto.v1.SpaceRole;
import org.halo4j.spaces.Member;
import org.halo4j.spaces.Roles;
import org.halo4j.spaces.SpaceEntry;
import org.halo4j.spaces.SpaceState;

/**
 * The evidence a membership claim carries (decision 0008): the space's genesis, then the grants that made its
 * issuer what it is — the credential that set the issuer's role, the one that set the role of that credential's
 * issuer, and so on up to the space key — each a copy whose proof verifies, checked by the same rule the relying
 * party applies ({@link MembershipClaims#issuerRank}).
 */
final class ClaimEvidence {

    /** Genesis plus grants; {@code MembershipClaim.evidence} holds at most 8. */
    static final int MAX = 8;

    private ClaimEvidence() {
    }

    static List<Credential> of(SpaceState state, PublicKey issuer, List<SpaceEntry> entries, CredentialVerifier verifier)
            throws AgentException {
        // Every copy of each credential: an id covers the body only, so a member can plant a copy with a junk
        // proof; evidence takes a copy whose proof verifies.
        Map<CredentialId, List<Credential>> copies = new HashMap<>();
        for (SpaceEntry e : entries) {
            try {
                Credential c = Credentials.decode(e.payload());
                copies.computeIfAbsent(Credentials.id(c), k -> new ArrayList<>(1)).add(c);
            } catch (HaloRejectedException notACredential) {
                // refused by the replay; never evidence
            }
        }
        CredentialId genesisId = state.genesis().orElseThrow(() -> failed("the space has no genesis here yet"));
        List<VerifiedCredential> path = new ArrayList<>();
        Set<PublicKey> seen = new HashSet<>();
        PublicKey current = issuer;
        while (!current.equals(state.spaceKey())) {
            if (!seen.add(current) || path.size() >= MAX - 1) {
                throw failed("the grants leading to " + issuer.shortId() + " do not reach the space key within "
                        + (MAX - 1) + " steps");
            }
            Member m = state.members().get(current);
            VerifiedCredential grant = m == null ? null : verifiedCopy(copies, m.setBy(), verifier);
            if (grant == null) {
                throw failed("the credential that set the role of " + current.shortId() + " is not kept here");
            }
            path.add(grant);
            current = grant.issuer();
        }
        VerifiedCredential genesis = verifiedCopy(copies, genesisId, verifier);
        if (genesis == null) {
            throw failed("the genesis is not in the feeds kept here");
        }
        path.add(genesis);
        Collections.reverse(path);
        try {
            if (MembershipClaims.issuerRank(state.spaceKey(), issuer, path) < Roles.rank(SpaceRole.SPACE_ROLE_ADMIN)) {
                throw failed("the grants do not show " + issuer.shortId() + " as OWNER or ADMIN");
            }
        } catch (ClaimRejectedException e) {
            throw failed("a role on the way to " + issuer.shortId() + " changed since it made its grant: "
                    + e.getMessage());
        }
        return path.stream().map(VerifiedCredential::credential).toList();
    }

    private static VerifiedCredential verifiedCopy(Map<CredentialId, List<Credential>> copies, CredentialId id,
                                                   CredentialVerifier verifier) {
        for (Credential c : copies.getOrDefault(id, List.of())) {
            try {
                return verifier.verifyForReplay(c.toByteString());
            } catch (HaloRejectedException junk) {
                // another copy, perhaps
            }
        }
        return null;
    }

    private static AgentException failed(String why) {
        return new AgentException("claim.evidence", why);
    }
}
