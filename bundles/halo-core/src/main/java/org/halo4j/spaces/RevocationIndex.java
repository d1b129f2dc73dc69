package org.halo4j.spaces;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.halo4j.credentials.CredentialId;
import org.halo4j.keys.PublicKey;

/**
 * The device revocations of a space, indexed by identity and device, with every revocation of one device
 * merged into one cut-off: a credential of the device stays accepted only if every revocation of it accepts it
 * (the lowest recorded position per feed; a feed one of them does not name is cut entirely), and an
 * authorization the device made stays only if every revocation keeps it. Replay and the login path
 * ({@link SpaceState} as a {@code DeviceStatus}) ask this one index, so they apply one rule.
 */
final class RevocationIndex {

    /** The merged cut-off of one device. */
    static final class Cut {
        private final List<DeviceRevocation> revocations = new ArrayList<>(1);
        private Map<PublicKey, Long> acceptedUntil;
        private Set<CredentialId> kept;

        /** Per feed of the device, the last accepted position; a feed not named is cut from its start. */
        Map<PublicKey, Long> acceptedUntil() {
            return acceptedUntil;
        }

        /** True if every revocation of the device keeps {@code authorization} as made before it. */
        boolean keeps(CredentialId authorization) {
            return kept.contains(authorization);
        }

        /** The revocation that made this cut first. */
        DeviceRevocation first() {
            return revocations.get(0);
        }
    }

    private final Map<PublicKey, Map<PublicKey, Cut>> cuts = new HashMap<>();
    private final Map<PublicKey, List<RecoveryRevocation>> recoveries = new HashMap<>();
    private final List<DeviceRevocation> applied = new ArrayList<>();

    /** The cut-off of {@code device} of {@code identity}, or null if it is not revoked. */
    Cut cutOf(PublicKey identity, PublicKey device) {
        Map<PublicKey, Cut> of = cuts.get(identity);
        return of == null ? null : of.get(device);
    }

    /**
     * True if {@code r} would cut more than the revocations already applied to its device: a lower position in a
     * feed, a feed no longer named, or an authorization no longer kept. A revocation that changes nothing is
     * refused, so a flood of them counts toward the feed's refusal cap.
     */
    boolean changes(DeviceRevocation r) {
        Cut c = cutOf(r.identity(), r.device());
        if (c == null) {
            return true;
        }
        for (Map.Entry<PublicKey, Long> e : c.acceptedUntil.entrySet()) {
            Long mine = r.acceptedUntil().get(e.getKey());
            if (mine == null || mine < e.getValue()) {
                return true;
            }
        }
        return !r.keptAuthorizations().containsAll(c.kept);
    }

    /** Adds {@code r}, narrowing the device's cut-off. */
    void add(DeviceRevocation r) {
        Cut c = cuts.computeIfAbsent(r.identity(), k -> new HashMap<>()).get(r.device());
        if (c == null) {
            c = new Cut();
            c.acceptedUntil = new HashMap<>(r.acceptedUntil());
            c.kept = new HashSet<>(r.keptAuthorizations());
            cuts.get(r.identity()).put(r.device(), c);
        } else {
            Map<PublicKey, Long> narrowed = new HashMap<>();
            for (Map.Entry<PublicKey, Long> e : c.acceptedUntil.entrySet()) {
                Long mine = r.acceptedUntil().get(e.getKey());
                if (mine != null) {
                    narrowed.put(e.getKey(), Math.min(mine, e.getValue()));
                }
            }
            c.acceptedUntil = narrowed;
            c.kept.retainAll(r.keptAuthorizations());
        }
        c.revocations.add(r);
        applied.add(r);
    }

    /** A copy that later additions to this index do not change. */
    RevocationIndex copy() {
        RevocationIndex c = new RevocationIndex();
        for (DeviceRevocation r : applied) {
            c.add(r);
        }
        recoveries.forEach((identity, list) -> c.recoveries.put(identity, new ArrayList<>(list)));
        return c;
    }

    /** Every applied revocation, in the order applied. */
    List<DeviceRevocation> applied() {
        return applied;
    }

    boolean isRevoked(PublicKey identity, PublicKey device) {
        return cutOf(identity, device) != null;
    }

    boolean keepsAuthorization(PublicKey identity, PublicKey issuingDevice, CredentialId authorization) {
        Cut c = cutOf(identity, issuingDevice);
        return c == null || c.keeps(authorization);
    }

    /** Records a recovery's revocation of every other device of its identity. */
    void addRecovery(RecoveryRevocation r) {
        recoveries.computeIfAbsent(r.identity(), k -> new ArrayList<>(1)).add(r);
    }

    /** True if a recovery of {@code identity} revoked {@code rootDevice}, authorized by the identity at {@code authorizedAt}. */
    boolean revokedByRecovery(PublicKey identity, PublicKey rootDevice, java.time.Instant authorizedAt) {
        for (RecoveryRevocation r : recoveries.getOrDefault(identity, List.of())) {
            if (r.revokes(identity, rootDevice, authorizedAt)) {
                return true;
            }
        }
        return false;
    }
}
