package org.halo4j.credentials;

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

    AuthorizedSigner(PublicKey identity, PublicKey signer, Optional<DeviceScope> scope, List<PublicKey> devicePath,
                     List<CredentialId> links) {
        this.identity = Objects.requireNonNull(identity);
        this.signer = Objects.requireNonNull(signer);
        this.scope = Objects.requireNonNull(scope);
        this.devicePath = List.copyOf(devicePath);
        this.links = List.copyOf(links);
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
