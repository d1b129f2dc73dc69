package org.halo4j.node.agent;

import java.util.Optional;
import org.halo4j.keys.PublicKey;
import org.halo4j.proto.v1.SpaceRole;

/** A member of a space: identity, role, and the name the identity's contacts give it. */
public record MemberSummary(PublicKey identity, SpaceRole role, Optional<String> name) {

    /** The member's did:key. */
    public String did() {
        return identity.toDidKey();
    }
}
