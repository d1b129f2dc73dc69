package org.halo4j.identity;

import java.util.Optional;
import org.halo4j.credentials.CredentialId;
import org.halo4j.keys.PublicKey;
import org.halo4j.proto.v1.DeviceScope;

/**
 * A device of the identity, as the HALO records it.
 *
 * @param key          the device key
 * @param name         its display name, if one was set
 * @param scope        ADMIN, WRITE or READ
 * @param authorizedBy the key that signed its authorization: the identity, or another device
 * @param authorization the AuthorizedDevice credential
 * @param revoked      true once a revocation of it applied
 */
public record DeviceInfo(PublicKey key, Optional<String> name, DeviceScope scope, PublicKey authorizedBy,
                         CredentialId authorization, boolean revoked) {
}
