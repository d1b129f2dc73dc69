package org.halo4j.shell;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.halo4j.node.agent.AgentException;
import org.halo4j.node.service.SpaceMembershipService;
/** {@code halo:space-set-role}: gives a member a role in a space (adding it if new). */
@Command(scope = "halo", name = "space-set-role", description = "Gives a member a role in a space (adding it if new).")
@Service
public final class SpaceSetRole implements Action {

    @Reference
    SpaceMembershipService membership;

    @Argument(index = 0, name = "space", description = "the space, by name or id", required = true)
    @Completion(SpaceCompleter.class)
    String space;

    @Argument(index = 1, name = "member", description = "the member's DID (or identity key in hex)", required = true)
    @Completion(MemberCompleter.class)
    String member;

    @Argument(index = 2, name = "role", description = "READER, EDITOR, ADMIN or OWNER", required = true)
    @Completion(RoleCompleter.class)
    String role;

    @Override
    public Object execute() throws Exception {
        try {
            membership.setRole(space, Shell.key(member, "the member"), Shell.role(role));
            System.out.println(member + " is " + Shell.role(Shell.role(role)) + " in " + space);
            return null;
        } catch (AgentException e) {
            throw Shell.fail(e);
        }
    }
}
