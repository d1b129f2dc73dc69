package org.halo4j.spaces;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.halo4j.credentials.CredentialId;
import org.halo4j.credentials.Credentials;
import org.halo4j.credentials.Signer;
import org.halo4j.keys.PublicKey;
import org.halo4j.proto.v1.Credential;
import org.halo4j.proto.v1.DeviceRevoked;
import org.halo4j.proto.v1.DeviceScope;
import org.halo4j.proto.v1.FeedDesignation;
import org.halo4j.proto.v1.FeedPosition;
import org.halo4j.proto.v1.SpaceMember;
import org.halo4j.proto.v1.SpaceRole;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The replay against {@link ReferenceModel}: on every history of up to eight credentials drawn from an alphabet
 * of fourteen (grants, admissions, removals, a demotion, concurrent changes, mutual removals, a device revocation
 * and its counter-revocation, a late grant by a cut member, a stranger's blocker with a missing parent), the
 * model's orders all agree, and the replay gives that outcome; then on random larger histories. Role changes name
 * the change that set their subject's current role, as {@link Spaces#setRole} does, except where the history
 * is about concurrent changes (p5 and p11).
 */
class ReplayMatchesModelTest {

    SpaceWorld w;
    List<SpaceEntry> base;
    List<SpaceEntry> alphabet;

    @BeforeEach
    void setUp() throws Exception {
        w = new SpaceWorld();
        SpaceWorld.Person alice = w.person("alice");
        SpaceWorld.Person bob = w.person("bob");
        SpaceWorld.Person carol = w.person("carol");
        SpaceWorld.Person stranger = w.person("stranger");
        PublicKey dave = w.agents.newKey();
        PublicKey eve = w.agents.newKey();
        Signer b1 = bob.device();
        Signer b2 = w.agents.newDevice(w.agents.self(bob.identity()), DeviceScope.DEVICE_SCOPE_ADMIN);
        Spaces.Created created = w.create(alice);
        base = new ArrayList<>(w.entries);
        CredentialId head = Credentials.id(created.credentials().get(2));
        PublicKey a = alice.feed();
        PublicKey b = bob.feed();
        PublicKey c = carol.feed();

        Credential p1 = role(alice.device(), bob.identity(), SpaceRole.SPACE_ROLE_ADMIN, List.of(head), Map.of());
        Credential p2 = admit(alice, bob, List.of(id(p1)));
        Credential p3 = role(alice.device(), carol.identity(), SpaceRole.SPACE_ROLE_ADMIN, List.of(id(p2)), Map.of());
        Credential p4 = admit(alice, carol, List.of(id(p3)));
        Credential p5 = role(b1, dave, SpaceRole.SPACE_ROLE_EDITOR, List.of(id(p2)), Map.of());
        Credential p6 = role(carol.device(), bob.identity(), SpaceRole.SPACE_ROLE_REMOVED, List.of(id(p4), id(p5), id(p1)), Map.of(b, 0L));
        Credential p7 = role(b1, carol.identity(), SpaceRole.SPACE_ROLE_REMOVED, List.of(id(p4), id(p3)), Map.of());
        Credential p8 = revoke(b2, b1.key(), List.of(id(p2)), Map.of(b, 0L));
        Credential p9 = role(b1, eve, SpaceRole.SPACE_ROLE_ADMIN, List.of(id(p2)), Map.of());
        Credential p10 = role(alice.device(), bob.identity(), SpaceRole.SPACE_ROLE_READER, List.of(id(p2), id(p1)), Map.of(b, 1L));
        Credential p11 = role(carol.device(), dave, SpaceRole.SPACE_ROLE_READER, List.of(id(p4)), Map.of());
        Credential p12 = role(alice.device(), bob.identity(), SpaceRole.SPACE_ROLE_REMOVED, List.of(id(p1)), Map.of());
        Credential p13 = role(stranger.device(), alice.identity(), SpaceRole.SPACE_ROLE_REMOVED,
                List.of(CredentialId.of(new byte[32])), Map.of());
        Credential p14 = revoke(b1, b2.key(), List.of(id(p2)), Map.of());
        alphabet = List.of(
                SpaceEntry.of(a, 3, p1), SpaceEntry.of(a, 4, p2), SpaceEntry.of(a, 5, p3), SpaceEntry.of(a, 6, p4),
                SpaceEntry.of(b, 0, p5), SpaceEntry.of(c, 0, p6), SpaceEntry.of(b, 1, p7), SpaceEntry.of(a, 7, p8),
                SpaceEntry.of(b, 2, p9), SpaceEntry.of(a, 8, p10), SpaceEntry.of(c, 1, p11), SpaceEntry.of(a, 9, p12),
                SpaceEntry.of(b, 3, p13), SpaceEntry.of(b, 4, p14));
    }

    @Test
    @DisplayName("every history of the base and up to five of the fourteen: one outcome in every allowed order, the replay's")
    void exhaustive() {
        int[] counts = new int[2]; // compared, undecided by the model (no allowed order)
        int n = alphabet.size();
        for (int mask = 0; mask < (1 << n); mask++) {
            if (Integer.bitCount(mask) > 5) {
                continue;
            }
            List<SpaceEntry> entries = new ArrayList<>(base);
            for (int i = 0; i < n; i++) {
                if ((mask & (1 << i)) != 0) {
                    entries.add(alphabet.get(i));
                }
            }
            compare(entries, Long.MAX_VALUE, counts);
        }
        assertThat(counts[0]).as("histories compared (%d undecided)", counts[1]).isGreaterThan(3000);
        assertThat(counts[1]).as("histories the model cannot order").isZero();
    }

    @Test
    @DisplayName("random larger histories (six to fourteen of the alphabet, shuffled): the same, where the model can order them")
    void randomLarger() {
        Random r = new Random(7);
        int[] counts = new int[2];
        for (int t = 0; t < 300; t++) {
            List<SpaceEntry> pick = new ArrayList<>(alphabet);
            Collections.shuffle(pick, r);
            List<SpaceEntry> entries = new ArrayList<>(base);
            entries.addAll(pick.subList(0, 6 + r.nextInt(alphabet.size() - 5)));
            Collections.shuffle(entries, r);
            compare(entries, 3000, counts);
        }
        // In a large history, cut-offs can wait on one another in a cycle (a demotion that saw a credential which a
        // revocation it did not see cuts): no order satisfies every constraint, the model has no answer, and the
        // replay resolves the cycle by rank (SpaceAttackTest and SpaceRulesTest cover those rules).
        assertThat(counts[0]).as("compared (%d without an allowed order)", counts[1]).isGreaterThanOrEqualTo(200);
    }

    private void compare(List<SpaceEntry> entries, long maxOrders, int[] counts) {
        ReferenceModel.Result model = ReferenceModel.run(w.spaceKey, entries, maxOrders);
        if (model.outcomes().isEmpty()) {
            counts[1]++;
            return;
        }
        assertThat(model.outcomes()).as("outcomes of the model's orders for %s differ: %s", describe(entries),
                difference(new ArrayList<>(model.outcomes()))).hasSize(1);
        ReferenceModel.Outcome expected = model.outcomes().iterator().next();
        SpaceState replayed = SpaceReplay.replay(w.spaceKey, entries, w.verifier);
        ReferenceModel.Outcome actual = outcomeOf(replayed);
        assertThat(actual).as("replay of %s: model / replay: %s", describe(entries), difference(List.of(expected, actual)))
                .isEqualTo(expected);
        counts[0]++;
    }

    private String difference(List<ReferenceModel.Outcome> outcomes) {
        if (outcomes.size() < 2) {
            return "";
        }
        ReferenceModel.Outcome a = outcomes.get(0);
        ReferenceModel.Outcome b = outcomes.get(1);
        Set<CredentialId> onlyA = new TreeSet<>(a.applied());
        onlyA.removeAll(b.applied());
        Set<CredentialId> onlyB = new TreeSet<>(b.applied());
        onlyB.removeAll(a.applied());
        return "applied only in one: " + names(onlyA) + " / only in the other: " + names(onlyB)
                + (a.roles().equals(b.roles()) ? "" : "; roles " + a.roles().values() + " / " + b.roles().values())
                + (a.revoked().equals(b.revoked()) ? "" : "; revoked " + a.revoked().size() + " / " + b.revoked().size())
                + (a.feeds().equals(b.feeds()) ? "" : "; feeds " + a.feeds().size() + " / " + b.feeds().size());
    }

    private List<String> names(Set<CredentialId> ids) {
        List<String> out = new ArrayList<>();
        for (CredentialId id : ids) {
            for (int i = 0; i < alphabet.size(); i++) {
                if (Credentials.id(decode(alphabet.get(i))).equals(id)) {
                    out.add("p" + (i + 1));
                }
            }
        }
        return out;
    }

    private static Credential decode(SpaceEntry e) {
        try {
            return Credential.parseFrom(e.payload());
        } catch (com.google.protobuf.InvalidProtocolBufferException ex) {
            throw new IllegalStateException(ex);
        }
    }

    static ReferenceModel.Outcome outcomeOf(SpaceState s) {
        Map<PublicKey, SpaceRole> roles = new TreeMap<>();
        s.members().forEach((k, m) -> roles.put(k, m.role()));
        Map<PublicKey, PublicKey> feeds = new TreeMap<>();
        s.feeds().forEach((k, f) -> feeds.put(k, f.identity()));
        Set<String> revoked = new TreeSet<>();
        s.revocations().forEach(r -> revoked.add(r.identity() + "/" + r.device()));
        return new ReferenceModel.Outcome(roles, feeds, revoked, new TreeSet<>(s.applied()));
    }

    private String describe(List<SpaceEntry> entries) {
        List<String> names = new ArrayList<>();
        for (SpaceEntry e : entries) {
            int i = alphabet.indexOf(e);
            if (i >= 0) {
                names.add("p" + (i + 1));
            }
        }
        Collections.sort(names);
        return names.toString();
    }

    private Credential role(Signer by, PublicKey who, SpaceRole role, List<CredentialId> parents, Map<PublicKey, Long> until)
            throws Exception {
        SpaceMember.Builder m = SpaceMember.newBuilder().setSpaceKey(ByteString.copyFrom(w.spaceKey.toBytes())).setRole(role);
        until.forEach((f, seq) -> m.addAcceptedUntil(FeedPosition.newBuilder().setFeedKey(ByteString.copyFrom(f.toBytes())).setSeq(seq)));
        return Credentials.issue(by).subject(who).assertion(m.build()).parents(parents).sign();
    }

    private Credential revoke(Signer by, PublicKey device, List<CredentialId> parents, Map<PublicKey, Long> until) throws Exception {
        DeviceRevoked.Builder r = DeviceRevoked.newBuilder();
        until.forEach((f, seq) -> r.addAcceptedUntil(FeedPosition.newBuilder().setFeedKey(ByteString.copyFrom(f.toBytes())).setSeq(seq)));
        return Credentials.issue(by).subject(device).assertion(r.build()).parents(parents).sign();
    }

    private Credential admit(SpaceWorld.Person by, SpaceWorld.Person whose, List<CredentialId> parents) throws Exception {
        return Credentials.issue(by.device()).subject(whose.feed())
                .assertion(Spaces.admittedFeed(w.agents.keyring, whose.feed(), w.spaceKey, whose.identity(), whose.device().key(),
                        FeedDesignation.FEED_DESIGNATION_CONTROL))
                .parents(parents).sign();
    }

    private static CredentialId id(Credential c) {
        return Credentials.id(c);
    }
}
