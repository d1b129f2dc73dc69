package org.halo4j.shell;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.halo4j.invitations.HostedInvitation;
import org.halo4j.node.agent.AgentException;
import org.halo4j.node.service.InvitationService;
/** {@code halo:invitation-list}: lists the invitations this container hosts, with their state. */
@Command(scope = "halo", name = "invitation-list", description = "Lists the invitations this container hosts, with their state.")
@Service
public final class InvitationList implements Action {

    @Reference
    InvitationService invitations;

    @Override
    public Object execute() throws Exception {
        try {
            for (HostedInvitation h : invitations.list()) {
                System.out.println(h.id() + "  " + h.state().name().toLowerCase(java.util.Locale.ROOT) + "  "
                        + h.invitation().getSpaceName() + "  " + Shell.role(h.role()) + "  until " + h.expiresAt());
            }
            return null;
        } catch (AgentException e) {
            throw Shell.fail(e);
        }
    }
}
