package org.halo4j.spaces;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.halo4j.credentials.CredentialId;
import org.halo4j.keys.PublicKey;

/**
 * A device revoked by its identity, as learned in this space.
 *
 * @param identity           the identity that revoked it
 * @param device             the revoked device
 * @param revoker            the key that signed the revocation (the identity, or one of its ADMIN devices)
 * @param acceptedUntil      per feed of the device, the last position whose credentials stay accepted
 * @param keptAuthorizations AuthorizedDevice credentials the device issued before, which stay valid
 * @param id                 the DeviceRevoked credential
 * @param parents            its parents (for recognising concurrent mutual revocations)
 */
public record DeviceRevocation(PublicKey identity, PublicKey device, PublicKey revoker, Map<PublicKey, Long> acceptedUntil,
                               Set<CredentialId> keptAuthorizations, CredentialId id, List<CredentialId> parents) {
}
