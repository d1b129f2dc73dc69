package org.halo4j.identity;

import org.halo4j.keys.PublicKey;

/**
 * A member of the identity's circle.
 *
 * @param identity the contact's identity key
 * @param name     the name the identity gave it (empty if none)
 * @param explicit true for a Contact credential in the HALO; false for a member of a shared space
 */
public record ContactInfo(PublicKey identity, String name, boolean explicit) {

    /** The contact's did:key. */
    public String did() {
        return identity.toDidKey();
    }
}
