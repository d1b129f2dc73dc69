package org.halo4j.spaces;

import org.halo4j.credentials.CredentialId;
import org.halo4j.keys.PublicKey;
import org.halo4j.proto.v1.SpaceRole;

/**
 * A member of a space and the credential that set its current role.
 *
 * @param identity   the member's identity key
 * @param role       its role; REMOVED for a member that was removed or left
 * @param setBy      the SpaceMember credential that set the role
 * @param issuerRank rank of that credential's issuer when it was applied (for concurrent changes)
 */
public record Member(PublicKey identity, SpaceRole role, CredentialId setBy, int issuerRank) {

    /** True unless the member was removed or left. */
    public boolean isActive() {
        return role != SpaceRole.SPACE_ROLE_REMOVED;
    }
}
