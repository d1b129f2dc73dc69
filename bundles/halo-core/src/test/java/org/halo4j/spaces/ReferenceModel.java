package org.halo4j.spaces;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.halo4j.credentials.CredentialId;
import org.halo4j.credentials.CredentialVerifier;
import org.halo4j.credentials.VerifiedCredential;
import org.halo4j.errors.HaloRejectedException;
import org.halo4j.keys.PublicKey;
import org.halo4j.proto.v1.AdmittedFeed;
import org.halo4j.proto.v1.DeviceRevoked;
import org.halo4j.proto.v1.DeviceScope;
import org.halo4j.proto.v1.FeedDesignation;
import org.halo4j.proto.v1.FeedPosition;
import org.halo4j.proto.v1.MemberProfile;
import org.halo4j.proto.v1.SpaceGenesis;
import org.halo4j.proto.v1.SpaceMember;
import org.halo4j.proto.v1.SpaceRole;

/**
 * The rules of state of DESIGN §4 written a second time, as a model that is slow and plain on purpose: no
 * scheduler, no gates, no batches. It lists every order of the credentials that respects three constraints —
 * parents first; the genesis and a feed's admission before what stands in the feed; a cut-off (a role change,
 * a device revocation) before each credential of its subject it does not cover and after each it covers, unless that
 * credential cuts the cut-off's issuer in return (a mutual pair, judged without each other) — applies the rules
 * one credential at a time in each order, and reports every distinct outcome. The rules must make that outcome
 * unique: if two orders disagree, an attacker who chooses ids could choose between them.
 */
final class ReferenceModel {

    /** What a peer acts on. */
    record Outcome(Map<PublicKey, SpaceRole> roles, Map<PublicKey, PublicKey> feeds, Set<String> revoked, Set<CredentialId> applied) {
    }

    /** Every outcome the allowed orders give (one, when the rules decide), or none when no order is allowed. */
    record Result(Set<Outcome> outcomes, long orders) {
    }

    private static final CredentialVerifier VERIFIER = CredentialVerifier.builder().ignoreRevocation().build();

    private final PublicKey spaceKey;
    private final ByteString spaceKeyBytes;
    private final Map<CredentialId, VerifiedCredential> creds = new TreeMap<>();
    private final Map<CredentialId, List<Position>> positions = new HashMap<>();
    private final List<CredentialId> ids = new ArrayList<>();
    private final Map<CredentialId, Set<CredentialId>> before = new HashMap<>(); // id -> ids that must come first
    private final Map<CredentialId, Set<CredentialId>> mutual = new HashMap<>();
    private final Set<Outcome> outcomes = new HashSet<>();
    private long orders;
    private final long maxOrders;

    private ReferenceModel(PublicKey spaceKey, long maxOrders) {
        this.spaceKey = spaceKey;
        this.spaceKeyBytes = ByteString.copyFrom(spaceKey.toBytes());
        this.maxOrders = maxOrders;
    }

    /** Runs the model over every allowed order (at most {@code maxOrders}, in a fixed order of search). */
    static Result run(PublicKey spaceKey, Collection<SpaceEntry> entries, long maxOrders) {
        ReferenceModel m = new ReferenceModel(spaceKey, maxOrders);
        m.load(entries);
        m.constrain();
        m.search(new ArrayList<>(), new HashSet<>());
        return new Result(m.outcomes, m.orders);
    }

    // ---- input --------------------------------------------------------------------------------------------

