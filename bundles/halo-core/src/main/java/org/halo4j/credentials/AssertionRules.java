package org.halo4j.credentials;

import org.halo4j.errors.HaloRejectedException;
import org.halo4j.errors.RejectionCode;
import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import com.google.protobuf.ProtocolMessageEnum;
import java.util.List;
import org.halo4j.keys.PublicKey;
import org.halo4j.proto.v1.AdmittedFeed;
import org.halo4j.proto.v1.AuthorizedDevice;
import org.halo4j.proto.v1.Contact;
import org.halo4j.proto.v1.CredentialBody;
import org.halo4j.proto.v1.DeviceProfile;
import org.halo4j.proto.v1.DeviceRevoked;
import org.halo4j.proto.v1.AllDevicesRevoked;
import org.halo4j.proto.v1.FeedPosition;
import org.halo4j.proto.v1.IdentityProfile;
import org.halo4j.proto.v1.InvitationDelegated;
import org.halo4j.proto.v1.MembershipClaim;
import org.halo4j.proto.v1.SealedInvitation;
import org.halo4j.proto.v1.MemberProfile;
import org.halo4j.proto.v1.Property;
import org.halo4j.proto.v1.SpaceGenesis;
import org.halo4j.proto.v1.SpaceMember;
import org.halo4j.proto.v1.SpaceRole;

/**
 * Structural rules of each assertion type, checked before any cryptography: lengths, enum ranges, profile
 * size, and "where an assertion names a key the body also names, they must be equal" (DESIGN §3).
 */
final class AssertionRules {

    /** Longest display name or platform, in UTF-8 bytes. */
    static final int MAX_NAME_BYTES = 256;
    /** Longest revocation reason, in UTF-8 bytes. */
    static final int MAX_REASON_BYTES = 1024;
    /** Length of an invitation id. */
    static final int INVITATION_ID_BYTES = 16;
    /** Most devices an invitation is sealed to in one delegation. */
    static final int MAX_SEALED = 16;
    /** Longest sealed invitation, in bytes: 16 of them still fit in one credential. */
    static final int MAX_SEALED_BYTES = 3072;
    /** Evidence credentials a MembershipClaim carries: the genesis and up to 7 grants. */
    static final int MAX_CLAIM_EVIDENCE = 8;
    /** Size of one evidence credential of a MembershipClaim. */
    static final int MAX_EVIDENCE_BYTES = 4096;

    private AssertionRules() {
    }

