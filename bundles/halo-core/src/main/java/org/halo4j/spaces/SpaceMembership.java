package org.halo4j.spaces;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.halo4j.credentials.CredentialVerifier;
import org.halo4j.keys.PublicKey;
import org.halo4j.proto.v1.SpaceRole;

/**
 * Answers "is identity X a member of space S, with which role?" from replayed state (DESIGN §6), and notifies
 * listeners when a role changes. Entries arrive in any order; after each batch the space is replayed, so the
 * answer is always the state of the whole set. Thread-safe; listeners are called on the thread that added the
 * entries, after the state changed.
 */
public final class SpaceMembership {

    /** Told about every identity whose role changed, with the role before and after (empty: none). */
    @FunctionalInterface
    public interface Listener {
        void roleChanged(PublicKey spaceKey, PublicKey identity, Optional<SpaceRole> before, Optional<SpaceRole> after);
    }

    private final PublicKey spaceKey;
    private final CredentialVerifier verifier;
    private final List<SpaceEntry> entries = new ArrayList<>();
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private volatile SpaceState state;

    public SpaceMembership(PublicKey spaceKey, CredentialVerifier verifier) {
        this.spaceKey = Objects.requireNonNull(spaceKey);
        this.verifier = Objects.requireNonNull(verifier);
        this.state = SpaceReplay.replay(spaceKey, List.of(), verifier);
    }

    /** Adds entries from the space's control feeds and replays; listeners hear of every role that changed. */
    public void add(Collection<SpaceEntry> newEntries) {
        SpaceState before;
        SpaceState after;
        synchronized (this) {
            entries.addAll(newEntries);
            before = state;
            after = SpaceReplay.replay(spaceKey, entries, verifier);
            state = after;
        }
        notifyChanges(before, after);
    }

    /** The current state. */
    public SpaceState state() {
        return state;
    }

    /** The role of {@code identity}: empty if it never had one; REMOVED if it was removed or left. */
    public Optional<SpaceRole> roleOf(PublicKey identity) {
        return state.roleOf(identity);
    }

    /** True if {@code identity} has a role other than REMOVED. */
    public boolean isMember(PublicKey identity) {
        return state.isMember(identity);
    }

    /** Every identity with its current role. */
    public Map<PublicKey, Member> members() {
        return state.members();
    }

    /** Refused credentials with their reasons, and those still pending. */
    public List<Refusal> audit() {
        List<Refusal> all = new ArrayList<>(state.refused());
        all.addAll(state.pending());
        return all;
    }

    public void addListener(Listener listener) {
        listeners.add(Objects.requireNonNull(listener));
    }

    public void removeListener(Listener listener) {
        listeners.remove(listener);
    }

    private void notifyChanges(SpaceState before, SpaceState after) {
        if (listeners.isEmpty()) {
            return;
        }
        java.util.Set<PublicKey> identities = new java.util.TreeSet<>(before.members().keySet());
        identities.addAll(after.members().keySet());
        for (PublicKey id : identities) {
            Optional<SpaceRole> was = before.roleOf(id);
            Optional<SpaceRole> is = after.roleOf(id);
            if (!was.equals(is)) {
                for (Listener l : listeners) {
                    l.roleChanged(spaceKey, id, was, is);
                }
            }
        }
    }
}
