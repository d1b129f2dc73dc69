package org.halo4j.credentials;

import java.time.Instant;
import java.util.Optional;
import org.halo4j.keys.Keyring;
import org.halo4j.keys.KeyringException;
import org.halo4j.keys.PublicKey;
import org.halo4j.keys.SignatureDomain;
import org.halo4j.proto.v1.AuthorizedDevice;
import org.halo4j.proto.v1.Credential;
import org.halo4j.proto.v1.DeviceScope;

/**
 * Device delegation (DESIGN §2): a new device countersigns its own authorization, so nobody can claim
 * someone else's device; an identity (or one of its ADMIN devices) then issues AuthorizedDevice.
 */
public final class DeviceAuthorizations {

    private DeviceAuthorizations() {
    }

    /**
     * The device's consent: its signature over {@code halo/device-consent/v1 || 0x00 || identity || device}.
     * Made on the new device, with its own keyring.
     */
    public static byte[] consent(Keyring deviceKeyring, PublicKey device, PublicKey identity) throws KeyringException {
        return deviceKeyring.sign(device, SignatureDomain.DEVICE_CONSENT, consentPayload(identity, device));
    }

    /** True if {@code consent} is {@code device}'s valid consent to act for {@code identity}. */
    public static boolean isValidConsent(byte[] consent, PublicKey device, PublicKey identity) {
        return org.halo4j.keys.Ed25519.verify(device, SignatureDomain.DEVICE_CONSENT, consentPayload(identity, device), consent);
    }

    static byte[] consentPayload(PublicKey identity, PublicKey device) {
        byte[] payload = new byte[2 * PublicKey.LENGTH];
        identity.copyTo(payload, 0);
        device.copyTo(payload, PublicKey.LENGTH);
        return payload;
    }

    /**
     * Issues AuthorizedDevice (signer's identity → {@code device}) with {@code scope}.
     *
     * @param signer  the identity key, or an ADMIN device of the identity
     * @param consent the device's signature from {@link #consent}
     */
    public static Credential authorize(Signer signer, PublicKey device, DeviceScope scope, byte[] consent,
                                       Optional<Instant> expiresAt) throws KeyringException {
        if (!isValidConsent(consent, device, signer.issuer())) {
            throw new IllegalArgumentException("the consent is not device " + device.shortId()
                    + "'s signature for identity " + signer.issuer().shortId());
        }
        AuthorizedDevice assertion = AuthorizedDevice.newBuilder()
                .setScope(scope)
                .setDeviceConsent(com.google.protobuf.ByteString.copyFrom(consent))
                .build();
        Credentials.Builder b = Credentials.issue(signer).subject(device).assertion(assertion);
        expiresAt.ifPresent(b::expiresAt);
        return b.sign();
    }
}