    static void check(Message assertion, CredentialBody body) throws HaloRejectedException {
        if (assertion instanceof SpaceGenesis g) {
            key(g.getSpaceKey(), "SpaceGenesis.space_key");
            same(g.getSpaceKey(), body.getIssuer(), "SpaceGenesis.space_key", "issuer");
            same(g.getSpaceKey(), body.getSubject(), "SpaceGenesis.space_key", "subject");
            text(g.getNameBytes(), "SpaceGenesis.name");
        } else if (assertion instanceof SpaceMember m) {
            key(m.getSpaceKey(), "SpaceMember.space_key");
            known(m.getRole(), m.getRoleValue(), "SpaceMember.role");
            positions(m.getAcceptedUntilList(), "SpaceMember.accepted_until");
            if (m.hasProfile()) {
                same(m.getProfile().getSpaceKey(), m.getSpaceKey(), "SpaceMember.profile.space_key", "SpaceMember.space_key");
                memberProfile(m.getProfile());
            }
        } else if (assertion instanceof AuthorizedDevice d) {
            known(d.getScope(), d.getScopeValue(), "AuthorizedDevice.scope");
            length(d.getDeviceConsent(), 64, "AuthorizedDevice.device_consent");
            if (body.getIssuer().equals(body.getSubject())) {
                throw new MalformedCredentialException(RejectionCode.KEY_MISMATCH,
                        "AuthorizedDevice: an identity cannot be its own device");
            }
        } else if (assertion instanceof DeviceRevoked r) {
            positions(r.getAcceptedUntilList(), "DeviceRevoked.accepted_until");
            if (r.getKeptAuthorizationsCount() > Limits.MAX_REVOKED_FEED_POSITIONS) {
                throw new LimitExceededException(RejectionCode.LIMIT_LIST, "DeviceRevoked keeps " + r.getKeptAuthorizationsCount()
                        + " authorizations; the limit is " + Limits.MAX_REVOKED_FEED_POSITIONS);
            }
            for (ByteString id : r.getKeptAuthorizationsList()) {
                length(id, CredentialId.LENGTH, "DeviceRevoked.kept_authorizations");
            }
            bytes(r.getReasonBytes(), MAX_REASON_BYTES, "DeviceRevoked.reason");
            if (body.getIssuer().equals(body.getSubject())) {
                throw new MalformedCredentialException(RejectionCode.KEY_MISMATCH,
                        "DeviceRevoked: an identity cannot revoke itself as a device");
            }
        } else if (assertion instanceof AllDevicesRevoked r) {
            if (r.getKeptDevicesCount() > Limits.MAX_REVOKED_FEED_POSITIONS) {
                throw new LimitExceededException(RejectionCode.LIMIT_LIST, "AllDevicesRevoked keeps "
                        + r.getKeptDevicesCount() + " devices; the limit is " + Limits.MAX_REVOKED_FEED_POSITIONS);
            }
            for (ByteString device : r.getKeptDevicesList()) {
                key(device, "AllDevicesRevoked.kept_devices");
            }
            bytes(r.getReasonBytes(), MAX_REASON_BYTES, "AllDevicesRevoked.reason");
            same(body.getIssuer(), body.getSubject(), "AllDevicesRevoked issuer", "subject");
        } else if (assertion instanceof AdmittedFeed f) {
            key(f.getSpaceKey(), "AdmittedFeed.space_key");
            key(f.getIdentityKey(), "AdmittedFeed.identity_key");
            key(f.getDeviceKey(), "AdmittedFeed.device_key");
            known(f.getDesignation(), f.getDesignationValue(), "AdmittedFeed.designation");
            length(f.getFeedSignature(), 64, "AdmittedFeed.feed_signature");
        } else if (assertion instanceof IdentityProfile p) {
            profileSize(p, "IdentityProfile");
            same(body.getIssuer(), body.getSubject(), "IdentityProfile subject", "issuer");
            text(p.getDisplayNameBytes(), "IdentityProfile.display_name");
            properties(p.getPropertiesList(), "IdentityProfile");
        } else if (assertion instanceof DeviceProfile p) {
            profileSize(p, "DeviceProfile");
            text(p.getDisplayNameBytes(), "DeviceProfile.display_name");
            text(p.getPlatformBytes(), "DeviceProfile.platform");
        } else if (assertion instanceof MemberProfile p) {
            same(body.getIssuer(), body.getSubject(), "MemberProfile subject", "issuer");
            memberProfile(p);
        } else if (assertion instanceof Contact c) {
            profileSize(c, "Contact");
            text(c.getDisplayNameBytes(), "Contact.display_name");
            if (c.hasCachedProfile()) {
                properties(c.getCachedProfile().getPropertiesList(), "Contact.cached_profile");
            }
        } else if (assertion instanceof InvitationDelegated d) {
            key(d.getSpaceKey(), "InvitationDelegated.space_key");
            length(d.getInvitationId(), INVITATION_ID_BYTES, "InvitationDelegated.invitation_id");
            known(d.getRole(), d.getRoleValue(), "InvitationDelegated.role");
            if (d.getRole() == SpaceRole.SPACE_ROLE_REMOVED) {
                throw new MalformedCredentialException(RejectionCode.INVALID_FIELD, "InvitationDelegated.role cannot be REMOVED");
            }
            if (d.getSealedCount() == 0 || d.getSealedCount() > MAX_SEALED) {
                throw new LimitExceededException(RejectionCode.LIMIT_LIST, "InvitationDelegated is sealed to "
                        + d.getSealedCount() + " devices; it must be 1 to " + MAX_SEALED);
            }
            java.util.Set<ByteString> devices = new java.util.HashSet<>();
            for (SealedInvitation sealed : d.getSealedList()) {
                key(sealed.getDeviceKey(), "SealedInvitation.device_key");
                length(sealed.getEphemeral(), 32, "SealedInvitation.ephemeral");
                if (sealed.getCiphertext().size() < 16 || sealed.getCiphertext().size() > MAX_SEALED_BYTES) {
                    throw new MalformedCredentialException(RejectionCode.INVALID_FIELD, "SealedInvitation.ciphertext is "
                            + sealed.getCiphertext().size() + " bytes; it must be 16 to " + MAX_SEALED_BYTES);
                }
                if (!devices.add(sealed.getDeviceKey())) {
                    throw new MalformedCredentialException(RejectionCode.INVALID_FIELD,
                            "InvitationDelegated seals to one device twice");
                }
            }
        } else if (assertion instanceof MembershipClaim m) {
            key(m.getSpaceKey(), "MembershipClaim.space_key");
            known(m.getRole(), m.getRoleValue(), "MembershipClaim.role");
            if (m.getRole() == SpaceRole.SPACE_ROLE_REMOVED) {
                throw new MalformedCredentialException(RejectionCode.INVALID_FIELD, "MembershipClaim.role cannot be REMOVED");
            }
            key(m.getDevice(), "MembershipClaim.device");
            if (m.getEvidenceCount() < 2 || m.getEvidenceCount() > MAX_CLAIM_EVIDENCE) {
                throw new LimitExceededException(RejectionCode.LIMIT_LIST, "MembershipClaim carries "
                        + m.getEvidenceCount() + " evidence credentials; it must be 2 to " + MAX_CLAIM_EVIDENCE);
            }
            for (ByteString e : m.getEvidenceList()) {
                if (e.size() > MAX_EVIDENCE_BYTES) {
                    throw new LimitExceededException(RejectionCode.LIMIT_MESSAGE_SIZE, "a MembershipClaim evidence credential is "
                            + e.size() + " bytes; the limit is " + MAX_EVIDENCE_BYTES);
                }
            }
        } else {
            throw new MalformedCredentialException(RejectionCode.UNKNOWN_ASSERTION_TYPE,
                    "no rules for assertion type " + assertion.getDescriptorForType().getFullName());
        }
    }

