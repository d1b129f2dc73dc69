package org.halo4j.identity;

import com.google.protobuf.ByteString;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.halo4j.credentials.CredentialId;
import org.halo4j.credentials.Credentials;
import org.halo4j.credentials.DeviceAuthorizations;
import org.halo4j.credentials.Signer;
import org.halo4j.credentials.VerifiedCredential;
import org.halo4j.keys.Keyring;
import org.halo4j.keys.KeyringException;
import org.halo4j.keys.PublicKey;
import org.halo4j.proto.v1.AllDevicesRevoked;
import org.halo4j.proto.v1.AuthorizedDevice;
import org.halo4j.proto.v1.Contact;
import org.halo4j.proto.v1.Credential;
import org.halo4j.proto.v1.DeviceProfile;
import org.halo4j.proto.v1.DeviceRevoked;
import org.halo4j.proto.v1.DeviceScope;
import org.halo4j.proto.v1.FeedPosition;
import org.halo4j.proto.v1.IdentityProfile;
import org.halo4j.proto.v1.Property;
import org.halo4j.spaces.SpaceFeed;
import org.halo4j.spaces.SpaceState;
import org.halo4j.spaces.Spaces;

/**
 * Writes the credentials of a HALO: its genesis on the first device, device authorizations and revocations,
 * the profile and contacts. Every method returns credentials to append to the writing device's HALO feed;
 * nothing here touches storage.
 */
public final class Halo {

    private Halo() {
    }

    /**
     * The genesis of a new HALO (spec §5.3, DESIGN §2): a fresh, random HALO space key (not the identity key)
     * signs the space genesis, makes the identity OWNER and admits the device's feed, and is destroyed; the
     * identity key then authorizes the first device (ADMIN, with the device's consent) and signs the profile.
     * The identity key stays in {@code keyring}: the caller destroys it once the backup is confirmed.
     *
     * @return the HALO's space key and the credentials of the genesis feed, in order
     */
    public static Spaces.Created genesis(Keyring keyring, PublicKey identity, PublicKey device, PublicKey feed,
                                         Optional<String> displayName, String deviceName) throws KeyringException {
        return genesis(keyring, identity, device, feed, displayName, deviceName, Clock.systemUTC());
    }

    /** As {@link #genesis(Keyring, PublicKey, PublicKey, PublicKey, Optional, String)}, stamping with {@code clock}. */
    public static Spaces.Created genesis(Keyring keyring, PublicKey identity, PublicKey device, PublicKey feed,
                                         Optional<String> displayName, String deviceName, Clock clock)
            throws KeyringException {
        Spaces.Created space = Spaces.create(keyring, "HALO", identity, device, feed, clock);
        List<Credential> all = new ArrayList<>(space.credentials());
        CredentialId previous = Credentials.id(all.get(all.size() - 1));
        Signer self = Signer.of(keyring, identity, clock);
        byte[] consent = DeviceAuthorizations.consent(keyring, device, identity);
        Credential authorization = Credentials.issue(self).subject(device)
                .assertion(AuthorizedDevice.newBuilder().setScope(DeviceScope.DEVICE_SCOPE_ADMIN)
                        .setDeviceConsent(ByteString.copyFrom(consent)).build())
                .parents(List.of(previous)).sign();
        all.add(authorization);
        previous = Credentials.id(authorization);
        Credential deviceProfile = Credentials.issue(self).subject(device)
                .assertion(DeviceProfile.newBuilder().setDisplayName(deviceName).build())
                .parents(List.of(previous)).sign();
        all.add(deviceProfile);
        if (displayName.isPresent()) {
            all.add(Credentials.issue(self).subject(identity)
                    .assertion(IdentityProfile.newBuilder().setDisplayName(displayName.get()).build())
                    .parents(List.of(Credentials.id(deviceProfile))).sign());
        }
        return new Spaces.Created(space.spaceKey(), all);
    }

