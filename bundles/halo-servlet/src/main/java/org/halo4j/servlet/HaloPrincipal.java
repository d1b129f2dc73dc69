package org.halo4j.servlet;

import java.security.Principal;
import java.time.Instant;
import java.util.Objects;
import org.halo4j.credentials.AuthorizedSigner;
import org.halo4j.credentials.DeviceStatus;
import org.halo4j.keys.PublicKey;
import org.halo4j.presentations.LoginResult;

/**
 * Who a request is from: the identity that logged in (its DID is the principal of DESIGN §7), the account the
 * {@link IdentityMapper} linked it to, and the device that signed the login with its verified chain — kept so
 * that the chain can be checked against revocations again on every request without verifying a signature again
 * ({@link #revokedIn(DeviceStatus)}). {@link #getName()} is the account.
 */
public record HaloPrincipal(String did, PublicKey identity, String account, AuthorizedSigner signedBy, Instant expiresAt)
        implements Principal {

    public HaloPrincipal {
        Objects.requireNonNull(did);
        Objects.requireNonNull(identity);
        Objects.requireNonNull(account);
        Objects.requireNonNull(signedBy);
        Objects.requireNonNull(expiresAt);
    }

    /** The principal of a verified login. */
    public static HaloPrincipal of(LoginResult login, String account, Instant expiresAt) {
        return new HaloPrincipal(login.did(), login.identity(), account, login.signedBy(), expiresAt);
    }

    /** The device that signed the login (the identity key itself, if it signed). */
    public PublicKey device() {
        return signedBy.signer();
    }

    @Override
    public String getName() {
        return account;
    }

    /**
     * True if, by {@code status} as it is now, the device that logged in is revoked, or an authorization on its
     * chain no longer stands, or a recovery revoked the chain's root: the questions the verifier asked at login,
     * asked again ({@link AuthorizedSigner#revokedIn}).
     */
    public boolean revokedIn(DeviceStatus status) {
        return signedBy.revokedIn(status).isPresent();
    }
}