    private void load(Collection<SpaceEntry> entries) {
        for (SpaceEntry e : entries) {
            try {
                VerifiedCredential v = VERIFIER.verifyForReplay(e.payload());
                creds.putIfAbsent(v.id(), v);
                positions.computeIfAbsent(v.id(), k -> new ArrayList<>()).add(new Position(e.feed(), e.seq()));
            } catch (HaloRejectedException invalid) {
                // never applied
            }
        }
        // a credential with a parent that did not arrive (or that waits for one) is pending: never applied
        boolean changed = true;
        while (changed) {
            changed = false;
            for (VerifiedCredential v : List.copyOf(creds.values())) {
                boolean portable = v.assertion() instanceof DeviceRevoked;
                for (CredentialId p : v.parents()) {
                    if (!creds.containsKey(p) && !portable) {
                        creds.remove(v.id());
                        changed = true;
                        break;
                    }
                }
            }
        }
        ids.addAll(creds.keySet());
    }

    private void constrain() {
        for (CredentialId x : ids) {
            Set<CredentialId> first = new HashSet<>();
            VerifiedCredential v = creds.get(x);
            for (CredentialId p : v.parents()) {
                if (creds.containsKey(p)) {
                    first.add(p);
                }
            }
            if (!(v.assertion() instanceof SpaceGenesis)) {
                for (CredentialId other : ids) {
                    VerifiedCredential o = creds.get(other);
                    if (o.assertion() instanceof SpaceGenesis) {
                        first.add(other);
                    } else if (o.assertion() instanceof AdmittedFeed && !other.equals(x) && !isGenesisFeed(o.subject())
                            && positions.get(x).stream().anyMatch(p -> p.feed().equals(o.subject()))) {
                        first.add(other);
                    }
                }
            }
            before.put(x, first);
            mutual.put(x, new HashSet<>());
        }
        for (CredentialId y : ids) {
            for (CredentialId x : ids) {
                if (x.equals(y)) {
                    continue;
                }
                if (cuts(y, x) && cuts(x, y)) {
                    mutual.get(x).add(y);
                } else if (cuts(y, x) || waitsFor(x, y)) {
                    before.get(x).add(y);
                } else if (covers(y, x)) {
                    before.get(y).add(x); // what the subject wrote before the change is judged before it
                }
            }
        }
    }

    /** True if {@code y} is a cut-off about {@code x}'s issuer or signer that covers it by position. */
    private boolean covers(CredentialId yId, CredentialId xId) {
        VerifiedCredential y = creds.get(yId);
        VerifiedCredential x = creds.get(xId);
        boolean aboutX = y.assertion() instanceof SpaceMember && x.issuer().equals(y.subject())
                || y.assertion() instanceof DeviceRevoked && mayRevoke(y)
                && x.issuer().equals(y.issuer()) && x.signedBy().signer().equals(y.subject());
        return aboutX && isCovered(xId, recordedBy(yId));
    }

    /**
     * A device revocation waits for the role changes about its identity that do not cover it (so it is judged
     * after the identity became a member), though none of them cuts it.
     */
    private boolean waitsFor(CredentialId xId, CredentialId yId) {
        VerifiedCredential y = creds.get(yId);
        VerifiedCredential x = creds.get(xId);
        return x.assertion() instanceof DeviceRevoked && y.assertion() instanceof SpaceMember
                && x.issuer().equals(y.subject()) && !isCovered(xId, recordedBy(yId));
    }

    /** What cut-off {@code y} records as seen, with the positions of its direct parents of its subject. */
    private Map<PublicKey, Long> recordedBy(CredentialId yId) {
        VerifiedCredential y = creds.get(yId);
        Map<PublicKey, Long> recorded = new HashMap<>();
        if (y.assertion() instanceof SpaceMember m) {
            recorded.putAll(positionsOf(m.getAcceptedUntilList()));
        } else if (y.assertion() instanceof DeviceRevoked r) {
            recorded.putAll(positionsOf(r.getAcceptedUntilList()));
        }
        for (CredentialId p : y.parents()) {
            VerifiedCredential parent = creds.get(p);
            if (parent != null && ofSubject(parent, y)) {
                for (Position pos : positions.get(p)) {
                    recorded.merge(pos.feed(), pos.seq(), Math::max);
                }
            }
        }
        return recorded;
    }

