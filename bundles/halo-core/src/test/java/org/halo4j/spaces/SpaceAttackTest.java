package org.halo4j.spaces;

import static org.assertj.core.api.Assertions.assertThat;
import static org.halo4j.spaces.SpaceRulesTest.assertApplied;
import static org.halo4j.spaces.SpaceRulesTest.assertRefused;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.halo4j.credentials.CredentialId;
import org.halo4j.credentials.CredentialVerifier;
import org.halo4j.credentials.Credentials;
import org.halo4j.credentials.DeviceAuthorizations;
import org.halo4j.credentials.Signer;
import org.halo4j.keys.PublicKey;
import org.halo4j.proto.v1.Chain;
import org.halo4j.proto.v1.Credential;
import org.halo4j.proto.v1.DeviceRevoked;
import org.halo4j.proto.v1.DeviceScope;
import org.halo4j.proto.v1.FeedPosition;
import org.halo4j.proto.v1.SpaceMember;
import org.halo4j.proto.v1.SpaceRole;
import org.halo4j.testing.Agents;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * DESIGN §4 against the strongest attacker we know: a member that turns hostile and writes whatever it likes
 * into its own feed — any parents, nonces ground until its credential ids sort where it wants, blockers meant
 * only to confuse the scheduler, and copies of honest credentials with weaker proofs. Every hostile history is
 * replayed again with each attacker credential re-signed ({@value #RERANDOMIZE} times, so with fresh nonces and
 * ids) and in shuffled arrival orders; the honest parties' outcome never changes.
 */
class SpaceAttackTest {

    static final int RERANDOMIZE = 100;

    SpaceWorld w;
    SpaceWorld.Person alice; // OWNER, honest
    SpaceWorld.Person bob;   // ADMIN, turns hostile
    SpaceWorld.Person carol; // ADMIN, honest

    @BeforeEach
    void setUp() throws Exception {
        w = new SpaceWorld();
        alice = w.person("alice");
        bob = w.person("bob");
        carol = w.person("carol");
        w.create(alice);
        w.join(alice, bob, SpaceRole.SPACE_ROLE_ADMIN);
        w.join(alice, carol, SpaceRole.SPACE_ROLE_ADMIN);
    }

    /** Writes a credential; the attacker's part of a history is written again for every try. */
    @FunctionalInterface
    interface Attack {
        void write(Random random) throws Exception;
    }

    /** What the honest parties must see, checked after every try. */
    @FunctionalInterface
    interface Outcome {
        void check(SpaceState s) throws Exception;
    }

    /**
     * Runs {@code attack} {@value #RERANDOMIZE} times on top of the honest history written so far, each time
     * with fresh attacker nonces, and replays each result in its own order and in a shuffled one.
     */
    void underAttack(Attack attack, Outcome outcome) throws Exception {
        List<SpaceEntry> honest = new ArrayList<>(w.entries);
        Map<PublicKey, Long> seqs = new HashMap<>(w.nextSeq);
        Random random = new Random(42);
        int below = 0;
        for (int i = 0; i < RERANDOMIZE; i++) {
            w.entries.clear();
            w.entries.addAll(honest);
            w.nextSeq.clear();
            w.nextSeq.putAll(seqs);
            attack.write(random);
            SpaceState s = w.replay();
            outcome.check(s);
            List<SpaceEntry> shuffled = new ArrayList<>(w.entries);
            Collections.shuffle(shuffled, random);
            assertThat(SpaceReplayPropertiesTest.fingerprint(SpaceReplay.replay(w.spaceKey, shuffled, w.verifier)))
                    .isEqualTo(SpaceReplayPropertiesTest.fingerprint(s));
            below++;
        }
        assertThat(below).isEqualTo(RERANDOMIZE);
    }

    /**
     * Grinds: signs {@code make} 64 times (fresh nonces) and keeps the credential whose id sorts lowest, so it sorts
     * below {@code target} unless the target itself is among the lowest ids of all.
     */
    static Credential grindBelow(CredentialId target, ThrowingSupplier make) throws Exception {
        Credential best = null;
        for (int i = 0; i < 64 && (best == null || Credentials.id(best).compareTo(target) >= 0); i++) {
            Credential c = make.get();
            if (best == null || Credentials.id(c).compareTo(Credentials.id(best)) < 0) {
                best = c;
            }
        }
        return best;
    }

    @FunctionalInterface
    interface ThrowingSupplier {
        Credential get() throws Exception;
    }

    Credential role(SpaceState view, Signer by, PublicKey who, SpaceRole role, List<CredentialId> parents) throws Exception {
        return Credentials.issue(by).subject(who)
                .assertion(SpaceMember.newBuilder().setSpaceKey(ByteString.copyFrom(w.spaceKey.toBytes())).setRole(role).build())
                .parents(parents).sign();
    }

    static List<CredentialId> heads(SpaceState view) {
        return view.heads();
    }

    @Test
    @DisplayName("cut-off holds against blockers: a removed ADMIN's later removal and grant are refused, whatever ids it grinds")
    void removedMemberCannotOutrunItsRemovalWithBlockers() throws Exception {
        SpaceWorld.Person dave = w.person("dave");
        SpaceState before = w.replay();
        Credential early = w.setRole(before, bob, dave, SpaceRole.SPACE_ROLE_READER); // bob's honest past
        Credential removal = w.setRole(alice, bob, SpaceRole.SPACE_ROLE_REMOVED);
        CredentialId removalId = Credentials.id(removal);
        SpaceWorld.Person stranger = w.person("stranger");
        PublicKey newbie = w.agents.newKey();
        List<Credential> late = new ArrayList<>();
        underAttack(random -> {
            late.clear();
            // blocker 1: bob "removes" the OWNER (refused on rank, but it is a cut-off about alice)
            w.write(bob.feed(), role(before, bob.device(), alice.identity(), SpaceRole.SPACE_ROLE_REMOVED, heads(before)));
            // blocker 2: a stranger's removal of the OWNER whose parent never arrives (pending forever)
            w.write(bob.feed(), role(before, stranger.device(), alice.identity(), SpaceRole.SPACE_ROLE_REMOVED,
                    List.of(CredentialId.of(randomBytes(random)))));
            // the payload: remove the other ADMIN, and grant a newcomer ADMIN, with ids ground below the removal's
            late.add(grindBelow(removalId, () -> role(before, bob.device(), carol.identity(), SpaceRole.SPACE_ROLE_REMOVED, heads(before))));
            late.add(grindBelow(removalId, () -> role(before, bob.device(), newbie, SpaceRole.SPACE_ROLE_ADMIN, heads(before))));
            for (Credential c : late) {
                w.write(bob.feed(), c);
            }
        }, s -> {
            assertThat(s.roleOf(alice.identity())).contains(SpaceRole.SPACE_ROLE_OWNER);
            assertThat(s.roleOf(bob.identity())).contains(SpaceRole.SPACE_ROLE_REMOVED);
            assertThat(s.roleOf(carol.identity())).contains(SpaceRole.SPACE_ROLE_ADMIN);
            assertThat(s.roleOf(newbie)).isEmpty();
            assertApplied(s, early);
            for (Credential c : late) {
                assertRefused(s, c, RefusalReason.ISSUER_REMOVED);
            }
        });
    }

    @Test
    @DisplayName("cut-off holds for a revoked device: it cannot leave, revoke or grant its way out of its revocation")
    void revokedDeviceCannotCancelItsOwnRevocation() throws Exception {
        Signer b1 = bob.device();
        Signer b2 = w.agents.newDevice(w.agents.self(bob.identity()), DeviceScope.DEVICE_SCOPE_ADMIN);
        SpaceState before = w.replay();
        Credential revocation = revocation(b2, b1.key(), bob.feed());
        w.write(alice.feed(), revocation); // copied into the space by a member (rule 8)
        PublicKey newbie = w.agents.newKey();
        List<Credential> late = new ArrayList<>();
        underAttack(random -> {
            late.clear();
            // blocker: the revoked device "revokes" the device that revoked it
            w.write(bob.feed(), Credentials.issue(b1).subject(b2.key()).assertion(DeviceRevoked.getDefaultInstance())
                    .parents(heads(before)).sign());
            // "my identity leaves", so the revocation would be refused as issued by a removed member
            late.add(grindBelow(Credentials.id(revocation), () -> role(before, b1, bob.identity(), SpaceRole.SPACE_ROLE_REMOVED, heads(before))));
            late.add(grindBelow(Credentials.id(revocation), () -> role(before, b1, newbie, SpaceRole.SPACE_ROLE_ADMIN, heads(before))));
            for (Credential c : late) {
                w.write(bob.feed(), c);
            }
        }, s -> {
            assertApplied(s, revocation);
            assertThat(s.isRevoked(bob.identity(), b1.key())).isTrue();
            assertThat(s.roleOf(bob.identity())).contains(SpaceRole.SPACE_ROLE_ADMIN);
            assertThat(s.roleOf(newbie)).isEmpty();
            for (Credential c : late) {
                assertRefused(s, c, RefusalReason.SIGNER_REVOKED);
            }
        });
    }

    @Test
    @DisplayName("a re-added member's revoked device stays revoked: its grants do not come back with the member")
    void readdingTheMemberDoesNotReviveTheRevokedDevice() throws Exception {
        Signer b1 = bob.device();
        Signer b2 = w.agents.newDevice(w.agents.self(bob.identity()), DeviceScope.DEVICE_SCOPE_ADMIN);
        SpaceState before = w.replay();
        Credential revocation = revocation(b2, b1.key(), bob.feed());
        w.write(alice.feed(), revocation);
        PublicKey newbie = w.agents.newKey();
        Credential grant = role(before, b1, newbie, SpaceRole.SPACE_ROLE_ADMIN, heads(before));
        w.write(bob.feed(), grant);
        w.setRole(alice, bob, SpaceRole.SPACE_ROLE_REMOVED);
        w.setRole(alice, bob, SpaceRole.SPACE_ROLE_ADMIN);
        SpaceState s = w.replay();
        assertRefused(s, grant, RefusalReason.SIGNER_REVOKED);
        assertThat(s.roleOf(newbie)).isEmpty();
        assertThat(s.roleOf(bob.identity())).contains(SpaceRole.SPACE_ROLE_ADMIN);
    }

    @Test
    @DisplayName("what a member wrote while removed stays refused after it is added again")
    void writtenWhileRemovedStaysRefused() throws Exception {
        SpaceState before = w.replay();
        w.setRole(alice, bob, SpaceRole.SPACE_ROLE_REMOVED);
        PublicKey newbie = w.agents.newKey();
        Credential whileRemoved = role(before, bob.device(), newbie, SpaceRole.SPACE_ROLE_EDITOR, heads(before));
        w.write(bob.feed(), whileRemoved);
        w.setRole(alice, bob, SpaceRole.SPACE_ROLE_ADMIN); // sees bob's feed up to whileRemoved
        PublicKey later = w.agents.newKey();
        Credential afterReadd = w.setRole(bob, new SpaceWorld.Person("later", later, null, null), SpaceRole.SPACE_ROLE_READER);
        SpaceState s = w.replay();
        assertRefused(s, whileRemoved, RefusalReason.ISSUER_REMOVED);
        assertApplied(s, afterReadd);
        assertThat(s.roleOf(newbie)).isEmpty();
        assertThat(s.roleOf(later)).contains(SpaceRole.SPACE_ROLE_READER);
    }

    @Test
    @DisplayName("cut-off holds for a demotion: a demoted ADMIN's later grant with old parents is refused")
    void demotedAdminCannotGrantAfterDemotion() throws Exception {
        SpaceWorld.Person dave = w.person("dave");
        SpaceState before = w.replay();
        Credential early = w.setRole(before, bob, dave, SpaceRole.SPACE_ROLE_EDITOR);
        Credential demotion = w.setRole(alice, bob, SpaceRole.SPACE_ROLE_READER);
        PublicKey newbie = w.agents.newKey();
        List<Credential> late = new ArrayList<>();
        underAttack(random -> {
            late.clear();
            late.add(grindBelow(Credentials.id(demotion), () -> role(before, bob.device(), newbie, SpaceRole.SPACE_ROLE_ADMIN, heads(before))));
            late.add(grindBelow(Credentials.id(demotion), () -> role(before, bob.device(), carol.identity(), SpaceRole.SPACE_ROLE_REMOVED, heads(before))));
            for (Credential c : late) {
                w.write(bob.feed(), c);
            }
        }, s -> {
            assertApplied(s, early);
            assertThat(s.roleOf(bob.identity())).contains(SpaceRole.SPACE_ROLE_READER);
            assertThat(s.roleOf(carol.identity())).contains(SpaceRole.SPACE_ROLE_ADMIN);
            assertThat(s.roleOf(newbie)).isEmpty();
            for (Credential c : late) {
                assertRefused(s, c, RefusalReason.NOT_AUTHORIZED);
            }
        });
    }

    @Test
    @DisplayName("mutual removals between equal ranks remove both, whatever ids either side grinds")
    void mutualRemovalBetweenEqualsRemovesBoth() throws Exception {
        SpaceState view = w.replay();
        Map<PublicKey, Long> seen = w.lastPositions(); // neither has seen the other's removal
        underAttack(random -> {
            w.write(carol.feed(), Spaces.setRole(view, carol.device(), bob.identity(), SpaceRole.SPACE_ROLE_REMOVED, seen));
            w.write(bob.feed(), Spaces.setRole(view, bob.device(), carol.identity(), SpaceRole.SPACE_ROLE_REMOVED, seen));
        }, s -> {
            assertThat(s.roleOf(bob.identity())).contains(SpaceRole.SPACE_ROLE_REMOVED);
            assertThat(s.roleOf(carol.identity())).contains(SpaceRole.SPACE_ROLE_REMOVED);
            assertThat(s.roleOf(alice.identity())).contains(SpaceRole.SPACE_ROLE_OWNER);
        });
    }

    @Test
    @DisplayName("concurrent role changes by equal ranks: the lower role wins, not the lower id")
    void concurrentEqualRankChangesAreNotDecidedById() throws Exception {
        SpaceWorld.Person dave = w.person("dave");
        w.setRole(alice, dave, SpaceRole.SPACE_ROLE_READER);
        SpaceState view = w.replay();
        Map<PublicKey, Long> seen = w.lastPositions();
        underAttack(random -> {
            w.write(bob.feed(), Spaces.setRole(view, bob.device(), dave.identity(), SpaceRole.SPACE_ROLE_ADMIN, seen));
            w.write(carol.feed(), Spaces.setRole(view, carol.device(), dave.identity(), SpaceRole.SPACE_ROLE_EDITOR, seen));
        }, s -> assertThat(s.roleOf(dave.identity())).contains(SpaceRole.SPACE_ROLE_EDITOR));
    }

    @Test
    @DisplayName("a credential with several proofs is judged on each: a weaker copy placed first cannot get it refused")
    void weakerCopyCannotRefuseTheHonestOne() throws Exception {
        SpaceWorld.Person dave = w.person("dave");
        SpaceWorld.Person eve = w.person("eve");
        PublicKey eveFeed = eve.feed();
        while (eveFeed.compareTo(bob.feed()) > 0) {
            eveFeed = w.agents.newKey(); // eve's feed sorts before bob's, so her copy is read first
        }
        eve = new SpaceWorld.Person("eve", eve.identity(), eve.device(), eveFeed);
        w.join(alice, eve, SpaceRole.SPACE_ROLE_READER);
        // bob's device was once also authorized with READ scope; eve attaches that chain to bob's honest signature
        Signer b1 = bob.device();
        Credential readAuth = DeviceAuthorizations.authorize(w.agents.self(bob.identity()), b1.key(), DeviceScope.DEVICE_SCOPE_READ,
                DeviceAuthorizations.consent(w.agents.keyring, b1.key(), bob.identity()), Optional.empty());
        Credential honest = Spaces.setRole(w.replay(), b1, dave.identity(), SpaceRole.SPACE_ROLE_READER, w.lastPositions());
        Credential weaker = honest.toBuilder().setProof(honest.getProof().toBuilder()
                .setChain(Chain.newBuilder().setCredential(readAuth))).build();
        assertThat(Credentials.id(weaker)).isEqualTo(Credentials.id(honest));
        for (boolean weakerFirst : new boolean[] {true, false}) {
            List<SpaceEntry> base = new ArrayList<>(w.entries);
            SpaceEntry atEve = w.write(eve.feed(), weaker);
            SpaceEntry atBob = w.write(bob.feed(), honest);
            List<SpaceEntry> entries = new ArrayList<>(base);
            entries.addAll(weakerFirst ? List.of(atEve, atBob) : List.of(atBob, atEve));
            SpaceState s = SpaceReplay.replay(w.spaceKey, entries, w.verifier);
            assertApplied(s, honest);
            assertThat(s.roleOf(dave.identity())).contains(SpaceRole.SPACE_ROLE_READER);
            w.entries.clear();
            w.entries.addAll(base);
            w.nextSeq.merge(eve.feed(), -1L, Long::sum);
            w.nextSeq.merge(bob.feed(), -1L, Long::sum);
        }
    }

    @Test
    @DisplayName("replay never consults outside state: a verifier that calls every device revoked changes nothing")
    void replayConsultsNoOutsideState() throws Exception {
        SpaceWorld.Person dave = w.person("dave");
        w.join(bob, dave, SpaceRole.SPACE_ROLE_EDITOR);
        CredentialVerifier everythingRevoked = CredentialVerifier.builder().deviceStatus((identity, device) -> true)
                .clock(Agents.at(Agents.NOW)).build();
        SpaceState s = SpaceReplay.replay(w.spaceKey, w.entries, everythingRevoked);
        assertThat(SpaceReplayPropertiesTest.fingerprint(s)).isEqualTo(SpaceReplayPropertiesTest.fingerprint(w.replay()));
        assertThat(s.roleOf(dave.identity())).contains(SpaceRole.SPACE_ROLE_EDITOR);
    }

    @Test
    @DisplayName("a stranger's revocations and repeated revocations are refused and count toward the feed's cap")
    void strangerAndRepeatedRevocationsAreRefused() throws Exception {
        SpaceWorld.Person stranger = w.person("stranger");
        Credential strangers = Credentials.issue(w.agents.self(stranger.identity())).subject(alice.device().key())
                .assertion(DeviceRevoked.getDefaultInstance()).parents(heads(w.replay())).sign();
        w.write(bob.feed(), strangers);
        Credential first = revocation(w.agents.self(bob.identity()), bob.device().key(), bob.feed());
        w.write(bob.feed(), first);
        Credential again = revocation(w.agents.self(bob.identity()), bob.device().key(), bob.feed());
        w.write(bob.feed(), again);
        SpaceState s = w.replay();
        assertRefused(s, strangers, RefusalReason.NOT_AUTHORIZED);
        assertThat(s.isRevoked(alice.identity(), alice.device().key())).isFalse();
        assertThat(s.isRevoked(stranger.identity(), alice.device().key())).isFalse();
        assertApplied(s, first);
        assertRefused(s, again, RefusalReason.UNCHANGED);
    }

    /** A DeviceRevoked of {@code device} by {@code by}, accepting {@code feed} up to its last position. */
    Credential revocation(Signer by, PublicKey device, PublicKey feed) throws Exception {
        DeviceRevoked.Builder r = DeviceRevoked.newBuilder().setReason("lost");
        Long last = w.lastPositions().get(feed);
        if (last != null) {
            r.addAcceptedUntil(FeedPosition.newBuilder().setFeedKey(ByteString.copyFrom(feed.toBytes())).setSeq(last));
        }
        return Credentials.issue(by).subject(device).assertion(r.build()).parents(heads(w.replay())).sign();
    }

    static byte[] randomBytes(Random r) {
        byte[] b = new byte[32];
        r.nextBytes(b);
        return b;
    }
}
