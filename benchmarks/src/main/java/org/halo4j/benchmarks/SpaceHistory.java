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
    /** Grants that continue the chain after {@link #entries}, for appending one at a time. */
    final List<SpaceEntry> later = new ArrayList<>();

    private SpaceHistory(PublicKey spaceKey, PublicKey ownerDevice, List<SpaceEntry> entries) {
        this.spaceKey = spaceKey;
        this.ownerDevice = ownerDevice;
        this.entries = entries;
    }

    static SpaceHistory of(int members) throws KeyringException {
        return of(members, 0);
    }

    /** As {@link #of(int)}, with {@code later} more grants that continue the chain, kept apart. */
    static SpaceHistory of(int members, int later) throws KeyringException {
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
        List<SpaceEntry> all = new ArrayList<>(entries);
        for (int i = 0; i < members + later; i++) {
            Credential c = Credentials.issue(signer).subject(memberKey()).assertion(reader)
                    .parents(List.of(previous)).sign();
            previous = Credentials.id(c);
            all.add(SpaceEntry.of(feed, all.size(), c));
        }
        SpaceHistory h = new SpaceHistory(space.spaceKey(), device, new ArrayList<>(all.subList(0, members + 3)));
        h.later.addAll(all.subList(members + 3, all.size()));
        return h;
    }

    /**
     * A space whose {@code members} READERs are granted by {@code admins} different ADMINs (each an identity with
     * its own device and control feed, added and admitted by the OWNER), each admin's grants a chain in its own
     * feed: replay meets as many distinct signers, chains and feeds as a busy space has.
     */
    static SpaceHistory withAdmins(int members, int admins) throws KeyringException {
        InMemoryKeyring keyring = new InMemoryKeyring();
        PublicKey owner = keyring.generate();
        PublicKey device = keyring.generate();
        PublicKey feed = keyring.generate();
        Signer ownerSigner = Signer.device(keyring, device, DeviceAuthorizations.authorize(Signer.of(keyring, owner), device,
                DeviceScope.DEVICE_SCOPE_ADMIN, DeviceAuthorizations.consent(keyring, device, owner), java.util.Optional.empty()));
        Spaces.Created space = Spaces.create(keyring, "bench", owner, device, feed);
        List<SpaceEntry> entries = new ArrayList<>(members + 3 * admins + 3);
        for (Credential c : space.credentials()) {
            entries.add(SpaceEntry.of(feed, entries.size(), c));
        }
        long ownerSeq = entries.size();
        CredentialId ownerHead = Credentials.id(space.credentials().get(2));
        com.google.protobuf.ByteString spaceBytes = com.google.protobuf.ByteString.copyFrom(space.spaceKey().toBytes());
        List<Signer> signers = new ArrayList<>();
        List<PublicKey> feeds = new ArrayList<>();
        List<CredentialId> heads = new ArrayList<>();
        for (int a = 0; a < admins; a++) {
            PublicKey admin = keyring.generate();
            PublicKey adminDevice = keyring.generate();
            PublicKey adminFeed = keyring.generate();
            Signer adminSigner = Signer.device(keyring, adminDevice, DeviceAuthorizations.authorize(Signer.of(keyring, admin),
                    adminDevice, DeviceScope.DEVICE_SCOPE_ADMIN, DeviceAuthorizations.consent(keyring, adminDevice, admin),
                    java.util.Optional.empty()));
            Credential grant = Credentials.issue(ownerSigner).subject(admin)
                    .assertion(SpaceMember.newBuilder().setSpaceKey(spaceBytes).setRole(SpaceRole.SPACE_ROLE_ADMIN).build())
                    .parents(List.of(ownerHead)).sign();
            entries.add(SpaceEntry.of(feed, ownerSeq++, grant));
            Credential admit = Credentials.issue(ownerSigner).subject(adminFeed)
                    .assertion(Spaces.admittedFeed(keyring, adminFeed, space.spaceKey(), admin, adminDevice,
                            org.halo4j.proto.v1.FeedDesignation.FEED_DESIGNATION_CONTROL))
                    .parents(List.of(Credentials.id(grant))).sign();
            entries.add(SpaceEntry.of(feed, ownerSeq++, admit));
            ownerHead = Credentials.id(admit);
            signers.add(adminSigner);
            feeds.add(adminFeed);
            heads.add(ownerHead);
        }
        SpaceMember reader = SpaceMember.newBuilder().setSpaceKey(spaceBytes).setRole(SpaceRole.SPACE_ROLE_READER).build();
        long[] seqs = new long[admins];
        for (int i = 0; i < members; i++) {
            int a = i % admins;
            Credential c = Credentials.issue(signers.get(a)).subject(memberKey()).assertion(reader)
                    .parents(List.of(heads.get(a))).sign();
            heads.set(a, Credentials.id(c));
            entries.add(SpaceEntry.of(feeds.get(a), seqs[a]++, c));
        }
        return new SpaceHistory(space.spaceKey(), device, entries);
    }

    /** A member's identity key: a valid Ed25519 public key (a subject must be a curve point), without a keyring. */
    static PublicKey memberKey() {
        byte[] seed = new byte[32];
        java.util.concurrent.ThreadLocalRandom.current().nextBytes(seed);
        byte[] pk = new byte[32];
        org.bouncycastle.math.ec.rfc8032.Ed25519.generatePublicKey(seed, 0, pk, 0);
        return PublicKey.of(pk);
    }
}
