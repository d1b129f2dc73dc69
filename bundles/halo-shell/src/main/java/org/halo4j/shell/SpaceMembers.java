package org.halo4j.shell;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.halo4j.node.agent.AgentException;
import org.halo4j.node.agent.MemberSummary;
import org.halo4j.node.service.SpaceMembershipService;
/** {@code halo:space-members}: lists the members of a space, highest role first. */
@Command(scope = "halo", name = "space-members", description = "Lists the members of a space, highest role first.")
@Service
public final class SpaceMembers implements Action {

    @Reference
    SpaceMembershipService membership;

    @Argument(index = 0, name = "space", description = "the space, by name or id", required = true)
    @Completion(SpaceCompleter.class)
    String space;

    @Override
    public Object execute() throws Exception {
        try {
            for (MemberSummary m : membership.members(space)) {
                System.out.println(Shell.role(m.role()) + "  " + m.did() + m.name().map(n -> "  " + n).orElse(""));
            }
            return null;
        } catch (AgentException e) {
            throw Shell.fail(e);
        }
    }
}
