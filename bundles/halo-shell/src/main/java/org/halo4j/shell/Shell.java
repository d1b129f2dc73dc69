package org.halo4j.shell;

import org.halo4j.keys.KeyFormatException;
import org.halo4j.keys.PublicKey;
import org.halo4j.node.agent.AgentException;
import org.halo4j.proto.v1.SpaceRole;
import org.halo4j.spaces.Roles;

/** What the commands share: turning their input into keys and roles, and halo4j errors into shell errors. */
final class Shell {

    private Shell() {
    }

    /** A command's failure: the shell prints "Error executing command: CODE: message". */
    static final class CommandException extends Exception {
        private static final long serialVersionUID = 1L;

        CommandException(String code, String message) {
            super(code + ": " + message, null, false, false);
        }
    }

    static CommandException fail(AgentException e) {
        return new CommandException(e.code(), e.getMessage());
    }

    /** A key given as did:key or as 64 hex digits. */
    static PublicKey key(String text, String what) throws CommandException {
        try {
            return PublicKey.parse(text.strip());
        } catch (KeyFormatException | RuntimeException e) {
            throw new CommandException("input.key", what + " must be a did:key or 64 hex digits, not '" + text + "'");
        }
    }

    /** READER, EDITOR, ADMIN or OWNER, in any case (a member is removed with halo:space-remove). */
    static SpaceRole role(String text) throws CommandException {
        try {
            SpaceRole r = Roles.parse(text);
            if (r != SpaceRole.SPACE_ROLE_REMOVED) {
                return r;
            }
        } catch (IllegalArgumentException e) {
            // the message below
        }
        throw new CommandException("input.role", "a role is READER, EDITOR, ADMIN or OWNER, not '" + text + "'");
    }

    static String role(SpaceRole role) {
        return Roles.name(role);
    }
}
