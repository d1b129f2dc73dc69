package org.halo4j.spaces;

import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.halo4j.credentials.CredentialId;
import org.halo4j.credentials.VerifiedCredential;
import org.halo4j.keys.PublicKey;
import org.halo4j.proto.v1.AllDevicesRevoked;

/**
 * A recovery's revocation of every other device of an identity (decision 0005), and its one rule: a chain
 * whose first link the identity key issued before {@code at} is revoked, unless that link's device is kept.
 * Replay ({@link SpaceState}) and a wallet that has not yet received its HALO apply the same rule from here.
 *
 * @param id       the AllDevicesRevoked credential
 * @param identity its issuer and subject
 * @param at       its issue time, signed by the identity key like every first link it is compared with
 * @param kept     the devices it keeps
 */
public record RecoveryRevocation(CredentialId id, PublicKey identity, Instant at, Set<PublicKey> kept) {

    public RecoveryRevocation {
        kept = Set.copyOf(kept);
    }

    /** The revocation {@code v} states, if it is a verified AllDevicesRevoked about its own issuer. */
    public static Optional<RecoveryRevocation> of(VerifiedCredential v) {
        if (!(v.assertion() instanceof AllDevicesRevoked a) || !v.issuer().equals(v.subject())) {
            return Optional.empty();
        }
        Set<PublicKey> kept = new HashSet<>();
        a.getKeptDevicesList().forEach(k -> kept.add(PublicKey.of(k.toByteArray())));
        return Optional.of(new RecoveryRevocation(v.id(), v.issuer(), v.issuedAt(), kept));
    }

    /** True if it revokes the chains of {@code identity} that start at {@code rootDevice}, authorized at {@code authorizedAt}. */
    public boolean revokes(PublicKey identity, PublicKey rootDevice, Instant authorizedAt) {
        return this.identity.equals(identity) && authorizedAt.isBefore(at) && !kept.contains(rootDevice);
    }
}
