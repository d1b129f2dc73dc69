package org.halo4j.shell;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.halo4j.identity.DeviceInfo;
import org.halo4j.identity.IdentityState;
import org.halo4j.node.agent.AgentException;
import org.halo4j.node.service.IdentityService;
import org.halo4j.node.service.NodeRuntime;
/** {@code halo:identity-show}: shows the identity this container acts for: DID, name, devices, backup. */
@Command(scope = "halo", name = "identity-show", description = "Shows the identity this container acts for: DID, name, devices, backup.")
@Service
public final class IdentityShow implements Action {

    @Reference
    IdentityService identity;

    @Reference
    NodeRuntime runtime;

    @Override
    public Object execute() throws Exception {
        try {
            IdentityState st = identity.state();
            System.out.println("Identity: " + identity.did());
            System.out.println("Name:     " + st.displayName().orElse("(none)"));
            System.out.println("Data:     " + runtime.home());
            System.out.println("Backup:   " + (identity.backupConfirmed() ? "confirmed"
                    : "NOT CONFIRMED: write the phrase down (halo:identity-phrase), then halo:identity-confirm"));
            System.out.println("Devices:");
            for (DeviceInfo d : st.devices()) {
                System.out.println("  " + d.key().toHex() + "  " + d.name().orElse("-")
                        + (d.revoked() ? "  (revoked)" : "") + (d.key().equals(runtime.call(a -> a.device())) ? "  (this container)" : ""));
            }
            return null;
        } catch (AgentException e) {
            throw Shell.fail(e);
        }
    }
}
