package org.halo4j.credentials;

import org.halo4j.keys.PublicKey;

/**
 * Tells a verifier whether a device of an identity has been revoked. The state layer (the replayed HALO and
 * spaces) implements it; a relying party that shares no space with a person cannot learn a revocation.
 */
@FunctionalInterface
public interface DeviceStatus {

    /** Knows no revocation. */
    DeviceStatus NONE_REVOKED = (identity, device) -> false;

    /** True if {@code identity} has revoked {@code device}. Must be fast and thread-safe. */
    boolean isRevoked(PublicKey identity, PublicKey device);
}
