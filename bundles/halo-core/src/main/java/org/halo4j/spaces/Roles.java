package org.halo4j.spaces;

import java.util.List;
import org.halo4j.proto.v1.SpaceRole;

/** Ranks of space roles: OWNER > ADMIN > EDITOR > READER > REMOVED; the space key outranks every role. */
public final class Roles {

    /** Rank of the space key itself: above every role. */
    public static final int SPACE_KEY_RANK = 100;

    private Roles() {
    }

    /** OWNER 4, ADMIN 3, EDITOR 2, READER 1, REMOVED and anything else 0. */
    public static int rank(SpaceRole role) {
        return switch (role) {
            case SPACE_ROLE_OWNER -> 4;
            case SPACE_ROLE_ADMIN -> 3;
            case SPACE_ROLE_EDITOR -> 2;
            case SPACE_ROLE_READER -> 1;
            default -> 0;
        };
    }

    /**
     * The rank needed to grant {@code role} — and so to invite to it, hand an invitation to it over, or vouch for
     * it in a membership claim: OWNER or ADMIN, and at least the role itself.
     */
    public static int neededToGrant(SpaceRole role) {
        return Math.max(rank(SpaceRole.SPACE_ROLE_ADMIN), rank(role));
    }

    /** What a rank is, for messages: OWNER … READER, "the space key", or "not a member". */
    public static String describe(int rank) {
        if (rank == SPACE_KEY_RANK) {
            return "the space key";
        }
        for (SpaceRole r : List.of(SpaceRole.SPACE_ROLE_OWNER, SpaceRole.SPACE_ROLE_ADMIN, SpaceRole.SPACE_ROLE_EDITOR,
                SpaceRole.SPACE_ROLE_READER)) {
            if (rank(r) == rank) {
                return name(r);
            }
        }
        return "not a member";
    }

    /** The role's short name: OWNER, ADMIN, EDITOR, READER, REMOVED. */
    public static String name(SpaceRole role) {
        return role.name().startsWith("SPACE_ROLE_") ? role.name().substring("SPACE_ROLE_".length()) : role.name();
    }

    /**
     * Parses OWNER, ADMIN, EDITOR, READER or REMOVED (any case).
     *
     * @throws IllegalArgumentException for any other text
     */
    public static SpaceRole parse(String text) {
        for (SpaceRole r : SpaceRole.values()) {
            if (r != SpaceRole.UNRECOGNIZED && r != SpaceRole.SPACE_ROLE_UNSPECIFIED && name(r).equalsIgnoreCase(text.trim())) {
                return r;
            }
        }
        throw new IllegalArgumentException("a role is OWNER, ADMIN, EDITOR, READER or REMOVED, found '" + text + "'");
    }
}
