package org.halo4j.spaces;

import java.util.Optional;
import org.halo4j.credentials.CredentialId;
import org.halo4j.keys.PublicKey;
import org.halo4j.proto.v1.FeedDesignation;

/**
 * A feed admitted to a space.
 *
 * @param feed        the feed key
 * @param identity    the member it writes for (the space key for the genesis feed until it is admitted)
 * @param device      the device that writes it
 * @param designation CONTROL or DATA
 * @param admittedBy  the AdmittedFeed credential; empty for the genesis feed
 */
public record SpaceFeed(PublicKey feed, PublicKey identity, PublicKey device, FeedDesignation designation,
                        Optional<CredentialId> admittedBy) {
}
