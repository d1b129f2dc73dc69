package org.halo4j.node.storage;

import java.util.Optional;
import org.halo4j.feeds.ForkProof;

/**
 * What {@link Feed#importEntries} did with replicated entries.
 *
 * @param appended   entries verified, linked and made durable
 * @param duplicates entries the feed already held (same body): nothing written
 * @param dropped    entries at or after the fork position of a forked feed: not stored, not served
 * @param fork       the feed's fork proof, if the feed is forked (found now or earlier)
 */
public record ImportResult(int appended, int duplicates, int dropped, Optional<ForkProof> fork) {
}
