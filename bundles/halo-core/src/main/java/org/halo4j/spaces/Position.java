package org.halo4j.spaces;

import java.util.List;
import java.util.Map;
import org.halo4j.keys.PublicKey;

/** A position of a credential in a control feed. */
record Position(PublicKey feed, long seq) {

    /** True if one of {@code positions} is at or before the last accepted position {@code until} records for its feed. */
    static boolean covered(List<Position> positions, Map<PublicKey, Long> until) {
        if (until.isEmpty()) {
            return false;
        }
        for (Position p : positions) {
            Long last = until.get(p.feed());
            if (last != null && p.seq() <= last) {
                return true;
            }
        }
        return false;
    }
}