    private boolean isCovered(CredentialId xId, Map<PublicKey, Long> recorded) {
        for (Position pos : positions.get(xId)) {
            Long last = recorded.get(pos.feed());
            if (last != null && pos.seq() <= last) {
                return true;
            }
        }
        return false;
    }

    /** True if {@code y} is a cut-off about {@code x}'s issuer, signer or a device of its chain, not covering it. */
    private boolean cuts(CredentialId yId, CredentialId xId) {
        VerifiedCredential y = creds.get(yId);
        VerifiedCredential x = creds.get(xId);
        Map<PublicKey, Long> recorded = new HashMap<>();
        if (y.assertion() instanceof SpaceMember m) {
            if (!x.issuer().equals(y.subject()) || x.assertion() instanceof DeviceRevoked) {
                return false; // a revocation is valid whatever its identity's role (rule 8)
            }
            recorded.putAll(positionsOf(m.getAcceptedUntilList()));
        } else if (y.assertion() instanceof DeviceRevoked r && mayRevoke(y)) {
            if (!x.issuer().equals(y.issuer())) {
                return false;
            }
            List<PublicKey> path = x.signedBy().devicePath();
            if (path.indexOf(y.subject()) > 0) {
                return true; // a chain through the device: positions do not cover it
            }
            if (path.isEmpty() || !path.get(0).equals(y.subject())) {
                return false;
            }
            recorded.putAll(positionsOf(r.getAcceptedUntilList()));
        } else {
            return false;
        }
        for (CredentialId p : y.parents()) {
            VerifiedCredential parent = creds.get(p);
            if (parent != null && ofSubject(parent, y)) {
                for (Position pos : positions.get(p)) {
                    recorded.merge(pos.feed(), pos.seq(), Math::max);
                }
            }
        }
        for (Position pos : positions.get(xId)) {
            Long last = recorded.get(pos.feed());
            if (last != null && pos.seq() <= last) {
                return false;
            }
        }
        return true;
    }

    /** The genesis admits its own feed: later admissions of that feed do not hold anything back. */
    private boolean isGenesisFeed(PublicKey feed) {
        for (CredentialId id : ids) {
            if (creds.get(id).assertion() instanceof SpaceGenesis && positions.get(id).contains(new Position(feed, 0))) {
                return true;
            }
        }
        return false;
    }

    private static boolean ofSubject(VerifiedCredential c, VerifiedCredential cutOff) {
        if (cutOff.assertion() instanceof SpaceMember) {
            return c.issuer().equals(cutOff.subject());
        }
        return c.issuer().equals(cutOff.issuer()) && c.signedBy().signer().equals(cutOff.subject());
    }

    private static boolean mayRevoke(VerifiedCredential v) {
        return v.signedBy().signedByIdentity() || v.signedBy().scope().orElse(DeviceScope.DEVICE_SCOPE_READ) == DeviceScope.DEVICE_SCOPE_ADMIN;
    }

    // ---- every allowed order --------------------------------------------------------------------------------

    private void search(List<CredentialId> order, Set<CredentialId> placed) {
        if (orders >= maxOrders) {
            return;
        }
        if (order.size() == ids.size()) {
            orders++;
            outcomes.add(evaluate(order));
            return;
        }
        for (CredentialId x : ids) {
            if (!placed.contains(x) && placed.containsAll(before.get(x))) {
                order.add(x);
                placed.add(x);
                search(order, placed);
                placed.remove(x);
                order.remove(order.size() - 1);
            }
        }
    }

    // ---- the rules, one credential at a time -----------------------------------------------------------------

