package org.halo4j.credentials;

import org.halo4j.errors.RejectionCode;
import com.google.protobuf.Any;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.halo4j.internal.wire.StrictDecoder;
import org.halo4j.proto.v1.AdmittedFeed;
import org.halo4j.proto.v1.AllDevicesRevoked;
import org.halo4j.proto.v1.AuthorizedDevice;
import org.halo4j.proto.v1.Contact;
import org.halo4j.proto.v1.DeviceProfile;
import org.halo4j.proto.v1.DeviceRevoked;
import org.halo4j.proto.v1.IdentityProfile;
import org.halo4j.proto.v1.InvitationDelegated;
import org.halo4j.proto.v1.MembershipClaim;
import org.halo4j.proto.v1.MemberProfile;
import org.halo4j.proto.v1.SpaceGenesis;
import org.halo4j.proto.v1.SpaceMember;

/**
 * The one registry of assertion types: type URL {@code type.googleapis.com/halo.v1.<Type>} to message and
 * back. An assertion whose URL is not here is rejected; its bytes are parsed strictly as the type the URL
 * names, and never as any other.
 */
public final class Assertions {

    /** Prefix of every assertion's type URL. */
    public static final String TYPE_URL_PREFIX = "type.googleapis.com/";

    private record Kind(Class<? extends Message> type, Parser<? extends Message> parser, String url) {
    }

    private static final Map<String, Kind> BY_URL = new LinkedHashMap<>();
    private static final Map<Class<? extends Message>, Kind> BY_TYPE = new LinkedHashMap<>();

    static {
        register(SpaceGenesis.class, SpaceGenesis.parser(), SpaceGenesis.getDescriptor().getFullName());
        register(SpaceMember.class, SpaceMember.parser(), SpaceMember.getDescriptor().getFullName());
        register(AuthorizedDevice.class, AuthorizedDevice.parser(), AuthorizedDevice.getDescriptor().getFullName());
        register(DeviceRevoked.class, DeviceRevoked.parser(), DeviceRevoked.getDescriptor().getFullName());
        register(AllDevicesRevoked.class, AllDevicesRevoked.parser(), AllDevicesRevoked.getDescriptor().getFullName());
        register(AdmittedFeed.class, AdmittedFeed.parser(), AdmittedFeed.getDescriptor().getFullName());
        register(IdentityProfile.class, IdentityProfile.parser(), IdentityProfile.getDescriptor().getFullName());
        register(DeviceProfile.class, DeviceProfile.parser(), DeviceProfile.getDescriptor().getFullName());
        register(MemberProfile.class, MemberProfile.parser(), MemberProfile.getDescriptor().getFullName());
        register(Contact.class, Contact.parser(), Contact.getDescriptor().getFullName());
        register(InvitationDelegated.class, InvitationDelegated.parser(), InvitationDelegated.getDescriptor().getFullName());
        register(MembershipClaim.class, MembershipClaim.parser(), MembershipClaim.getDescriptor().getFullName());
    }

    private static void register(Class<? extends Message> type, Parser<? extends Message> parser, String fullName) {
        Kind k = new Kind(type, parser, TYPE_URL_PREFIX + fullName);
        BY_URL.put(k.url(), k);
        BY_TYPE.put(type, k);
    }

    private Assertions() {
    }

    /** Every assertion type halo4j knows. */
    public static Set<Class<? extends Message>> types() {
        return Set.copyOf(BY_TYPE.keySet());
    }

    /**
     * The type URL of an assertion type.
     *
     * @throws IllegalArgumentException if {@code type} is not a HALO assertion
     */
    public static String typeUrl(Class<? extends Message> type) {
        Kind k = BY_TYPE.get(type);
        if (k == null) {
            throw new IllegalArgumentException(type.getName() + " is not a HALO assertion type");
        }
        return k.url();
    }

    /** Packs an assertion into an {@code Any} with its HALO type URL. */
    public static Any pack(Message assertion) {
        return Any.newBuilder().setTypeUrl(typeUrl(assertion.getClass())).setValue(assertion.toByteString()).build();
    }

    /**
     * Unpacks an assertion strictly: a known type URL, bytes parsed as exactly that type, no unknown
     * fields, canonical encoding.
     */
    static Message unpack(Any any) throws MalformedCredentialException, LimitExceededException {
        Kind k = BY_URL.get(any.getTypeUrl());
        if (k == null) {
            throw new MalformedCredentialException(RejectionCode.UNKNOWN_ASSERTION_TYPE,
                    "assertion type '" + abbreviate(any.getTypeUrl()) + "' is not a HALO assertion");
        }
        return StrictDecoder.parse(k.parser(), any.getValue(), "assertion " + k.type().getSimpleName());
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "…";
    }
}
