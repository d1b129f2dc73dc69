package org.halo4j.shell;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.halo4j.invitations.HostedInvitation;
import org.halo4j.node.agent.AgentException;
import org.halo4j.node.service.InvitationService;
/** {@code halo:invitation-cancel}: cancels an open invitation. */
@Command(scope = "halo", name = "invitation-cancel", description = "Cancels an open invitation.")
@Service
public final class InvitationCancel implements Action {

    @Reference
    InvitationService invitations;

    @Argument(index = 0, name = "id", description = "the invitation's id, or a unique prefix of it", required = true)
    @Completion(InvitationCompleter.class)
    String id;

    @Override
    public Object execute() throws Exception {
        try {
            HostedInvitation h = invitations.cancel(id);
            System.out.println("Cancelled invitation " + h.id());
            return null;
        } catch (AgentException e) {
            throw Shell.fail(e);
        }
    }
}