    /** The state built by applying credentials in order. */
    private final class State {
        CredentialId genesis;
        final Map<PublicKey, SpaceRole> roles = new TreeMap<>();
        final Map<PublicKey, CredentialId> setBy = new HashMap<>();
        final Map<PublicKey, Integer> setByRank = new HashMap<>();
        final Map<PublicKey, Map<PublicKey, Long>> removedAfter = new HashMap<>();
        final Map<PublicKey, Map<PublicKey, Long>> reinstatedAfter = new HashMap<>();
        final Map<PublicKey, PublicKey> feedOwner = new TreeMap<>(); // feed -> identity
        final Map<PublicKey, PublicKey> feedDevice = new HashMap<>();
        final Map<String, List<VerifiedCredential>> revocations = new LinkedHashMap<>(); // identity/device -> revocations
        final Set<CredentialId> applied = new TreeSet<>();
        final Set<CredentialId> pending = new HashSet<>();
        final Map<PublicKey, List<Integer>> ranksHeld = new HashMap<>(); // one entry per standing role change

        int highest(PublicKey k) {
            return ranksHeld.getOrDefault(k, List.of()).stream().mapToInt(Integer::intValue).max().orElse(0);
        }

        int rank(PublicKey k) {
            if (k.equals(spaceKey)) {
                return 5;
            }
            SpaceRole r = roles.get(k);
            return r == null ? 0 : Roles.rank(r);
        }
    }

    private Outcome evaluate(List<CredentialId> order) {
        State s = new State();
        for (int i = 0; i < order.size(); i++) {
            CredentialId x = order.get(i);
            State judgeIn = s;
            if (!mutual.get(x).isEmpty()) {
                judgeIn = new State(); // judged without its mutual partners: replay the prefix without them
                for (int j = 0; j < i; j++) {
                    if (!mutual.get(x).contains(order.get(j))) {
                        step(judgeIn, judgeIn, order.get(j));
                    }
                }
            }
            step(judgeIn, s, x);
        }
        Map<PublicKey, PublicKey> feeds = new TreeMap<>(s.feedOwner);
        Set<String> revoked = new TreeSet<>(s.revocations.keySet());
        return new Outcome(new TreeMap<>(s.roles), feeds, revoked, s.applied);
    }

    /** Judges {@code x} in {@code judge}; if it passes, applies it to {@code apply}. */
    private void step(State judge, State apply, CredentialId x) {
        VerifiedCredential v = creds.get(x);
        for (CredentialId p : v.parents()) {
            if (judge.pending.contains(p)) {
                apply.pending.add(x); // waits for a parent that waits
                return;
            }
        }
        if (v.assertion() instanceof SpaceGenesis) {
            if (judge.genesis == null && v.issuer().equals(spaceKey) && v.subject().equals(spaceKey)
                    && v.signedBy().signedByIdentity() && positions.get(x).stream().anyMatch(p -> p.seq() == 0)) {
                apply.genesis = x;
                PublicKey feed = positions.get(x).stream().filter(p -> p.seq() == 0).findFirst().orElseThrow().feed();
                apply.feedOwner.put(feed, spaceKey);
                apply.feedDevice.put(feed, spaceKey);
                apply.applied.add(x);
            }
            return;
        }
        if (judge.genesis == null || positions.get(x).stream().noneMatch(p -> judge.feedOwner.containsKey(p.feed()))) {
            apply.pending.add(x); // no genesis, or in no admitted feed
            return;
        }
        if (!passes(judge, x, v)) {
            return;
        }
        applyEffect(apply, x, v, judge.rank(v.issuer()));
    }

