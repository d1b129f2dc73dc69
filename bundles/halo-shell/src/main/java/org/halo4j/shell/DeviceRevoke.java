package org.halo4j.shell;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.halo4j.node.agent.AgentException;
import org.halo4j.node.service.IdentityService;
/** {@code halo:device-revoke}: revokes one of the identity's devices: from now on nothing it signs is accepted. */
@Command(scope = "halo", name = "device-revoke", description = "Revokes one of the identity's devices: from now on nothing it signs is accepted.")
@Service
public final class DeviceRevoke implements Action {

    @Reference
    IdentityService identity;

    @Argument(index = 0, name = "device", description = "the device's key (hex or did:key)", required = true)
    @Completion(DeviceCompleter.class)
    String device;

    @Override
    public Object execute() throws Exception {
        try {
            identity.revokeDevice(Shell.key(device, "the device"));
            System.out.println("Revoked device " + device);
            return null;
        } catch (AgentException e) {
            throw Shell.fail(e);
        }
    }
}
