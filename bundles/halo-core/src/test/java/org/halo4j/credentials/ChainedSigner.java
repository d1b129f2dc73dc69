package org.halo4j.credentials;

import java.util.List;
import java.util.Optional;
import org.halo4j.keys.Keyring;
import org.halo4j.keys.PublicKey;
import org.halo4j.proto.v1.DeviceScope;

/**
 * A built {@link SignerSpec}: the keyring holding every key, the identity, the signer (the identity itself or
 * the last device with its chain), and what a verifier should report about it.
 *
 * @param devicePath the devices between signer and identity, signer first; empty when the identity signs
 * @param scope      the signer's device scope; empty when the identity signs
 */
public record ChainedSigner(Keyring keyring, PublicKey identity, Signer signer, List<PublicKey> devicePath,
                            Optional<DeviceScope> scope) {
}
