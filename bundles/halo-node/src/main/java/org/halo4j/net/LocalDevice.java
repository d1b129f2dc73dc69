package org.halo4j.net;

import java.util.Optional;
import org.halo4j.keys.Keyring;
import org.halo4j.keys.PublicKey;
import org.halo4j.proto.v1.Credential;

/**
 * This side of a peer channel: a device key in a keyring (which agrees and signs; its private key never leaves
 * it), and, once the device is authorized, the identity it acts for with its AuthorizedDevice credential.
 */
public record LocalDevice(Keyring keyring, PublicKey device, Optional<PublicKey> identity,
                          Optional<Credential> authorization) {

    public LocalDevice {
        if (identity.isPresent() != authorization.isPresent()) {
            throw new IllegalArgumentException("an identity comes with the device's authorization, and only with it");
        }
    }

    /** A device that is not authorized yet (the guest of a device invitation). */
    public static LocalDevice unauthorized(Keyring keyring, PublicKey device) {
        return new LocalDevice(keyring, device, Optional.empty(), Optional.empty());
    }
}