    /** Feed positions: bounded in number, one per feed, each naming a 32-byte feed key. */
    private static void positions(List<FeedPosition> positions, String what) throws HaloRejectedException {
        if (positions.size() > Limits.MAX_REVOKED_FEED_POSITIONS) {
            throw new LimitExceededException(RejectionCode.LIMIT_LIST, what + " lists " + positions.size()
                    + " feed positions; the limit is " + Limits.MAX_REVOKED_FEED_POSITIONS);
        }
        java.util.Set<ByteString> feeds = new java.util.HashSet<>();
        for (FeedPosition p : positions) {
            key(p.getFeedKey(), what + ".feed_key");
            if (!feeds.add(p.getFeedKey())) {
                throw new MalformedCredentialException(RejectionCode.INVALID_FIELD, what + " names one feed twice");
            }
        }
    }

    private static void memberProfile(MemberProfile p) throws HaloRejectedException {
        profileSize(p, "MemberProfile");
        key(p.getSpaceKey(), "MemberProfile.space_key");
        text(p.getDisplayNameBytes(), "MemberProfile.display_name");
        properties(p.getPropertiesList(), "MemberProfile");
    }

    private static void profileSize(Message m, String what) throws LimitExceededException {
        int size = m.getSerializedSize();
        if (size > Limits.MAX_PROFILE_BYTES) {
            throw new LimitExceededException(RejectionCode.LIMIT_PROFILE_SIZE,
                    what + " is " + size + " bytes; the limit is " + Limits.MAX_PROFILE_BYTES);
        }
    }

    /** Property keys: non-empty, unique, sorted by UTF-8 bytes, so one profile has one encoding. */
    private static void properties(List<Property> props, String what) throws MalformedCredentialException {
        ByteString previous = null;
        for (Property p : props) {
            ByteString k = p.getKeyBytes();
            if (k.isEmpty()) {
                throw new MalformedCredentialException(RejectionCode.INVALID_FIELD, what + ": a property has an empty key");
            }
            if (previous != null && ByteString.unsignedLexicographicalComparator().compare(previous, k) >= 0) {
                throw new MalformedCredentialException(RejectionCode.INVALID_FIELD,
                        what + ": property keys must be unique and sorted");
            }
            previous = k;
        }
    }

    private static void key(ByteString k, String what) throws MalformedCredentialException {
        length(k, PublicKey.LENGTH, what);
    }

    private static void length(ByteString b, int expected, String what) throws MalformedCredentialException {
        if (b.size() != expected) {
            throw new MalformedCredentialException(RejectionCode.INVALID_FIELD,
                    what + " must be " + expected + " bytes, found " + b.size());
        }
    }

    private static void same(ByteString a, ByteString b, String aName, String bName) throws MalformedCredentialException {
        if (!a.equals(b)) {
            throw new MalformedCredentialException(RejectionCode.KEY_MISMATCH, aName + " must equal the body's " + bName);
        }
    }

    private static void text(ByteString utf8, String what) throws MalformedCredentialException {
        bytes(utf8, MAX_NAME_BYTES, what);
    }

    private static void bytes(ByteString utf8, int max, String what) throws MalformedCredentialException {
        if (utf8.size() > max) {
            throw new MalformedCredentialException(RejectionCode.INVALID_FIELD,
                    what + " is " + utf8.size() + " bytes; the limit is " + max);
        }
    }

    private static void known(ProtocolMessageEnum value, int number, String what) throws MalformedCredentialException {
        if (number == 0 || "UNRECOGNIZED".equals(((Enum<?>) value).name())) {
            throw new MalformedCredentialException(RejectionCode.INVALID_FIELD, what + " has no known value (" + number + ")");
        }
    }
}
