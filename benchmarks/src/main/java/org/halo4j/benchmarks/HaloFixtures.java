package org.halo4j.benchmarks;

import com.google.protobuf.ByteString;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.halo4j.credentials.Credentials;
import org.halo4j.credentials.DeviceAuthorizations;
import org.halo4j.credentials.Signer;
import org.halo4j.keys.InMemoryKeyring;
import org.halo4j.keys.KeyringException;
import org.halo4j.keys.PublicKey;
import org.halo4j.presentations.Challenge;
import org.halo4j.presentations.Presentations;
import org.halo4j.proto.v1.Credential;
import org.halo4j.proto.v1.DeviceScope;
import org.halo4j.proto.v1.SpaceMember;
import org.halo4j.proto.v1.SpaceRole;

/** Builds real, valid halo4j inputs with halo-core's own issuing API. */
final class HaloFixtures {

    /** The relying party's origin in every login benchmark. */
    static final String AUDIENCE = "https://app.example.com";

    private HaloFixtures() {
    }

    /** A SpaceMember credential issued directly by a fresh space key (one signature, no chain). */
    static byte[] spaceMemberCredential(InMemoryKeyring keyring) throws KeyringException {
        PublicKey space = keyring.generate();
        PublicKey member = keyring.generate();
        SpaceMember assertion = SpaceMember.newBuilder()
                .setSpaceKey(ByteString.copyFrom(space.toBytes()))
                .setRole(SpaceRole.SPACE_ROLE_EDITOR)
                .build();
        return Credentials.issue(Signer.of(keyring, space))
                .subject(member)
                .assertion(assertion)
                .sign()
                .toByteArray();
    }

    /**
     * A fresh identity with one device: the device consents, the identity issues AuthorizedDevice
     * (identity → device, WRITE), and the returned signer is the device carrying that one-link chain.
     */
    static Signer deviceOfNewIdentity(InMemoryKeyring keyring) throws KeyringException {
        PublicKey identity = keyring.generate();
        PublicKey device = keyring.generate();
        byte[] consent = DeviceAuthorizations.consent(keyring, device, identity);
        Credential authorization = DeviceAuthorizations.authorize(Signer.of(keyring, identity), device,
                DeviceScope.DEVICE_SCOPE_WRITE, consent, Optional.empty());
        return Signer.device(keyring, device, authorization);
    }

    /** The wallet's answer to {@code challenge}: a plain login presentation signed by {@code device}. */
    static byte[] presentation(Signer device, Challenge challenge) throws KeyringException {
        return Presentations.sign(device, challenge.nonce(), challenge.audience(), List.of(), Clock.systemUTC())
                .toByteArray();
    }
}
