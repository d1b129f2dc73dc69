package org.halo4j.node.agent;

import com.google.protobuf.InvalidProtocolBufferException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.halo4j.credentials.CredentialId;
import org.halo4j.credentials.CredentialVerifier;
import org.halo4j.credentials.Credentials;
import org.halo4j.errors.HaloRejectedException;
import org.halo4j.keys.PublicKey;
import org.halo4j.proto.v1.Credential;
import org.halo4j.proto.v1.CredentialBody;
import org.halo4j.proto.v1.SpaceMember;
import org.halo4j.proto.v1.SpaceRole;
import org.halo4j.spaces.Member;
import org.halo4j.spaces.Roles;
import org.halo4j.spaces.SpaceEntry;
import org.halo4j.spaces.SpaceState;

/**
 * The evidence a membership claim carries (decision 0008): the space's genesis, then the grants that made its
 * issuer what it is — the credential that set the issuer's role, the one that set the role of that credential's
 * issuer, and so on up to the space key — each a copy whose proof verifies, and the chain of ranks checked here
 * as the relying party will check it.
 */
final class ClaimEvidence {

    /** Genesis plus grants; {@code MembershipClaim.evidence} holds at most 8. */
    static final int MAX = 8;

    private ClaimEvidence() {
    }

    static List<Credential> of(SpaceState state, PublicKey issuer, List<SpaceEntry> entries, CredentialVerifier verifier)
            throws AgentException {
        CredentialId genesisId = state.genesis().orElseThrow(() -> failed("the space has no genesis here yet"));
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
        java.util.function.Function<CredentialId, Credential> byId = id -> {
            for (Credential c : copies.getOrDefault(id, List.of())) {
                try {
                    verifier.verifyForReplay(c.toByteString());
                    return c;
                } catch (HaloRejectedException junk) {
                    // another copy, perhaps
                }
            }
            return null;
        };
        Credential genesis = byId.apply(genesisId);
        if (genesis == null) {
            throw failed("the genesis is not in the feeds kept here");
        }
        List<Credential> grants = new ArrayList<>();
        List<Integer> grantedRanks = new ArrayList<>();
        List<PublicKey> grantors = new ArrayList<>();
        Set<PublicKey> seen = new HashSet<>();
        PublicKey current = issuer;
        while (true) {
            if (!seen.add(current) || grants.size() >= MAX - 1) {
                throw failed("the grants leading to " + issuer.shortId() + " do not reach the space key within "
                        + (MAX - 1) + " steps");
            }
            Member m = state.members().get(current);
            Credential grant = m == null ? null : byId.apply(m.setBy());
            if (grant == null) {
                throw failed("the credential that set the role of " + current.shortId() + " is not kept here");
            }
            CredentialBody body = body(grant);
            SpaceMember assertion = assertion(body);
            PublicKey by = PublicKey.of(body.getIssuer().toByteArray());
            grants.add(grant);
            grantedRanks.add(Roles.rank(assertion.getRole()));
            grantors.add(by);
            if (by.equals(state.spaceKey())) {
                break;
            }
            current = by;
        }
        Collections.reverse(grants);
        Collections.reverse(grantedRanks);
        Collections.reverse(grantors);
        // As the relying party will: each grant by the space key, or by someone an earlier grant made ADMIN or more.
        Map<PublicKey, Integer> rank = new HashMap<>();
        rank.put(state.spaceKey(), Roles.SPACE_KEY_RANK);
        for (int i = 0; i < grants.size(); i++) {
            int granted = grantedRanks.get(i);
            if (rank.getOrDefault(grantors.get(i), 0) < Math.max(Roles.rank(SpaceRole.SPACE_ROLE_ADMIN), granted)) {
                throw failed("the role of " + grantors.get(i).shortId() + " changed since it made a grant on the way "
                        + "to " + issuer.shortId() + "; the grants cannot show that " + issuer.shortId() + " may vouch");
            }
            rank.merge(PublicKey.of(body(grants.get(i)).getSubject().toByteArray()), granted, Math::max);
        }
        List<Credential> out = new ArrayList<>(grants.size() + 1);
        out.add(genesis);
        out.addAll(grants);
        return out;
    }

    private static CredentialBody body(Credential c) throws AgentException {
        try {
            return CredentialBody.parseFrom(c.getBody());
        } catch (InvalidProtocolBufferException e) {
            throw failed("a grant does not decode: " + e.getMessage());
        }
    }

    private static SpaceMember assertion(CredentialBody body) throws AgentException {
        try {
            return body.getAssertion().unpack(SpaceMember.class);
        } catch (InvalidProtocolBufferException e) {
            throw failed("a role was set by a credential that is not a SpaceMember grant");
        }
    }

    private static AgentException failed(String why) {
        return new AgentException("claim.evidence", why);
    }
}
