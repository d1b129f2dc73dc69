package org.halo4j.shell;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.halo4j.node.agent.AgentException;
import org.halo4j.node.service.SpaceMembershipService;
import org.halo4j.spaces.Refusal;
/** {@code halo:space-audit}: shows what the replay of a space refused, and why. */
@Command(scope = "halo", name = "space-audit", description = "Shows what the replay of a space refused, and why.")
@Service
public final class SpaceAudit implements Action {

    @Reference
    SpaceMembershipService membership;

    @Argument(index = 0, name = "space", description = "the space, by name or id", required = true)
    @Completion(SpaceCompleter.class)
    String space;

    @Override
    public Object execute() throws Exception {
        try {
            var refused = membership.audit(space);
            if (refused.isEmpty()) {
                System.out.println("Nothing refused in " + space);
            }
            for (Refusal r : refused) {
                System.out.println(r.feed().shortId() + "#" + r.seq() + "  " + r.reason() + "  " + r.detail());
            }
            return null;
        } catch (AgentException e) {
            throw Shell.fail(e);
        }
    }
}
