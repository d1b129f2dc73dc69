package org.halo4j.net;

import java.util.Optional;
import org.halo4j.credentials.VerifiedCredential;
import org.halo4j.keys.PublicKey;

/**
 * The other side of a peer channel, as it proved itself: its device key (bound to this session's handshake) and,
 * if it acts for an identity, its AuthorizedDevice credential, verified (signatures, chain, expiry). Whether the
 * device is revoked, or the identity a member of a space, is for the caller to decide from its own state.
 *
 * @param purpose what the peer opened the channel for: {@code sync}, {@code invitation} or {@code claim}
 */
public record RemotePeer(PublicKey device, Optional<PublicKey> identity, Optional<VerifiedCredential> authorization,
                         String purpose, String address) {

    /** For logs: the identity as did:key (or "unauthorized device"), and the device's short id. */
    public String describe() {
        return identity.map(PublicKey::toDidKey).orElse("unauthorized device") + " (device " + device.shortId() + ", "
                + address + ")";
    }
}
