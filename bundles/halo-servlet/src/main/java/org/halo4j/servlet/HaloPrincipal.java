package org.halo4j.servlet;

import java.security.Principal;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.halo4j.keys.PublicKey;

/**
 * Who a request is from: the identity that logged in (its DID is the principal of DESIGN §7), the account the
 * {@link IdentityMapper} linked it to, and the device that signed the login with its chain (re-checked against
 * revocations on every request). {@link #getName()} is the account.
 *
 * @param devicePath the signing device first, then each device that authorized the one before, up to the one the
 *                   identity authorized (empty when the identity key itself signed)
 */
public record HaloPrincipal(String did, PublicKey identity, String account, PublicKey device, List<PublicKey> devicePath,
                            Instant expiresAt) implements Principal {

    public HaloPrincipal {
        Objects.requireNonNull(did);
        Objects.requireNonNull(identity);
        Objects.requireNonNull(account);
        Objects.requireNonNull(device);
        devicePath = List.copyOf(devicePath);
        Objects.requireNonNull(expiresAt);
    }

    @Override
    public String getName() {
        return account;
    }
}
