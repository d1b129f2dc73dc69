package org.halo4j.node.osgi;

import java.time.Instant;
import java.util.Objects;
import org.halo4j.credentials.CredentialId;
import org.halo4j.credentials.DeviceStatus;
import org.halo4j.keys.PublicKey;
import org.halo4j.node.agent.AgentException;
import org.halo4j.node.service.NodeRuntime;

/**
 * The device revocations a node knows as they are at each question: replayed again only when the feeds have
 * grown since the last question. When the node cannot answer (stopped, storage failing) every device counts as
 * revoked: a verifier built on this fails closed.
 */
public final class LiveDeviceStatus implements DeviceStatus {

    private static final System.Logger LOG = System.getLogger("org.halo4j.verifier");

    private final NodeRuntime runtime;
    private long version = -1;
    private DeviceStatus current;

    public LiveDeviceStatus(NodeRuntime runtime) {
        this.runtime = Objects.requireNonNull(runtime);
    }

    /** The status now, or empty when the node cannot say. */
    private synchronized DeviceStatus now() {
        try {
            return runtime.call(a -> {
                long v = a.stateVersion();
                if (current == null || v != version) {
                    current = a.deviceStatus();
                    version = v;
                }
                return current;
            });
        } catch (AgentException e) {
            LOG.log(System.Logger.Level.WARNING, "device revocations unknown, refusing every device: " + e.getMessage());
            return null;
        }
    }

    @Override
    public boolean isRevoked(PublicKey identity, PublicKey device) {
        DeviceStatus s = now();
        return s == null || s.isRevoked(identity, device);
    }

    @Override
    public boolean keepsAuthorization(PublicKey identity, PublicKey issuingDevice, CredentialId authorization) {
        DeviceStatus s = now();
        return s != null && s.keepsAuthorization(identity, issuingDevice, authorization);
    }

    @Override
    public boolean revokedByRecovery(PublicKey identity, PublicKey rootDevice, Instant authorizedAt) {
        DeviceStatus s = now();
        return s == null || s.revokedByRecovery(identity, rootDevice, authorizedAt);
    }
}