    private boolean passes(State s, CredentialId x, VerifiedCredential v) {
        Message a = v.assertion();
        ByteString scoped = a instanceof SpaceMember m ? m.getSpaceKey() : a instanceof AdmittedFeed f ? f.getSpaceKey()
                : a instanceof MemberProfile p ? p.getSpaceKey() : null;
        if (scoped != null && !scoped.equals(spaceKeyBytes)) {
            return false;
        }
        List<PublicKey> path = v.signedBy().devicePath();
        for (int i = 0; i < path.size(); i++) {
            List<VerifiedCredential> revs = s.revocations.get(v.issuer() + "/" + path.get(i));
            if (revs == null) {
                continue;
            }
            for (VerifiedCredential r : revs) {
                DeviceRevoked d = (DeviceRevoked) r.assertion();
                if (i == 0 && !covered(x, positionsOf(d.getAcceptedUntilList()))) {
                    return false;
                }
                if (i > 0 && !d.getKeptAuthorizationsList().contains(v.signedBy().links().get(i - 1).toByteString())) {
                    return false;
                }
            }
        }
        if (!(a instanceof DeviceRevoked) && s.removedAfter.containsKey(v.issuer()) && !covered(x, s.removedAfter.get(v.issuer()))) {
            if (s.roles.get(v.issuer()) == SpaceRole.SPACE_ROLE_REMOVED) {
                return false;
            }
            Map<PublicKey, Long> back = s.reinstatedAfter.get(v.issuer());
            if (back != null && covered(x, back)) {
                return false;
            }
        }
        if (!v.issuer().equals(spaceKey) && v.signedBy().scope().orElse(DeviceScope.DEVICE_SCOPE_ADMIN) == DeviceScope.DEVICE_SCOPE_READ) {
            return false;
        }
        int issuer = s.rank(v.issuer());
        if (a instanceof SpaceMember m) {
            int wanted = Roles.rank(m.getRole());
            SpaceRole current = s.roles.get(v.subject());
            if (v.subject().equals(v.issuer())) {
                if (wanted > issuer) {
                    return false;
                }
                long owners = s.roles.values().stream().filter(r -> r == SpaceRole.SPACE_ROLE_OWNER).count();
                if (current == SpaceRole.SPACE_ROLE_OWNER && m.getRole() != SpaceRole.SPACE_ROLE_OWNER && owners <= 1) {
                    return false;
                }
            } else if (issuer < 3 || (current == SpaceRole.SPACE_ROLE_OWNER && issuer < 4) || wanted > issuer) {
                return false;
            }
            if (current == SpaceRole.SPACE_ROLE_REMOVED && m.getRole() == SpaceRole.SPACE_ROLE_REMOVED) {
                return false;
            }
            CredentialId setter = s.setBy.get(v.subject());
            if (setter != null && !v.parents().contains(setter)) {
                boolean removal = m.getRole() == SpaceRole.SPACE_ROLE_REMOVED;
                boolean currentRemoval = current == SpaceRole.SPACE_ROLE_REMOVED;
                int currentIssuer = s.setByRank.get(v.subject());
                boolean wins = removal != currentRemoval ? removal
                        : issuer != currentIssuer ? issuer > currentIssuer
                        : wanted != Roles.rank(current) ? wanted < Roles.rank(current)
                        : x.compareTo(setter) < 0;
                return wins;
            }
            return true;
        }
        if (a instanceof AdmittedFeed f) {
            PublicKey identity = PublicKey.of(f.getIdentityKey().toByteArray());
            PublicKey device = PublicKey.of(f.getDeviceKey().toByteArray());
            int highest = s.highest(identity);
            if (highest == 0) {
                return false;
            }
            if (v.issuer().equals(identity) && issuer < 3) {
                if (!v.signedBy().signedByIdentity() && !v.signedBy().signer().equals(device)) {
                    return false;
                }
            } else if (issuer < 3) {
                return false;
            }
            if (f.getDesignation() == FeedDesignation.FEED_DESIGNATION_DATA && highest < 2) {
                return false;
            }
            PublicKey owner = s.feedOwner.get(v.subject());
            return owner == null || owner.equals(spaceKey) // the genesis feed, admitted by the genesis alone
                    || (owner.equals(identity) && s.feedDevice.get(v.subject()).equals(device));
        }
        if (a instanceof DeviceRevoked r) {
            if (!mayRevoke(v) || v.subject().equals(v.issuer()) || !s.roles.containsKey(v.issuer())) {
                return false;
            }
            List<VerifiedCredential> earlier = s.revocations.get(v.issuer() + "/" + v.subject());
            if (earlier == null) {
                return true;
            }
            // it must cut more than every earlier one together: a feed position lower, or an authorization less
            Map<PublicKey, Long> together = null;
            Set<ByteString> kept = null;
            for (VerifiedCredential e : earlier) {
                DeviceRevoked d = (DeviceRevoked) e.assertion();
                Map<PublicKey, Long> mine = positionsOf(d.getAcceptedUntilList());
                if (together == null) {
                    together = new HashMap<>(mine);
                    kept = new HashSet<>(d.getKeptAuthorizationsList());
                } else {
                    together.keySet().retainAll(mine.keySet());
                    for (Map.Entry<PublicKey, Long> en : together.entrySet()) {
                        en.setValue(Math.min(en.getValue(), mine.get(en.getKey())));
                    }
                    kept.retainAll(d.getKeptAuthorizationsList());
                }
            }
            Map<PublicKey, Long> mine = positionsOf(r.getAcceptedUntilList());
            for (Map.Entry<PublicKey, Long> en : together.entrySet()) {
                if (!mine.containsKey(en.getKey()) || mine.get(en.getKey()) < en.getValue()) {
                    return true;
                }
            }
            return !new HashSet<>(r.getKeptAuthorizationsList()).containsAll(kept);
        }
        boolean aboutSelf = v.subject().equals(v.issuer()) && issuer >= 1;
        return aboutSelf || issuer >= 2;
    }

