package org.halo4j.node.agent;

import java.util.Optional;

/**
 * An identity in a wallet, read without unlocking its keyring.
 *
 * @param did             its did:key
 * @param name            its display name, if one was given
 * @param current         true for the identity commands act on
 * @param backupConfirmed false while its recovery phrase is still kept for showing
 * @param haloSynced      false after a recovery, until the HALO has arrived by replication
 */
public record IdentitySummary(String did, Optional<String> name, boolean current, boolean backupConfirmed,
                              boolean haloSynced) {
}
