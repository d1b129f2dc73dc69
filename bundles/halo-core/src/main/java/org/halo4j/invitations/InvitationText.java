package org.halo4j.invitations;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import java.io.IOException;
import java.util.Base64;
import org.halo4j.keys.PublicKey;
import org.halo4j.proto.v1.Invitation;
import org.halo4j.proto.v1.InvitationAuth;
import org.halo4j.proto.v1.InvitationKind;

/**
 * The text form of an {@link Invitation}: {@value #PREFIX} followed by the base64url (no padding) of its
 * protobuf bytes. URL-safe, one word, short enough for a QR code. Decoding is strict and bounded: the text is at
 * most {@value #MAX_LENGTH} characters, the message has no unknown field and re-encodes to the same bytes, and
 * every key and length is checked.
 */
public final class InvitationText {

    public static final String PREFIX = "halo1";
    public static final int MAX_LENGTH = 2048;
    /** Addresses an invitation may carry. */
    public static final int MAX_ADDRESSES = 4;
    public static final int ID_LENGTH = 16;

    private InvitationText() {
    }

    public static String encode(Invitation invitation) {
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(invitation.toByteArray());
    }

    /** @throws InvitationException {@code invitation.malformed} with what is wrong, never echoing the text */
    public static Invitation decode(String text) throws InvitationException {
        String t = text == null ? "" : text.trim();
        if (t.length() > MAX_LENGTH) {
            throw malformed("it is longer than " + MAX_LENGTH + " characters");
        }
        if (!t.startsWith(PREFIX)) {
            throw malformed("it does not start with '" + PREFIX + "'");
        }
        byte[] bytes;
        try {
            bytes = Base64.getUrlDecoder().decode(t.substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw malformed("it is not base64url after '" + PREFIX + "' (cut short, or changed when copied?)");
        }
        Invitation inv;
        try {
            CodedInputStream in = CodedInputStream.newInstance(bytes);
            in.setRecursionLimit(4);
            inv = Invitation.parseFrom(in);
            in.checkLastTagWas(0);
        } catch (IOException | RuntimeException e) {
            throw malformed("its bytes are not an invitation (cut short, or changed when copied?)");
        }
        if (!inv.getUnknownFields().asMap().isEmpty() || !ByteString.copyFrom(bytes).equals(inv.toByteString())) {
            throw malformed("it has fields this version does not know, or is not in canonical form");
        }
        check(inv);
        return inv;
    }

    private static void check(Invitation inv) throws InvitationException {
        if (inv.getInvitationId().size() != ID_LENGTH) {
            throw malformed("its id is not " + ID_LENGTH + " bytes");
        }
        if (inv.getKind() != InvitationKind.INVITATION_KIND_SPACE && inv.getKind() != InvitationKind.INVITATION_KIND_DEVICE) {
            throw malformed("it is neither a space nor a device invitation");
        }
        key(inv.getHostDevice(), "host device");
        key(inv.getHostIdentity(), "host identity");
        if (inv.getKind() == InvitationKind.INVITATION_KIND_SPACE) {
            key(inv.getSpaceKey(), "space key");
        } else if (!inv.getSpaceKey().isEmpty()) {
            throw malformed("a device invitation names a space");
        }
        if (inv.getSpaceName().length() > 256) {
            throw malformed("its space name is longer than 256 characters");
        }
        if (inv.getAddressesCount() == 0 || inv.getAddressesCount() > MAX_ADDRESSES) {
            throw malformed("it has no address, or more than " + MAX_ADDRESSES);
        }
        for (String a : inv.getAddressesList()) {
            if (a.length() > 256 || !(a.startsWith("ws://") || a.startsWith("wss://"))) {
                throw malformed("an address is not ws://HOST:PORT");
            }
        }
        if (!inv.getTopic().isEmpty() && inv.getTopic().size() != 32) {
            throw malformed("its relay topic is not 32 bytes");
        }
        switch (inv.getAuth()) {
            case INVITATION_AUTH_SHARED_SECRET, INVITATION_AUTH_NONE -> {
                if (!inv.getGuestKey().isEmpty()) {
                    throw malformed("it names a guest key without the known-key method");
                }
            }
            case INVITATION_AUTH_KNOWN_KEY -> key(inv.getGuestKey(), "guest key");
            default -> throw malformed("its way of authenticating the guest is unknown");
        }
        if (inv.getExpiresAt() <= 0) {
            throw malformed("it has no expiry");
        }
    }

    private static void key(ByteString b, String what) throws InvitationException {
        if (b.size() != PublicKey.LENGTH) {
            throw malformed("its " + what + " is not a key");
        }
    }

    private static InvitationException malformed(String why) {
        return new InvitationException("invitation.malformed", "this is not a halo invitation: " + why);
    }
}
