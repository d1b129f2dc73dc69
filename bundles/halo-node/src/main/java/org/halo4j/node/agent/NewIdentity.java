package org.halo4j.node.agent;

import org.halo4j.keys.RecoveryPhrase;

/**
 * A just-created identity: its DID and its recovery phrase, which the caller shows to the person once and
 * then closes. The phrase also stays encrypted in the keyring until the backup is confirmed.
 */
public record NewIdentity(String did, RecoveryPhrase phrase) {
}
