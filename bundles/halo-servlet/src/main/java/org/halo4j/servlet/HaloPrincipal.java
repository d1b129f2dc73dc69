package org.halo4j.servlet;

import java.io.IOException;
import java.security.Principal;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.halo4j.credentials.CredentialId;
import org.halo4j.credentials.DeviceStatus;
import org.halo4j.keys.PublicKey;
import org.halo4j.presentations.LoginResult;
import org.halo4j.proto.v1.Credential;
import org.halo4j.proto.v1.CredentialBody;
import org.halo4j.proto.v1.Presentation;

/**
 * Who a request is from: the identity that logged in (its DID is the principal of DESIGN §7), the account the
 * {@link IdentityMapper} linked it to, and the device that signed the login with its chain — kept so that the
 * chain can be checked against revocations again on every request, without verifying a signature again
 * ({@link #revokedIn(DeviceStatus)}). {@link #getName()} is the account.
 *
 * @param devicePath       the signing device first, then each device that authorized the one before, up to the one
 *                         the identity authorized (empty when the identity key itself signed)
 * @param links            the AuthorizedDevice credentials of the chain: {@code links.get(i)} authorizes
 *                         {@code devicePath.get(i)}
 * @param rootAuthorizedAt when the identity authorized the root device of the chain (for a recovery that revoked
 *                         every device authorized before it)
 */
public record HaloPrincipal(String did, PublicKey identity, String account, PublicKey device, List<PublicKey> devicePath,
                            List<CredentialId> links, Optional<Instant> rootAuthorizedAt, Instant expiresAt)
        implements Principal {

    public HaloPrincipal {
        Objects.requireNonNull(did);
        Objects.requireNonNull(identity);
        Objects.requireNonNull(account);
        Objects.requireNonNull(device);
        devicePath = List.copyOf(devicePath);
        links = List.copyOf(links);
        Objects.requireNonNull(rootAuthorizedAt);
        Objects.requireNonNull(expiresAt);
    }

    /** The principal of a verified login; {@code presentation} is the one that {@code login} verified. */
    public static HaloPrincipal of(LoginResult login, byte[] presentation, String account, Instant expiresAt) {
        return new HaloPrincipal(login.did(), login.identity(), account, login.device(), login.signedBy().devicePath(),
                login.signedBy().links(), rootAuthorizedAt(presentation), expiresAt);
    }

    @Override
    public String getName() {
        return account;
    }

    /**
     * True if, by {@code status} as it is now, the device that logged in is revoked, or an authorization on its
     * chain no longer stands, or a recovery revoked the chain's root: the questions the verifier asked at login,
     * asked again.
     */
    public boolean revokedIn(DeviceStatus status) {
        if (devicePath.isEmpty()) {
            return false; // the identity key itself signed
        }
        if (status.isRevoked(identity, devicePath.get(0))) {
            return true;
        }
        for (int i = 1; i < devicePath.size(); i++) {
            if (!status.keepsAuthorization(identity, devicePath.get(i), links.get(i - 1))) {
                return true;
            }
        }
        return rootAuthorizedAt.isPresent()
                && status.revokedByRecovery(identity, devicePath.get(devicePath.size() - 1), rootAuthorizedAt.get());
    }

    /** When the identity authorized the root device of the (verified) chain: the innermost link's issued_at. */
    private static Optional<Instant> rootAuthorizedAt(byte[] presentation) {
        try {
            Presentation p = Presentation.parseFrom(presentation);
            if (!p.getProof().hasChain()) {
                return Optional.empty();
            }
            Credential c = p.getProof().getChain().getCredential();
            while (c.getProof().hasChain()) {
                c = c.getProof().getChain().getCredential();
            }
            com.google.protobuf.Timestamp t = CredentialBody.parseFrom(c.getBody()).getIssuedAt();
            return Optional.of(Instant.ofEpochSecond(t.getSeconds(), t.getNanos()));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
