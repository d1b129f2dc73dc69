package org.halo4j.shell;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.halo4j.node.agent.AgentException;
import org.halo4j.node.service.SpaceMembershipService;
/** {@code halo:space-remove}: removes a member from a space. */
@Command(scope = "halo", name = "space-remove", description = "Removes a member from a space.")
@Service
public final class SpaceRemove implements Action {

    @Reference
    SpaceMembershipService membership;

    @Argument(index = 0, name = "space", description = "the space, by name or id", required = true)
    @Completion(SpaceCompleter.class)
    String space;

    @Argument(index = 1, name = "member", description = "the member's DID (or identity key in hex)", required = true)
    @Completion(MemberCompleter.class)
    String member;

    @Override
    public Object execute() throws Exception {
        try {
            membership.remove(space, Shell.key(member, "the member"));
            System.out.println("Removed " + member + " from " + space);
            return null;
        } catch (AgentException e) {
            throw Shell.fail(e);
        }
    }
}
