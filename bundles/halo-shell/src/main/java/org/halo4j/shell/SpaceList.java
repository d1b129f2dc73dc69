package org.halo4j.shell;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.halo4j.node.agent.AgentException;
import org.halo4j.node.agent.SpaceSummary;
import org.halo4j.node.service.SpaceMembershipService;
/** {@code halo:space-list}: lists the spaces this container keeps, with its role and the member count. */
@Command(scope = "halo", name = "space-list", description = "Lists the spaces this container keeps, with its role and the member count.")
@Service
public final class SpaceList implements Action {

    @Reference
    SpaceMembershipService membership;

    @Override
    public Object execute() throws Exception {
        try {
            for (SpaceSummary s : membership.spaces()) {
                System.out.println(s.spaceId() + "  " + s.name() + "  " + s.myRole().map(Shell::role).orElse("not a member")
                        + "  " + s.members() + " member" + (s.members() == 1 ? "" : "s"));
            }
            return null;
        } catch (AgentException e) {
            throw Shell.fail(e);
        }
    }
}
