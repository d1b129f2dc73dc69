package org.halo4j.credentials;

import org.halo4j.keys.PublicKey;

/**
 * Tells a verifier which devices of an identity are revoked. The state layer implements it (a replayed
 * {@code SpaceState}, which applies the same rule as replay); a relying party that shares no space with a
 * person cannot learn a revocation ({@code SECURITY.md}).
 *
 * <p>A revocation ends what the device does from then on; what it did before stays (DESIGN §4 rule 4). So a
 * verifier asks two things: is the signing device revoked ({@link #isRevoked}), and does each authorization
 * on its chain that a revoked device issued still stand ({@link #keepsAuthorization}) — it does when the
 * revocation recorded it as issued before.
 */
public interface DeviceStatus {

    /** True if {@code identity} has revoked {@code device}. Must be fast and thread-safe. */
    boolean isRevoked(PublicKey identity, PublicKey device);

    /**
     * True if the AuthorizedDevice credential {@code authorization}, issued by {@code issuingDevice} of
     * {@code identity}, still stands: the device is not revoked, or its revocation kept this authorization as
     * made before it. The default knows no kept authorizations.
     */
    default boolean keepsAuthorization(PublicKey identity, PublicKey issuingDevice, CredentialId authorization) {
        return !isRevoked(identity, issuingDevice);
    }

    /**
     * True if a recovery of {@code identity} revoked every device but some ({@code AllDevicesRevoked}, decision
     * 0005), and {@code rootDevice} — which the identity key authorized directly at {@code authorizedAt}, and
     * through which a chain runs — was authorized before that recovery and is not one it kept. The default
     * knows no such recovery.
     */
    default boolean revokedByRecovery(PublicKey identity, PublicKey rootDevice, java.time.Instant authorizedAt) {
        return false;
    }
}
