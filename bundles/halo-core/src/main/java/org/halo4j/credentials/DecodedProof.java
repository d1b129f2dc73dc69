package org.halo4j.credentials;

import com.google.protobuf.ByteString;
import java.util.List;
import java.util.Optional;
import org.halo4j.keys.PublicKey;
import org.halo4j.proto.v1.DeviceScope;

/**
 * A proof after structural checks: the signer, its signature and, when the signer is a device, the decoded
 * AuthorizedDevice link (identity → signer), the scope it grants and the devices up to the identity.
 */
record DecodedProof(PublicKey identity, PublicKey signer, ByteString signature, Optional<DecodedCredential> link,
                    Optional<DeviceScope> scope, List<PublicKey> devicePath,
                    List<CredentialId> links) {
}
