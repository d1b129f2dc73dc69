package org.halo4j.benchmarks;

import java.util.ArrayList;
import java.util.List;
import org.halo4j.credentials.CredentialId;
import org.halo4j.credentials.Credentials;
import org.halo4j.credentials.DeviceAuthorizations;
import org.halo4j.credentials.Signer;
import org.halo4j.keys.InMemoryKeyring;
import org.halo4j.keys.KeyringException;
import org.halo4j.keys.PublicKey;
import org.halo4j.proto.v1.Credential;
import org.halo4j.proto.v1.DeviceScope;
import org.halo4j.proto.v1.SpaceMember;
import org.halo4j.proto.v1.SpaceRole;
import org.halo4j.spaces.SpaceEntry;
import org.halo4j.spaces.Spaces;

/**
 * A space with {@code members} READER members added one after the other by the OWNER's device, each grant
 * naming the previous one as its parent: the honest history of a large space, as one control feed.
 */
final class SpaceHistory {

    final PublicKey spaceKey;
    final PublicKey ownerDevice;
    final List<SpaceEntry> entries;

    private SpaceHistory(PublicKey spaceKey, PublicKey ownerDevice, List<SpaceEntry> entries) {
        this.spaceKey = spaceKey;
        this.ownerDevice = ownerDevice;
        this.entries = entries;
    }

    static SpaceHistory of(int members) throws KeyringException {
        InMemoryKeyring keyring = new InMemoryKeyring();
        PublicKey owner = keyring.generate();
        PublicKey device = keyring.generate();
        PublicKey feed = keyring.generate();
        Credential auth = DeviceAuthorizations.authorize(Signer.of(keyring, owner), device, DeviceScope.DEVICE_SCOPE_ADMIN,
                DeviceAuthorizations.consent(keyring, device, owner), java.util.Optional.empty());
        Signer signer = Signer.device(keyring, device, auth);
        Spaces.Created space = Spaces.create(keyring, "bench", owner, device, feed);
        List<SpaceEntry> entries = new ArrayList<>(members + 3);
        for (Credential c : space.credentials()) {
            entries.add(SpaceEntry.of(feed, entries.size(), c));
        }
        CredentialId previous = Credentials.id(space.credentials().get(2));
        SpaceMember reader = SpaceMember.newBuilder()
                .setSpaceKey(com.google.protobuf.ByteString.copyFrom(space.spaceKey().toBytes()))
                .setRole(SpaceRole.SPACE_ROLE_READER).build();
        for (int i = 0; i < members; i++) {
            byte[] member = new byte[32];
            java.util.concurrent.ThreadLocalRandom.current().nextBytes(member);
            member[0] = (byte) 0xaa; // any 32 bytes name an identity; it need not be a curve point
            Credential c = Credentials.issue(signer).subject(PublicKey.of(member)).assertion(reader)
                    .parents(List.of(previous)).sign();
            previous = Credentials.id(c);
            entries.add(SpaceEntry.of(feed, entries.size(), c));
        }
        return new SpaceHistory(space.spaceKey(), device, entries);
    }
}
