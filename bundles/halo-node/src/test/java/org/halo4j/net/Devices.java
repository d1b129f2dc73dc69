package org.halo4j.net;

import com.google.protobuf.ByteString;
import java.util.Optional;
import org.halo4j.credentials.Credentials;
import org.halo4j.credentials.DeviceAuthorizations;
import org.halo4j.credentials.Signer;
import org.halo4j.keys.InMemoryKeyring;
import org.halo4j.keys.PublicKey;
import org.halo4j.proto.v1.AuthorizedDevice;
import org.halo4j.proto.v1.Credential;
import org.halo4j.proto.v1.DeviceScope;

/** Identities with one authorized device each, in memory: the two ends of the channels under test. */
final class Devices {

    private Devices() {
    }

    /** A fresh identity and its device, authorized (ADMIN) by the identity key. */
    static LocalDevice authorized() throws Exception {
        InMemoryKeyring keyring = new InMemoryKeyring();
        PublicKey identity = keyring.generate();
        PublicKey device = keyring.generate();
        byte[] consent = DeviceAuthorizations.consent(keyring, device, identity);
        Credential auth = Credentials.issue(Signer.of(keyring, identity)).subject(device)
                .assertion(AuthorizedDevice.newBuilder().setScope(DeviceScope.DEVICE_SCOPE_ADMIN)
                        .setDeviceConsent(ByteString.copyFrom(consent)).build())
                .sign();
        return new LocalDevice(keyring, device, Optional.of(identity), Optional.of(auth));
    }

    /** A device with no identity yet. */
    static LocalDevice unauthorized() throws Exception {
        InMemoryKeyring keyring = new InMemoryKeyring();
        return LocalDevice.unauthorized(keyring, keyring.generate());
    }
}