    private void applyEffect(State s, CredentialId x, VerifiedCredential v, int issuerRank) {
        s.applied.add(x);
        Message a = v.assertion();
        if (a instanceof SpaceMember m) {
            SpaceRole before = s.roles.get(v.subject());
            Map<PublicKey, Long> recorded = positionsOf(m.getAcceptedUntilList());
            if (m.getRole() == SpaceRole.SPACE_ROLE_REMOVED) {
                s.removedAfter.put(v.subject(), recorded);
                s.reinstatedAfter.remove(v.subject());
            } else if (before == SpaceRole.SPACE_ROLE_REMOVED) {
                s.reinstatedAfter.put(v.subject(), recorded);
            }
            CredentialId setter = s.setBy.get(v.subject());
            if (setter != null && !v.parents().contains(setter)) { // it won over a concurrent change: that one is taken back
                s.applied.remove(setter);
                s.ranksHeld.get(v.subject()).remove((Integer) Roles.rank(before));
            }
            s.setByRank.put(v.subject(), issuerRank);
            s.roles.put(v.subject(), m.getRole());
            s.ranksHeld.computeIfAbsent(v.subject(), k -> new ArrayList<>()).add(Roles.rank(m.getRole()));
            s.setBy.put(v.subject(), x);
        } else if (a instanceof AdmittedFeed f) {
            s.feedOwner.put(v.subject(), PublicKey.of(f.getIdentityKey().toByteArray()));
            s.feedDevice.put(v.subject(), PublicKey.of(f.getDeviceKey().toByteArray()));
        } else if (a instanceof DeviceRevoked) {
            s.revocations.computeIfAbsent(v.issuer() + "/" + v.subject(), k -> new ArrayList<>()).add(v);
        }
    }

    private boolean covered(CredentialId x, Map<PublicKey, Long> until) {
        for (Position p : positions.get(x)) {
            Long last = until.get(p.feed());
            if (last != null && p.seq() <= last) {
                return true;
            }
        }
        return false;
    }

    private static Map<PublicKey, Long> positionsOf(List<FeedPosition> list) {
        Map<PublicKey, Long> m = new HashMap<>();
        for (FeedPosition p : list) {
            m.merge(PublicKey.of(p.getFeedKey().toByteArray()), p.getSeq(), Math::max);
        }
        return m;
    }
}
