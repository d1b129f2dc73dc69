package org.halo4j.node.invitations;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Arrays;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.agreement.X25519Agreement;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.modes.ChaCha20Poly1305;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.HKDFParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.X25519PublicKeyParameters;
import org.halo4j.credentials.CredentialVerifier;
import org.halo4j.credentials.VerifiedCredential;
import org.halo4j.errors.HaloRejectedException;
import org.halo4j.invitations.InvitationException;
import org.halo4j.keys.PublicKey;
import org.halo4j.keys.X25519;
import org.halo4j.net.RemotePeer;
import org.halo4j.node.agent.AgentException;
import org.halo4j.proto.v1.Credential;
import org.halo4j.proto.v1.DelegatedInvitation;
import org.halo4j.proto.v1.Invitation;
import org.halo4j.proto.v1.InvitationDelegated;
import org.halo4j.proto.v1.InvitationKind;
import org.halo4j.proto.v1.SealedInvitation;

/**
 * Handing an invitation over to another admin: the invitation and its code sealed to each of the delegate's
 * devices (so that the other members, who replicate the control feed too, cannot read the code), and the check a
 * guest makes of a host that is not the invitation's host device.
 *
 * <p>Sealing: X25519 between a fresh ephemeral key and the device's key agreement key (the X25519 form of its
 * Ed25519 key, DESIGN §3); HKDF-SHA256 over the shared secret, salted with both public keys, info
 * {@code halo/invitation-delegation/v1}; ChaCha20-Poly1305 under that single-use key with a zero nonce and the
 * invitation id, the space key and the device key as associated data.
 */
public final class Delegations {

    private static final byte[] INFO = "halo/invitation-delegation/v1".getBytes(StandardCharsets.US_ASCII);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int TAG_BYTES = 16;

    /** Opens a sealed invitation with the device's key: X25519 of the device key with the ephemeral key. */
    @FunctionalInterface
    public interface KeyAgreement {
        byte[] agree(byte[] ephemeralX25519) throws AgentException;
    }

    private Delegations() {
    }

    /** Seals {@code plain} to {@code device}. */
    public static SealedInvitation seal(DelegatedInvitation plain, PublicKey device) {
        Invitation inv = plain.getInvitation();
        X25519PrivateKeyParameters ephemeral = new X25519PrivateKeyParameters(RANDOM);
        byte[] ephemeralPublic = ephemeral.generatePublicKey().getEncoded();
        byte[] devicePublic = X25519.publicKeyOf(device);
        X25519Agreement agreement = new X25519Agreement();
        agreement.init(ephemeral);
        byte[] shared = new byte[agreement.getAgreementSize()];
        agreement.calculateAgreement(new X25519PublicKeyParameters(devicePublic, 0), shared, 0);
        byte[] key = key(shared, ephemeralPublic, devicePublic);
        try {
            byte[] ciphertext = aead(true, key, ad(inv.getInvitationId(), inv.getSpaceKey(), device), plain.toByteArray());
            return SealedInvitation.newBuilder().setDeviceKey(ByteString.copyFrom(device.toBytes()))
                    .setEphemeral(ByteString.copyFrom(ephemeralPublic)).setCiphertext(ByteString.copyFrom(ciphertext))
                    .build();
        } catch (InvalidCipherTextException e) {
            throw new IllegalStateException("sealing cannot fail", e);
        } finally {
            Arrays.fill(shared, (byte) 0);
            Arrays.fill(key, (byte) 0);
        }
    }

    /**
     * Opens the part of {@code delegation} sealed to {@code device}, and checks that what it holds is the
     * invitation the delegation names.
     *
     * @throws InvitationException {@code invitation.not_sealed_here} if nothing is sealed to this device,
     *                             {@code invitation.sealed} if it does not open or is not that invitation
     */
    public static DelegatedInvitation open(InvitationDelegated delegation, PublicKey device, KeyAgreement agreement)
            throws InvitationException, AgentException {
        SealedInvitation sealed = delegation.getSealedList().stream()
                .filter(s -> device.matches(s.getDeviceKey().toByteArray())).findFirst()
                .orElseThrow(() -> new InvitationException("invitation.not_sealed_here", "the invitation was handed "
                        + "over to other devices of this identity: host it from one of them"));
        byte[] shared;
        try {
            shared = agreement.agree(sealed.getEphemeral().toByteArray());
        } catch (RuntimeException e) { // a low-order ephemeral key: made by the sealer to fail
            throw new InvitationException("invitation.sealed", "the sealed invitation's ephemeral key is not usable");
        }
        byte[] key = key(shared, sealed.getEphemeral().toByteArray(), X25519.publicKeyOf(device));
        try {
            byte[] plain = aead(false, key, ad(delegation.getInvitationId(), delegation.getSpaceKey(), device),
                    sealed.getCiphertext().toByteArray());
            DelegatedInvitation d = strict(plain);
            Invitation inv = d.getInvitation();
            if (!inv.getInvitationId().equals(delegation.getInvitationId()) || !inv.getSpaceKey().equals(delegation.getSpaceKey())
                    || inv.getKind() != InvitationKind.INVITATION_KIND_SPACE || inv.getExpiresAt() != delegation.getExpiresAt()) {
                throw new InvitationException("invitation.sealed", "the sealed invitation is not the one its hand-over names");
            }
            return d;
        } catch (InvalidCipherTextException e) {
            throw new InvitationException("invitation.sealed", "the sealed invitation does not open with this device's key");
        } finally {
            Arrays.fill(shared, (byte) 0);
            Arrays.fill(key, (byte) 0);
        }
    }

