package org.halo4j.cli;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Timestamp;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import org.halo4j.keys.PublicKey;
import org.halo4j.proto.v1.DeviceScope;
import org.halo4j.proto.v1.SpaceRole;

/**
 * The one way {@code halo} writes keys, identities, roles and times, in text and in JSON alike: identities (an
 * issuer, a member, the subject of a SpaceMember) as {@code did:key:z6Mk…}; device keys, feed keys, space keys,
 * credential and space ids as lowercase hex; roles and scopes by their short names ({@code EDITOR}, not {@code SPACE_ROLE_EDITOR}); times
 * as ISO-8601 UTC instants.
 */
final class Format {

    private static final HexFormat HEX = HexFormat.of();

    private Format() {
    }

    /** An identity as its did:key. */
    static String did(PublicKey identity) {
        return identity.toDidKey();
    }

    /** Identity bytes from a message as a did:key; bytes that are not a 32-byte key in hex, as they are. */
    static String did(ByteString bytes) {
        return bytes.size() == PublicKey.LENGTH ? PublicKey.of(bytes.toByteArray()).toDidKey() : hex(bytes);
    }

    /** Credential types whose subject is a device, a feed or a space key, not an identity. */
    private static final java.util.Set<String> KEY_SUBJECTS =
            java.util.Set.of("SpaceGenesis", "AuthorizedDevice", "DeviceRevoked", "DeviceProfile", "AdmittedFeed");

    /** A credential's subject: in hex where it is a device, feed or space key (by {@code type}), else a did:key. */
    static String subject(String type, PublicKey subject) {
        return KEY_SUBJECTS.contains(type) ? key(subject) : did(subject);
    }

    /** As {@link #subject(String, PublicKey)}, from a message's bytes. */
    static String subject(String type, ByteString subject) {
        return KEY_SUBJECTS.contains(type) || subject.size() != PublicKey.LENGTH ? hex(subject) : did(subject);
    }

    /** A device or feed key in hex. */
    static String key(PublicKey key) {
        return key.toHex();
    }

    static String hex(ByteString bytes) {
        return HEX.formatHex(bytes.toByteArray());
    }

    static String hex(byte[] bytes) {
        return HEX.formatHex(bytes);
    }

    /** OWNER, ADMIN, EDITOR, READER or REMOVED. */
    static String role(SpaceRole role) {
        return enumValue(role.getValueDescriptor());
    }

    /** The role, or "-" for none. */
    static String role(Optional<SpaceRole> role) {
        return role.map(Format::role).orElse("-");
    }

    /** ADMIN, … : the scope's short name. */
    static String scope(DeviceScope scope) {
        return enumValue(scope.getValueDescriptor());
    }

    /**
     * An enum value without its type's prefix, which protobuf style puts on every value ({@code SPACE_ROLE_} of
     * {@code SpaceRole}, {@code DEVICE_SCOPE_} of {@code DeviceScope}).
     */
    static String enumValue(EnumValueDescriptor value) {
        String prefix = upperSnake(value.getType().getName()) + "_";
        String name = value.getName();
        return name.startsWith(prefix) && name.length() > prefix.length() ? name.substring(prefix.length()) : name;
    }

    private static String upperSnake(String camel) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < camel.length(); i++) {
            char c = camel.charAt(i);
            if (Character.isUpperCase(c) && i > 0) {
                b.append('_');
            }
            b.append(c);
        }
        return b.toString().toUpperCase(Locale.ROOT);
    }

    /** A protobuf time as an ISO-8601 instant, or a note that it is out of range. */
    static String time(Timestamp t) {
        try {
            return Instant.ofEpochSecond(t.getSeconds(), t.getNanos()).toString();
        } catch (DateTimeException | ArithmeticException e) {
            return "invalid (" + t.getSeconds() + "s)";
        }
    }

    static String time(Instant t) {
        return t.toString();
    }
}
