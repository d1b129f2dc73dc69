package org.halo4j.shell;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.halo4j.identity.DeviceInfo;
import org.halo4j.node.agent.AgentException;
import org.halo4j.node.service.IdentityService;
/** {@code halo:device-list}: lists the identity's devices. */
@Command(scope = "halo", name = "device-list", description = "Lists the identity's devices.")
@Service
public final class DeviceList implements Action {

    @Reference
    IdentityService identity;

    @Override
    public Object execute() throws Exception {
        try {
            for (DeviceInfo d : identity.state().devices()) {
                System.out.println(d.key().toHex() + "  " + d.scope().name().toLowerCase(java.util.Locale.ROOT) + "  "
                        + d.name().orElse("-") + (d.revoked() ? "  (revoked)" : ""));
            }
            return null;
        } catch (AgentException e) {
            throw Shell.fail(e);
        }
    }
}
