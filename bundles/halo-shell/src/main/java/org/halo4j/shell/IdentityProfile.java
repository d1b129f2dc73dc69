package org.halo4j.shell;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.halo4j.node.agent.AgentException;
import org.halo4j.node.service.IdentityService;
/** {@code halo:identity-profile}: sets the display name others see in spaces. */
@Command(scope = "halo", name = "identity-profile", description = "Sets the display name others see in spaces.")
@Service
public final class IdentityProfile implements Action {

    @Reference
    IdentityService identity;

    @Argument(index = 0, name = "name", description = "the display name", required = true)
    String name;

    @Override
    public Object execute() throws Exception {
        try {
            identity.setProfile(name, identity.state().properties());
            System.out.println("Profile name set to " + name);
            return null;
        } catch (AgentException e) {
            throw Shell.fail(e);
        }
    }
}
