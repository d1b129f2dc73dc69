package org.halo4j.spaces;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.halo4j.credentials.CredentialVerifier;
import org.halo4j.keys.PublicKey;
import org.halo4j.proto.v1.SpaceRole;

/**
 * Answers "is identity X a member of space S, with which role?" from replayed state (DESIGN §6), and notifies
 * listeners when a role changes. Entries arrive in any order. Each batch is evaluated on top of the state so far
 * when that is sure to give what a replay of the whole set gives (the common case: new members, new content);
 * otherwise — a late entry that changes the past — the whole space is replayed. Either way the answer is the
 * state of the whole set. Thread-safe; listeners are called on the thread that added the entries, after the
 * state changed.
 */
public final class SpaceMembership {

    /** Told about every identity whose role changed, with the role before and after (empty: none). */
    @FunctionalInterface
    public interface Listener {
        void roleChanged(PublicKey spaceKey, PublicKey identity, Optional<SpaceRole> before, Optional<SpaceRole> after);
    }

    private final PublicKey spaceKey;
    private final SpaceReplay.Live live;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();

    public SpaceMembership(PublicKey spaceKey, CredentialVerifier verifier) {
        this.spaceKey = Objects.requireNonNull(spaceKey);
        this.live = new SpaceReplay.Live(spaceKey, Objects.requireNonNull(verifier));
    }

    /** Adds entries from the space's control feeds; listeners hear of every role that changed. */
    public void add(Collection<SpaceEntry> newEntries) {
        List<Runnable> notices = new ArrayList<>();
        synchronized (this) {
            Map<PublicKey, Optional<SpaceRole>> changed = live.add(newEntries);
            for (Map.Entry<PublicKey, Optional<SpaceRole>> e : new TreeMap<>(changed).entrySet()) {
                Optional<SpaceRole> after = live.roleOf(e.getKey());
                if (!after.equals(e.getValue())) {
                    notices.add(() -> {
                        for (Listener l : listeners) {
                            l.roleChanged(spaceKey, e.getKey(), e.getValue(), after);
                        }
                    });
                }
            }
        }
        notices.forEach(Runnable::run);
    }

    /** The current state (a snapshot, built on the first call after a change). */
    public synchronized SpaceState state() {
        return live.state();
    }

    /** The role of {@code identity}: empty if it never had one; REMOVED if it was removed or left. */
    public synchronized Optional<SpaceRole> roleOf(PublicKey identity) {
        return live.roleOf(identity);
    }

    /** True if {@code identity} has a role other than REMOVED. */
    public synchronized boolean isMember(PublicKey identity) {
        return live.roleOf(identity).filter(r -> r != SpaceRole.SPACE_ROLE_REMOVED).isPresent();
    }

    /** How many times a batch needed the whole space replayed (for tests and monitoring). */
    public synchronized long fullReplays() {
        return live.fullReplays();
    }

    /** Every identity with its current role. */
    public Map<PublicKey, Member> members() {
        return state().members();
    }

    /** Refused credentials with their reasons, and those still pending. */
    public List<Refusal> audit() {
        SpaceState s = state();
        List<Refusal> all = new ArrayList<>(s.refused());
        all.addAll(s.pending());
        return all;
    }

    public void addListener(Listener listener) {
        listeners.add(Objects.requireNonNull(listener));
    }

    public void removeListener(Listener listener) {
        listeners.remove(listener);
    }
}
