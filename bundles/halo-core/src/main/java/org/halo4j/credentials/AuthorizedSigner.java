package org.halo4j.credentials;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.halo4j.keys.PublicKey;
import org.halo4j.proto.v1.DeviceScope;

/**
 * Who made a verified signature, and for whom. Only {@link CredentialVerifier} makes one (no public
 * constructor).
 */
public final class AuthorizedSigner {

    private final PublicKey identity;
    private final PublicKey signer;
    private final Optional<DeviceScope> scope;
    private final List<PublicKey> devicePath;
    private final List<CredentialId> links;
    private final Optional<Instant> rootAuthorizedAt;

    AuthorizedSigner(PublicKey identity, PublicKey signer, Optional<DeviceScope> scope, List<PublicKey> devicePath,
                     List<CredentialId> links, Optional<Instant> rootAuthorizedAt) {
        this.identity = Objects.requireNonNull(identity);
        this.signer = Objects.requireNonNull(signer);
        this.scope = Objects.requireNonNull(scope);
        this.devicePath = List.copyOf(devicePath);
        this.links = List.copyOf(links);
        this.rootAuthorizedAt = Objects.requireNonNull(rootAuthorizedAt);
    }

    /** The key whose authority the signature carries (the issuer). */
    public PublicKey identity() {
        return identity;
    }

    /** The key that made the signature: the identity itself or one of its devices. */
    public PublicKey signer() {
        return signer;
    }

    /** The signer's device scope; empty when the identity signed itself (full authority). */
    public Optional<DeviceScope> scope() {
        return scope;
    }

    /** The devices between signer and identity, signer first; empty when the identity signed. */
    public List<PublicKey> devicePath() {
        return devicePath;
    }

    /**
     * Ids of the AuthorizedDevice credentials of the chain, in the order of {@link #devicePath()}:
     * {@code links().get(i)} authorizes {@code devicePath().get(i)}.
     */
    public List<CredentialId> links() {
        return links;
    }

    /**
     * When the identity authorized the last device of {@link #devicePath()} (the chain's root link, issued by the
     * identity key itself); empty when the identity signed.
     */
    public Optional<Instant> rootAuthorizedAt() {
        return rootAuthorizedAt;
    }

    /**
     * The revocation questions the verifier asked, asked again of {@code status} as it is now — for a relying
     * party that keeps a login (a session) and must end it once its device is revoked: the first device of the
     * chain that no longer stands, if any.
     */
    public Optional<PublicKey> revokedIn(DeviceStatus status) {
        return firstRevoked(identity, devicePath, links, rootAuthorizedAt, status);
    }

    /**
     * The device of a chain that does not stand by {@code status}: the signer revoked; an authorization on the
     * chain, issued by a revoked device, not kept by its revocation; or the root device authorized before a
     * recovery that revoked every other device (decision 0005). One rule for verifying and for re-checking.
     */
    static Optional<PublicKey> firstRevoked(PublicKey identity, List<PublicKey> devices, List<CredentialId> links,
                                            Optional<Instant> rootAuthorizedAt, DeviceStatus status) {
        if (devices.isEmpty()) {
            return Optional.empty(); // the identity key itself signed
        }
        if (status.isRevoked(identity, devices.get(0))) {
            return Optional.of(devices.get(0));
        }
        for (int i = 1; i < devices.size(); i++) {
            if (!status.keepsAuthorization(identity, devices.get(i), links.get(i - 1))) {
                return Optional.of(devices.get(i));
            }
        }
        PublicKey root = devices.get(devices.size() - 1);
        if (rootAuthorizedAt.isPresent() && status.revokedByRecovery(identity, root, rootAuthorizedAt.get())) {
            return Optional.of(root);
        }
        return Optional.empty();
    }

    /** True if the identity key itself signed. */
    public boolean signedByIdentity() {
        return signer.equals(identity);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AuthorizedSigner a && identity.equals(a.identity) && signer.equals(a.signer)
                && scope.equals(a.scope) && devicePath.equals(a.devicePath) && links.equals(a.links);
    }

    @Override
    public int hashCode() {
        return Objects.hash(identity, signer, links);
    }

    @Override
    public String toString() {
        return "AuthorizedSigner[" + signer.shortId() + (signedByIdentity() ? "" : " for " + identity.shortId())
                + scope.map(s -> " " + s.name().substring("DEVICE_SCOPE_".length())).orElse("") + "]";
    }
}