    /**
     * The guest's check of a host that is not the invitation's host device: {@code proof} must be an
     * {@code InvitationDelegated} for this invitation, signed by the invitation's host device for its identity,
     * handing it over to the identity the host proved in the channel.
     *
     * @throws InvitationException {@code invitation.host_mismatch} otherwise
     */
    public static void checkHost(Invitation inv, Credential proof, RemotePeer host, Clock clock)
            throws InvitationException {
        VerifiedCredential v;
        try {
            // the guest knows no revocation of the space yet: the hand-over is judged by its signature and chain
            v = CredentialVerifier.builder().ignoreRevocation().clock(clock).build()
                    .verify(proof.toByteArray(), InvitationDelegated.class);
        } catch (HaloRejectedException e) {
            throw mismatch("its hand-over does not verify: " + e.getMessage());
        }
        InvitationDelegated d = (InvitationDelegated) v.assertion();
        if (!v.signedBy().signer().matches(inv.getHostDevice().toByteArray())
                || !v.issuer().matches(inv.getHostIdentity().toByteArray())) {
            throw mismatch("its hand-over is not signed by the invitation's host");
        }
        if (!d.getInvitationId().equals(inv.getInvitationId()) || !d.getSpaceKey().equals(inv.getSpaceKey())) {
            throw mismatch("its hand-over is for another invitation");
        }
        if (host.identity().isEmpty() || !host.identity().get().equals(v.subject())) {
            throw mismatch("the invitation was handed over to another identity");
        }
    }

    private static InvitationException mismatch(String why) {
        return new InvitationException("invitation.host_mismatch", "the device that answered is not the invitation's "
                + "host, and " + why + ": nothing was sent to it");
    }

    private static DelegatedInvitation strict(byte[] bytes) throws InvitationException {
        try {
            CodedInputStream in = CodedInputStream.newInstance(bytes);
            in.setRecursionLimit(8);
            DelegatedInvitation d = DelegatedInvitation.parseFrom(in);
            if (!d.getUnknownFields().asMap().isEmpty() || !d.getInvitation().getUnknownFields().asMap().isEmpty()
                    || !Arrays.equals(d.toByteArray(), bytes)) {
                throw new InvitationException("invitation.sealed", "the sealed invitation is not in canonical form");
            }
            return d;
        } catch (IOException e) {
            throw new InvitationException("invitation.sealed", "the sealed invitation does not decode");
        }
    }

    private static byte[] key(byte[] shared, byte[] ephemeralPublic, byte[] devicePublic) {
        byte[] salt = new byte[64];
        System.arraycopy(ephemeralPublic, 0, salt, 0, 32);
        System.arraycopy(devicePublic, 0, salt, 32, 32);
        HKDFBytesGenerator g = new HKDFBytesGenerator(new SHA256Digest());
        g.init(new HKDFParameters(shared, salt, INFO));
        byte[] key = new byte[32];
        g.generateBytes(key, 0, key.length);
        return key;
    }

    private static byte[] ad(ByteString invitationId, ByteString spaceKey, PublicKey device) {
        return invitationId.concat(spaceKey).concat(ByteString.copyFrom(device.toBytes())).toByteArray();
    }

    private static byte[] aead(boolean encrypt, byte[] key, byte[] ad, byte[] in) throws InvalidCipherTextException {
        if (!encrypt && in.length < TAG_BYTES) {
            throw new InvalidCipherTextException("too short");
        }
        ChaCha20Poly1305 c = new ChaCha20Poly1305();
        c.init(encrypt, new AEADParameters(new KeyParameter(key), TAG_BYTES * 8, new byte[12], ad));
        byte[] out = new byte[c.getOutputSize(in.length)];
        int n = c.processBytes(in, 0, in.length, out, 0);
        c.doFinal(out, n);
        return out;
    }
}
