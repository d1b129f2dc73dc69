package org.halo4j.shell;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.halo4j.node.agent.AgentException;
import org.halo4j.node.agent.SpaceSummary;
import org.halo4j.node.service.SpaceMembershipService;
/** {@code halo:space-create}: creates a space this container's identity owns. */
@Command(scope = "halo", name = "space-create", description = "Creates a space this container's identity owns.")
@Service
public final class SpaceCreate implements Action {

    @Reference
    SpaceMembershipService membership;

    @Argument(index = 0, name = "name", description = "the space's name here", required = true)
    String name;

    @Override
    public Object execute() throws Exception {
        try {
            SpaceSummary s = membership.createSpace(name);
            System.out.println("Created space " + s.name() + " " + s.spaceId());
            return null;
        } catch (AgentException e) {
            throw Shell.fail(e);
        }
    }
}
