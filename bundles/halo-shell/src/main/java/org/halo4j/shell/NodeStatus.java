package org.halo4j.shell;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.halo4j.node.agent.AgentException;
import org.halo4j.node.service.NodeRuntime;
import org.halo4j.node.service.SpaceMembershipService;
/** {@code halo:node-status}: shows the node runtime: identity, peer address, data directory, spaces. */
@Command(scope = "halo", name = "node-status", description = "Shows the node runtime: identity, peer address, data directory, spaces.")
@Service
public final class NodeStatus implements Action {

    @Reference
    NodeRuntime runtime;

    @Reference
    SpaceMembershipService membership;

    @Override
    public Object execute() throws Exception {
        try {
            System.out.println("Identity: " + runtime.did());
            System.out.println("Peers:    " + runtime.address().map(Object::toString).orElse("not listening (listen.port = -1)"));
            System.out.println("Data:     " + runtime.home());
            System.out.println("Spaces:   " + membership.spaces().size());
            System.out.println("Version:  " + membership.version());
            return null;
        } catch (AgentException e) {
            throw Shell.fail(e);
        }
    }
}