    /**
     * Authorizes {@code device} for the identity of {@code signer} (the identity key, e.g. from the phrase on
     * recovery, or an ADMIN device), with the device's {@code consent}, and names it.
     */
    public static List<Credential> authorizeDevice(SpaceState halo, Signer signer, PublicKey device, DeviceScope scope,
                                                   byte[] consent, String deviceName) throws KeyringException {
        Credential authorization = Credentials.issue(signer).subject(device)
                .assertion(AuthorizedDevice.newBuilder().setScope(scope).setDeviceConsent(ByteString.copyFrom(consent)).build())
                .parents(Spaces.parents(halo, List.of())).sign();
        Credential profile = Credentials.issue(signer).subject(device)
                .assertion(DeviceProfile.newBuilder().setDisplayName(deviceName).build())
                .parents(List.of(Credentials.id(authorization))).sign();
        return List.of(authorization, profile);
    }

    /**
     * Revokes {@code device} (DESIGN §4 rules 4 and 8): records, for each of the device's feeds in the HALO and
     * in every one of {@code spaces} (the revocation is copied into each, and one signed credential serves them
     * all), the last position whose credentials stay accepted ({@code lastPositions}), so what the device wrote
     * before stays everywhere; and keeps the device authorizations it issued before, which stay valid.
     */
    public static Credential revokeDevice(SpaceState halo, Collection<SpaceState> spaces, Signer signer, PublicKey device,
                                          String reason, Map<PublicKey, Long> lastPositions) throws KeyringException {
        DeviceRevoked.Builder r = DeviceRevoked.newBuilder().setReason(reason);
        Set<PublicKey> recorded = new HashSet<>();
        List<SpaceState> all = new ArrayList<>();
        all.add(halo);
        all.addAll(spaces);
        for (SpaceState space : all) {
            for (SpaceFeed f : space.feeds().values()) {
                Long last = lastPositions.get(f.feed());
                if (f.device().equals(device) && last != null && recorded.add(f.feed())) {
                    r.addAcceptedUntil(FeedPosition.newBuilder().setFeedKey(ByteString.copyFrom(f.feed().toBytes())).setSeq(last));
                }
            }
        }
        for (VerifiedCredential v : halo.content()) {
            if (v.assertion() instanceof AuthorizedDevice && v.signedBy().signer().equals(device)) {
                r.addKeptAuthorizations(v.id().toByteString());
            }
        }
        return Credentials.issue(signer).subject(device).assertion(r.build()).parents(Spaces.parents(halo, List.of())).sign();
    }

    /** Sets the identity's profile: display name and properties (sorted by key). */
    /**
     * A recovery's revocation of every other device (decision 0005), signed by {@code identityKey} (the identity
     * key itself, derived from the phrase: never a device), keeping {@code keptDevices}.
     */
    public static Credential revokeAllOtherDevices(Signer identityKey, List<PublicKey> keptDevices, String reason)
            throws KeyringException {
        AllDevicesRevoked.Builder a = AllDevicesRevoked.newBuilder().setReason(reason);
        keptDevices.forEach(d -> a.addKeptDevices(com.google.protobuf.ByteString.copyFrom(d.toBytes())));
        return Credentials.issue(identityKey).subject(identityKey.key()).assertion(a.build()).sign();
    }

    public static Credential setProfile(SpaceState halo, Signer signer, String displayName, Map<String, String> properties)
            throws KeyringException {
        IdentityProfile.Builder p = IdentityProfile.newBuilder().setDisplayName(displayName);
        new java.util.TreeMap<>(properties).forEach((k, v) -> p.addProperties(Property.newBuilder().setKey(k).setValue(v)));
        return Credentials.issue(signer).subject(signer.issuer()).assertion(p.build())
                .parents(Spaces.parents(halo, List.of())).sign();
    }

    /** Adds a contact to the identity's circle, with a display name. */
    public static Credential addContact(SpaceState halo, Signer signer, PublicKey contact, String displayName)
            throws KeyringException {
        return Credentials.issue(signer).subject(contact).assertion(Contact.newBuilder().setDisplayName(displayName).build())
                .parents(Spaces.parents(halo, List.of())).sign();
    }
}
