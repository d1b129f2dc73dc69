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
 * @param links      ids of the AuthorizedDevice credentials of the chain, in the order of {@code devicePath}:
 *                   {@code links.get(i)} authorizes {@code devicePath.get(i)}
 */
public record AuthorizedSigner(PublicKey identity, PublicKey signer, Optional<DeviceScope> scope,
                               List<PublicKey> devicePath, List<CredentialId> links) {

    public AuthorizedSigner {
        devicePath = List.copyOf(devicePath);
        links = List.copyOf(links);
    }

    /** True if the identity key itself signed. */
    public boolean signedByIdentity() {
        return signer.equals(identity);
    }
}
