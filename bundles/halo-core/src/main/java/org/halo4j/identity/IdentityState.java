package org.halo4j.identity;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.halo4j.credentials.VerifiedCredential;
import org.halo4j.internal.json.Json;
import org.halo4j.keys.PublicKey;
import org.halo4j.proto.v1.AuthorizedDevice;
import org.halo4j.proto.v1.Contact;
import org.halo4j.proto.v1.DeviceProfile;
import org.halo4j.proto.v1.IdentityProfile;
import org.halo4j.proto.v1.Property;
import org.halo4j.spaces.SpaceState;

/**
 * What the HALO says about its identity: devices (who authorized whom, scope, revoked), profile and
 * contacts. Derived from the replayed HALO, which is authoritative (DESIGN §4 rule 8).
 */
public final class IdentityState {

    private final PublicKey identity;
    private final Map<PublicKey, DeviceInfo> devices;
    private final Optional<String> displayName;
    private final Map<String, String> properties;
    private final Map<PublicKey, ContactInfo> contacts;

    private IdentityState(PublicKey identity, Map<PublicKey, DeviceInfo> devices, Optional<String> displayName,
                          Map<String, String> properties, Map<PublicKey, ContactInfo> contacts) {
        this.identity = identity;
        this.devices = devices;
        this.displayName = displayName;
        this.properties = properties;
        this.contacts = contacts;
    }

    /** Reads the identity's state from its replayed HALO. */
    public static IdentityState of(SpaceState halo, PublicKey identity) {
        Map<PublicKey, DeviceInfo> devices = new LinkedHashMap<>();
        Map<PublicKey, String> deviceNames = new TreeMap<>();
        Optional<String> name = Optional.empty();
        Map<String, String> props = new TreeMap<>();
        Map<PublicKey, ContactInfo> contacts = new TreeMap<>();
        Map<PublicKey, java.time.Instant> authorizedAt = new java.util.HashMap<>();
        for (VerifiedCredential v : halo.content()) {
            if (!v.issuer().equals(identity)) {
                continue;
            }
            if (v.assertion() instanceof AuthorizedDevice a) {
                devices.put(v.subject(), new DeviceInfo(v.subject(), Optional.empty(), a.getScope(), v.signedBy().signer(),
                        v.id(), false));
                authorizedAt.put(v.subject(), v.issuedAt());
            } else if (v.assertion() instanceof DeviceProfile p) {
                deviceNames.put(v.subject(), p.getDisplayName());
            } else if (v.assertion() instanceof IdentityProfile p && v.subject().equals(identity)) {
                name = p.getDisplayName().isEmpty() ? Optional.empty() : Optional.of(p.getDisplayName());
                props.clear();
                for (Property prop : p.getPropertiesList()) {
                    props.put(prop.getKey(), prop.getValue());
                }
            } else if (v.assertion() instanceof Contact c) {
                contacts.put(v.subject(), new ContactInfo(v.subject(), c.getDisplayName(), true));
            }
        }
        Map<PublicKey, DeviceInfo> result = new LinkedHashMap<>();
        devices.forEach((k, d) -> result.put(k, new DeviceInfo(k, Optional.ofNullable(deviceNames.get(k)), d.scope(),
                d.authorizedBy(), d.authorization(),
                halo.isRevoked(identity, k) || revokedByRecovery(halo, identity, k, devices, authorizedAt))));
        return new IdentityState(identity, result, name, props, contacts);
    }

    /**
     * True if a recovery revoked every other device and {@code device}'s chain of authorizations starts at a
     * device the identity key authorized before it (decision 0005).
     */
    private static boolean revokedByRecovery(SpaceState halo, PublicKey identity, PublicKey device,
                                             Map<PublicKey, DeviceInfo> devices, Map<PublicKey, java.time.Instant> at) {
        PublicKey root = device;
        for (int depth = 0; depth <= devices.size(); depth++) {
            DeviceInfo d = devices.get(root);
            if (d == null) {
                return false;
            }
            if (d.authorizedBy().equals(identity)) {
                return halo.revokedByRecovery(identity, root, at.get(root));
            }
            root = d.authorizedBy();
        }
        return false;
    }

    public PublicKey identity() {
        return identity;
    }

    /** The identity's did:key. */
    public String did() {
        return identity.toDidKey();
    }

    /** Every device the HALO ever authorized, in the order of authorization, revoked ones included. */
    public List<DeviceInfo> devices() {
        return List.copyOf(devices.values());
    }

    /** The device, if the HALO authorized it. */
    public Optional<DeviceInfo> device(PublicKey key) {
        return Optional.ofNullable(devices.get(key));
    }

    public Optional<String> displayName() {
        return displayName;
    }

    public Map<String, String> properties() {
        return Map.copyOf(properties);
    }

    /** The explicit contacts (Contact credentials in the HALO). */
    public List<ContactInfo> contacts() {
        return new ArrayList<>(contacts.values());
    }

    /**
     * The current device list as a JSON document, separate from the DID document (which did:key fixes):
     * {@code {"id": did, "devices": [{"key", "name", "scope", "authorizedBy", "revoked"}]}}.
     */
    public String deviceListJson() {
        List<Map<String, Object>> list = new ArrayList<>();
        for (DeviceInfo d : devices.values()) {
            Map<String, Object> o = Json.object();
            o.put("key", d.key().toHex());
            o.put("name", d.name().orElse(""));
            o.put("scope", d.scope().name().replace("DEVICE_SCOPE_", ""));
            o.put("authorizedBy", d.authorizedBy().equals(identity) ? "identity" : d.authorizedBy().toHex());
            o.put("revoked", d.revoked());
            list.add(o);
        }
        Map<String, Object> doc = Json.object();
        doc.put("id", did());
        doc.put("devices", list);
        return Json.write(doc);
    }
}
