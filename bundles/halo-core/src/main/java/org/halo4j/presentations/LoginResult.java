package org.halo4j.presentations;

import java.util.List;
import java.util.Optional;
import org.halo4j.credentials.AuthorizedSigner;
import org.halo4j.credentials.VerifiedCredential;
import org.halo4j.keys.PublicKey;
import org.halo4j.proto.v1.DeviceScope;

/**
 * A finished login: who logged in, from which device, with which verified credentials.
 *
 * @param identity    the identity key that logged in
 * @param signedBy    the device (or the identity itself) that signed, with its chain
 * @param credentials the presented credentials, verified, about {@code identity}
 * @param challenge   the challenge that was consumed
 */
public record LoginResult(PublicKey identity, AuthorizedSigner signedBy, List<VerifiedCredential> credentials,
                          Challenge challenge) {

    public LoginResult {
        credentials = List.copyOf(credentials);
    }

    /** The principal: the identity's {@code did:key}. */
    public String did() {
        return identity.toDidKey();
    }

    /** The key that signed the presentation. */
    public PublicKey device() {
        return signedBy.signer();
    }

    /** The device's scope; empty when the identity key itself signed. */
    public Optional<DeviceScope> scope() {
        return signedBy.scope();
    }
}
