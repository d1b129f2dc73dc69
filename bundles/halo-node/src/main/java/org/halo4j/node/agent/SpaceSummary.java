package org.halo4j.node.agent;

import java.util.Optional;
import org.halo4j.keys.PublicKey;
import org.halo4j.proto.v1.SpaceRole;

/**
 * A space the identity belongs to.
 *
 * @param spaceId  lowercase hex of the space key
 * @param spaceKey the space key
 * @param name     the name given at creation
 * @param myRole   the identity's role, if the space's state gives it one
 * @param members  number of members with a role other than REMOVED
 */
public record SpaceSummary(String spaceId, PublicKey spaceKey, String name, Optional<SpaceRole> myRole, int members) {
}
