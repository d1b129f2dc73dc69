package org.halo4j.spaces;

import java.util.Optional;
import org.halo4j.credentials.CredentialId;
import org.halo4j.keys.PublicKey;

/**
 * A credential that was not applied, kept for audit (DESIGN §4 rule 6).
 *
 * @param credential the credential's id, when it could be computed
 * @param feed       the feed it stands in (its first position)
 * @param seq        its position there
 * @param reason     why
 * @param detail     what was expected and what was found
 */
public record Refusal(Optional<CredentialId> credential, PublicKey feed, long seq, RefusalReason reason, String detail) {
}
