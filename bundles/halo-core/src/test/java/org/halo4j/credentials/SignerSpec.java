package org.halo4j.credentials;

import org.halo4j.testing.Agents;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.halo4j.keys.InMemoryKeyring;
import org.halo4j.keys.KeyringException;
import org.halo4j.keys.PublicKey;
import org.halo4j.proto.v1.Credential;
import org.halo4j.proto.v1.DeviceScope;

/**
 * A signer to build for a test: an identity seed and the seeds of 0 to {@link Limits#MAX_CHAIN_DEPTH} devices.
 * With no device the identity signs itself; otherwise device {@code i + 1} is authorized by device {@code i}
 * (the first by the identity), every link ADMIN except the last, which grants {@code lastScope}.
 *
 * @param identitySeed seed of the identity key
 * @param deviceSeeds  seeds of the devices, from the one nearest the identity to the one that signs
 * @param lastScope    the scope granted to the signing device (ignored without devices)
 */
public record SignerSpec(byte[] identitySeed, List<byte[]> deviceSeeds, DeviceScope lastScope) {

    public SignerSpec {
        identitySeed = identitySeed.clone();
        deviceSeeds = List.copyOf(deviceSeeds);
    }

    /** Number of AuthorizedDevice links between the signer and the identity. */
    public int depth() {
        return deviceSeeds.size();
    }

    /** Imports the keys into a new in-memory keyring and issues the chain. */
    public ChainedSigner build() throws KeyringException {
        InMemoryKeyring keyring = new InMemoryKeyring();
        PublicKey identity = keyring.importSeed(identitySeed);
        Signer signer = Signer.of(keyring, identity, Agents.at(Agents.NOW));
        List<PublicKey> devicePath = new ArrayList<>();
        for (int i = 0; i < deviceSeeds.size(); i++) {
            PublicKey device = keyring.importSeed(deviceSeeds.get(i));
            DeviceScope scope = i == deviceSeeds.size() - 1 ? lastScope : DeviceScope.DEVICE_SCOPE_ADMIN;
            byte[] consent = DeviceAuthorizations.consent(keyring, device, identity);
            Credential authorization = DeviceAuthorizations.authorize(signer, device, scope, consent, Optional.empty());
            signer = Signer.device(keyring, device, authorization, Agents.at(Agents.NOW));
            devicePath.add(0, device);
        }
        Optional<DeviceScope> scope = deviceSeeds.isEmpty() ? Optional.empty() : Optional.of(lastScope);
        return new ChainedSigner(keyring, identity, signer, devicePath, scope);
    }

    @Override
    public String toString() {
        HexFormat hex = HexFormat.of();
        return "SignerSpec[identitySeed=" + hex.formatHex(identitySeed) + ", deviceSeeds="
                + deviceSeeds.stream().map(hex::formatHex).toList() + ", lastScope=" + lastScope + "]";
    }
}
