package org.halo4j.credentials;

import org.halo4j.errors.HaloRejectedException;
import org.halo4j.errors.RejectionCode;
import org.halo4j.keys.PublicKey;

/** A device on the signer's chain was revoked by its identity. */
public class DeviceRevokedException extends HaloRejectedException {

    private static final long serialVersionUID = 1L;

    private final transient PublicKey deviceKey;

    public DeviceRevokedException(PublicKey deviceKey, PublicKey identity) {
        super(RejectionCode.DEVICE_REVOKED, "device " + deviceKey.shortId() + " of identity " + identity.shortId()
                + " was revoked");
        this.deviceKey = deviceKey;
    }

    /** The revoked device. */
    public PublicKey deviceKey() {
        return deviceKey;
    }
}
