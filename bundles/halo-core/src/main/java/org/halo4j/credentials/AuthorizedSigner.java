package org.halo4j.credentials;

import java.util.List;
import java.util.Optional;
import org.halo4j.keys.PublicKey;
import org.halo4j.proto.v1.DeviceScope;

/**
 * Who made a verified signature, and for whom.
 *
 * @param identity   the key whose authority the signature carries (the issuer)
 * @param signer     the key that made the signature: the identity itself or one of its devices
 * @param scope      the signer's device scope; empty when the identity signed itself (full authority)
 * @param devicePath the devices between signer and identity, signer first; empty when the identity signed
 */
public record AuthorizedSigner(PublicKey identity, PublicKey signer, Optional<DeviceScope> scope,
                               List<PublicKey> devicePath) {

    public AuthorizedSigner {
        devicePath = List.copyOf(devicePath);
    }

    /** True if the identity key itself signed. */
    public boolean signedByIdentity() {
        return signer.equals(identity);
    }
}
