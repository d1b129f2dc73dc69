package org.halo4j.shell;

import java.time.Duration;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.halo4j.invitations.HostedInvitation;
import org.halo4j.invitations.InvitationText;
import org.halo4j.node.agent.AgentException;
import org.halo4j.node.service.InvitationService;
/** {@code halo:space-invite}: invites someone into a space: prints the invitation and its code, to hand over by two separate channels. */
@Command(scope = "halo", name = "space-invite", description = "Invites someone into a space: prints the invitation and its code, to hand over by two separate channels.")
@Service
public final class SpaceInvite implements Action {

    @Reference
    InvitationService invitations;

    @Argument(index = 0, name = "space", description = "the space, by name or id", required = true)
    @Completion(SpaceCompleter.class)
    String space;

    @Option(name = "--role", description = "the role the guest gets (default READER)")
    @Completion(RoleCompleter.class)
    String role = "READER";

    @Option(name = "--multi-use", description = "let several guests join with it until it expires")
    boolean multiUse;

    @Option(name = "--lifetime", description = "minutes it stays open (default: the configured lifetime)")
    int lifetime;

    @Override
    public Object execute() throws Exception {
        try {
            if (lifetime < 0) {
                throw new Shell.CommandException("input.lifetime", "--lifetime is a number of minutes, at least 1");
            }
            HostedInvitation h = invitations.create(space, Shell.role(role), multiUse,
                    lifetime == 0 ? null : Duration.ofMinutes(lifetime));
            System.out.println("Invitation " + h.id() + " to " + h.invitation().getSpaceName() + " as " + Shell.role(h.role())
                    + ", open until " + h.expiresAt());
            System.out.println("invitation: " + InvitationText.encode(h.invitation()));
            System.out.println("code:       " + h.code());
            System.out.println("The guest runs: halo space join '<invitation>' --code <code>");
            return null;
        } catch (AgentException e) {
            throw Shell.fail(e);
        }
    }
}
