package org.halo4j.shell;

import java.util.ArrayList;
import java.util.List;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.halo4j.identity.DeviceInfo;
import org.halo4j.invitations.HostedInvitation;
import org.halo4j.node.agent.AgentException;
import org.halo4j.node.agent.MemberSummary;
import org.halo4j.node.agent.SpaceSummary;
import org.halo4j.node.service.IdentityService;
import org.halo4j.node.service.InvitationService;
import org.halo4j.node.service.SpaceMembershipService;

/** Completes the identity's devices that are not revoked, by key. */
@Service
public final class DeviceCompleter implements Completer {
    @Reference
    IdentityService identity;

    @Override
    public int complete(Session session, CommandLine line, List<String> candidates) {
        List<String> values = new ArrayList<>();
        try {
            for (DeviceInfo d : identity.state().devices()) {
                if (!d.revoked()) {
                    values.add(d.key().toHex());
                }
            }
        } catch (AgentException e) {
            return -1;
        }
        return new StringsCompleter(values).complete(session, line, candidates);
    }
}
