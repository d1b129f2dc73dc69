package org.halo4j.spaces;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.halo4j.credentials.CredentialId;
import org.halo4j.credentials.Credentials;
import org.halo4j.credentials.Signer;
import org.halo4j.keys.PublicKey;
import org.halo4j.proto.v1.AdmittedFeed;
import org.halo4j.proto.v1.Credential;
import org.halo4j.proto.v1.DeviceRevoked;
import org.halo4j.proto.v1.DeviceScope;
import org.halo4j.proto.v1.FeedDesignation;
import org.halo4j.proto.v1.FeedPosition;
import org.halo4j.proto.v1.IdentityProfile;
import org.halo4j.proto.v1.SpaceGenesis;
import org.halo4j.proto.v1.SpaceMember;
import org.halo4j.proto.v1.SpaceRole;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("Rules of state (DESIGN §4)")
class SpaceRulesTest {

    SpaceWorld w;
    SpaceWorld.Person alice;
    SpaceWorld.Person bob;
    SpaceWorld.Person carol;

    @BeforeEach
    void setUp() throws Exception {
        w = new SpaceWorld();
        alice = w.person("alice");
        bob = w.person("bob");
        carol = w.person("carol");
        w.create(alice);
    }

    static void assertRefused(SpaceState s, Credential c, RefusalReason reason) {
        CredentialId id = Credentials.id(c);
        assertThat(s.refused()).as("refusals: %s", s.refused())
                .anySatisfy(r -> {
                    assertThat(r.credential()).contains(id);
                    assertThat(r.reason()).isEqualTo(reason);
                });
        assertThat(s.isApplied(id)).isFalse();
    }

    static void assertApplied(SpaceState s, Credential c) {
        CredentialId id = Credentials.id(c);
        assertThat(s.isApplied(id)).as("refused: %s, pending: %s", s.refused(), s.pending()).isTrue();
    }

    @Nested
    @DisplayName("rule 1: exactly one genesis; issuer = subject = space key; the genesis feed's first entry")
    class Rule1 {
        @Test
        @DisplayName("the creator is the first OWNER and its control feed is admitted")
        void genesis() {
            SpaceState s = w.replay();
            assertThat(s.genesis()).isPresent();
            assertThat(s.roleOf(alice.identity())).contains(SpaceRole.SPACE_ROLE_OWNER);
            assertThat(s.feeds()).containsKey(alice.feed());
            assertThat(s.refused()).isEmpty();
            assertThat(s.pending()).isEmpty();
        }

        @Test
        @DisplayName("a second genesis signed by a kept space key is refused")
        void secondGenesis() throws Exception {
            SpaceWorld w2 = new SpaceWorld();
            PublicKey space = w2.agents.newKey();
            w2.spaceKey = space;
            PublicKey f1 = w2.agents.newKey();
            PublicKey f2 = w2.agents.newKey();
            Credential g1 = genesis(w2, space, "one");
            Credential g2 = genesis(w2, space, "two");
            w2.write(f1, g1);
            w2.write(f2, g2);
            SpaceState s = w2.replay();
            CredentialId first = Collections.min(List.of(Credentials.id(g1), Credentials.id(g2)));
            assertThat(s.genesis()).contains(first);
            assertRefused(s, first.equals(Credentials.id(g1)) ? g2 : g1, RefusalReason.SECOND_GENESIS);
        }

        @Test
        @DisplayName("a genesis that is not entry 0 of its feed is refused, and nothing else applies")
        void notFirst() throws Exception {
            SpaceWorld w2 = new SpaceWorld();
            PublicKey space = w2.agents.newKey();
            w2.spaceKey = space;
            PublicKey feed = w2.agents.newKey();
            w2.write(feed, Credentials.issue(w2.agents.self(space)).subject(space)
                    .assertion(IdentityProfile.newBuilder().setDisplayName("x").build()).sign());
            Credential g = genesis(w2, space, "late");
            w2.write(feed, g);
            SpaceState s = w2.replay();
            assertRefused(s, g, RefusalReason.GENESIS_NOT_FIRST);
            assertThat(s.genesis()).isEmpty();
            assertThat(s.pending()).extracting(Refusal::reason).containsOnly(RefusalReason.NO_GENESIS);
        }

        @Test
        @DisplayName("a genesis of another space key, or signed by another key, is not this space's genesis")
        void foreignGenesis() throws Exception {
            SpaceWorld w2 = new SpaceWorld();
            PublicKey space = w2.agents.newKey();
            PublicKey other = w2.agents.newKey();
            w2.spaceKey = space;
            Credential g = genesis(w2, other, "other");
            w2.write(w2.agents.newKey(), g);
            SpaceState s = w2.replay();
            assertRefused(s, g, RefusalReason.OTHER_SPACE);
        }

        private Credential genesis(SpaceWorld world, PublicKey space, String name) throws Exception {
            return Credentials.issue(world.agents.self(space)).subject(space)
                    .assertion(SpaceGenesis.newBuilder().setSpaceKey(ByteString.copyFrom(space.toBytes())).setName(name).build())
                    .sign();
        }
    }

    @Nested
    @DisplayName("rule 2: who may set roles")
    class Rule2 {
        @Test
        @DisplayName("an OWNER grants ADMIN; an ADMIN grants EDITOR; an EDITOR grants nothing")
        void grants() throws Exception {
            w.join(alice, bob, SpaceRole.SPACE_ROLE_ADMIN);
            w.join(bob, carol, SpaceRole.SPACE_ROLE_EDITOR);
            SpaceWorld.Person dave = w.person("dave");
            Credential byEditor = w.setRole(carol, dave, SpaceRole.SPACE_ROLE_READER);
            SpaceState s = w.replay();
            assertThat(s.roleOf(bob.identity())).contains(SpaceRole.SPACE_ROLE_ADMIN);
            assertThat(s.roleOf(carol.identity())).contains(SpaceRole.SPACE_ROLE_EDITOR);
            assertRefused(s, byEditor, RefusalReason.NOT_AUTHORIZED);
            assertThat(s.roleOf(dave.identity())).isEmpty();
        }

        @Test
        @DisplayName("nobody raises their own role")
        void raiseOwn() throws Exception {
            w.join(alice, bob, SpaceRole.SPACE_ROLE_EDITOR);
            Credential raise = w.setRole(bob, bob, SpaceRole.SPACE_ROLE_OWNER);
            SpaceState s = w.replay();
            assertRefused(s, raise, RefusalReason.RAISES_OWN_ROLE);
            assertThat(s.roleOf(bob.identity())).contains(SpaceRole.SPACE_ROLE_EDITOR);
        }

        @Test
        @DisplayName("the only OWNER cannot step down or leave while no other OWNER exists (decision 0003)")
        void lastOwner() throws Exception {
            w.join(alice, bob, SpaceRole.SPACE_ROLE_ADMIN);
            Credential stepDown = w.setRole(alice, alice, SpaceRole.SPACE_ROLE_READER);
            Credential leave = w.setRole(alice, alice, SpaceRole.SPACE_ROLE_REMOVED);
            SpaceState s = w.replay();
            assertRefused(s, stepDown, RefusalReason.LAST_OWNER);
            assertRefused(s, leave, RefusalReason.LAST_OWNER);
            assertThat(s.roleOf(alice.identity())).contains(SpaceRole.SPACE_ROLE_OWNER);
            // The way out: another OWNER first; then alice may step down.
            w.setRole(alice, bob, SpaceRole.SPACE_ROLE_OWNER);
            w.setRole(alice, alice, SpaceRole.SPACE_ROLE_EDITOR);
            SpaceState after = w.replay();
            assertThat(after.roleOf(alice.identity())).contains(SpaceRole.SPACE_ROLE_EDITOR);
            assertThat(after.roleOf(bob.identity())).contains(SpaceRole.SPACE_ROLE_OWNER);
            // bob is now the only OWNER in turn.
            Credential bobLeaves = w.setRole(bob, bob, SpaceRole.SPACE_ROLE_REMOVED);
            assertRefused(w.replay(), bobLeaves, RefusalReason.LAST_OWNER);
        }

        @Test
        @DisplayName("anyone may lower their own role or leave")
        void lowerOrLeave() throws Exception {
            w.join(alice, bob, SpaceRole.SPACE_ROLE_EDITOR);
            w.join(alice, carol, SpaceRole.SPACE_ROLE_READER);
            w.setRole(bob, bob, SpaceRole.SPACE_ROLE_READER);
            w.setRole(carol, carol, SpaceRole.SPACE_ROLE_REMOVED);
            SpaceState s = w.replay();
            assertThat(s.roleOf(bob.identity())).contains(SpaceRole.SPACE_ROLE_READER);
            assertThat(s.roleOf(carol.identity())).contains(SpaceRole.SPACE_ROLE_REMOVED);
            assertThat(s.isMember(carol.identity())).isFalse();
        }

        @Test
        @DisplayName("an ADMIN cannot demote or remove an OWNER, nor grant OWNER; an OWNER may grant OWNER")
        void adminVersusOwner() throws Exception {
            w.join(alice, bob, SpaceRole.SPACE_ROLE_ADMIN);
            Credential demote = w.setRole(bob, alice, SpaceRole.SPACE_ROLE_READER);
            Credential remove = w.setRole(bob, alice, SpaceRole.SPACE_ROLE_REMOVED);
            w.join(alice, carol, SpaceRole.SPACE_ROLE_EDITOR);
            Credential grantOwner = w.setRole(bob, carol, SpaceRole.SPACE_ROLE_OWNER);
            SpaceState s = w.replay();
            assertRefused(s, demote, RefusalReason.ADMIN_VS_OWNER);
            assertRefused(s, remove, RefusalReason.ADMIN_VS_OWNER);
            assertRefused(s, grantOwner, RefusalReason.NOT_AUTHORIZED);
            assertThat(s.roleOf(alice.identity())).contains(SpaceRole.SPACE_ROLE_OWNER);
            Credential owner = w.setRole(alice, carol, SpaceRole.SPACE_ROLE_OWNER);
            assertApplied(w.replay(), owner);
        }

        @Test
        @DisplayName("a credential for another space is refused here, even by this space's OWNER")
        void copiedFromAnotherSpace() throws Exception {
            SpaceWorld other = new SpaceWorld(w.agents);
            other.create(alice);
            // signed by alice, OWNER of both spaces, naming parents of this space: only the space_key differs
            Credential there = Credentials.issue(alice.device()).subject(bob.identity())
                    .assertion(SpaceMember.newBuilder().setSpaceKey(ByteString.copyFrom(other.spaceKey.toBytes()))
                            .setRole(SpaceRole.SPACE_ROLE_ADMIN).build())
                    .parents(Spaces.parents(w.replay(), List.of())).sign();
            w.write(alice.feed(), there);
            assertRefused(w.replay(), there, RefusalReason.OTHER_SPACE);
        }

        @Test
        @DisplayName("a READ device cannot write to a space")
        void readDevice() throws Exception {
            Signer reader = w.agents.newDevice(w.agents.self(alice.identity()), DeviceScope.DEVICE_SCOPE_READ);
            SpaceWorld.Person aliceReader = new SpaceWorld.Person("alice-reader", alice.identity(), reader, alice.feed());
            Credential c = w.setRole(aliceReader, bob, SpaceRole.SPACE_ROLE_EDITOR);
            assertRefused(w.replay(), c, RefusalReason.DEVICE_SCOPE);
        }
    }

    @Nested
    @DisplayName("rule 3: admitted feeds")
    class Rule3 {
        @Test
        @DisplayName("a non-member cannot admit its own feed, and its credentials stay pending")
        void selfAdmittedByNonMember() throws Exception {
            Credential self = Credentials.issue(bob.device()).subject(bob.feed())
                    .assertion(Spaces.admittedFeed(w.agents.keyring, bob.feed(), w.spaceKey, bob.identity(), bob.device().key(),
                            FeedDesignation.FEED_DESIGNATION_CONTROL))
                    .parents(Spaces.parents(w.replay(), List.of())).sign();
            w.write(alice.feed(), self); // even when smuggled into an admitted feed
            Credential byBob = w.setRole(bob, carol, SpaceRole.SPACE_ROLE_READER);
            SpaceState s = w.replay();
            assertRefused(s, self, RefusalReason.NOT_A_MEMBER);
            assertThat(s.pending()).anySatisfy(p -> {
                assertThat(p.credential()).contains(Credentials.id(byBob));
                assertThat(p.reason()).isEqualTo(RefusalReason.FEED_NOT_ADMITTED);
            });
        }

        @Test
        @DisplayName("a member admits the feed of the device that signs; a READER only CONTROL feeds")
        void readerAdmitsDataFeed() throws Exception {
            w.setRole(alice, bob, SpaceRole.SPACE_ROLE_READER);
            w.admit(alice, bob, FeedDesignation.FEED_DESIGNATION_CONTROL);
            SpaceWorld.Person bobData = new SpaceWorld.Person("bob-data", bob.identity(), bob.device(), w.agents.newKey());
            Credential data = w.admit(bob, bobData, FeedDesignation.FEED_DESIGNATION_DATA);
            SpaceWorld.Person bobControl2 = new SpaceWorld.Person("bob-2", bob.identity(), bob.device(), w.agents.newKey());
            Credential control = w.admit(bob, bobControl2, FeedDesignation.FEED_DESIGNATION_CONTROL);
            SpaceState s = w.replay();
            assertRefused(s, data, RefusalReason.READER_DATA_FEED);
            assertApplied(s, control);
        }

        @Test
        @DisplayName("a feed admitted without its key's proof of possession is refused")
        void noProofOfPossession() throws Exception {
            w.setRole(alice, bob, SpaceRole.SPACE_ROLE_EDITOR);
            PublicKey stolenFeed = w.agents.newKey();
            AdmittedFeed real = Spaces.admittedFeed(w.agents.keyring, stolenFeed, w.spaceKey, bob.identity(), bob.device().key(),
                    FeedDesignation.FEED_DESIGNATION_CONTROL);
            AdmittedFeed forged = real.toBuilder().setFeedSignature(ByteString.copyFrom(new byte[64])).build();
            Credential c = Credentials.issue(alice.device()).subject(stolenFeed).assertion(forged)
                    .parents(Spaces.parents(w.replay(), List.of())).sign();
            w.write(alice.feed(), c);
            SpaceState s = w.replay();
            assertThat(s.refused()).anySatisfy(r -> {
                assertThat(r.reason()).isEqualTo(RefusalReason.INVALID_CREDENTIAL);
                assertThat(r.detail()).startsWith("feed.possession");
            });
            assertThat(s.feeds()).doesNotContainKey(stolenFeed);
        }
    }

    @Nested
    @DisplayName("rule 4: revoked devices and removed members")
    class Rule4 {
        @Test
        @DisplayName("a removed member's later credential is refused, even with old parents; what it did before stays")
        void removedMemberChoosesOldParents() throws Exception {
            w.join(alice, bob, SpaceRole.SPACE_ROLE_ADMIN);
            SpaceState before = w.replay();
            Credential early = w.setRole(before, bob, carol, SpaceRole.SPACE_ROLE_READER);
            w.setRole(alice, bob, SpaceRole.SPACE_ROLE_REMOVED);
            // bob writes after his removal but names only old parents, to look concurrent
            SpaceWorld.Person dave = w.person("dave");
            Credential late = w.setRole(before, bob, dave, SpaceRole.SPACE_ROLE_EDITOR);
            SpaceState s = w.replay();
            assertApplied(s, early);
            assertRefused(s, late, RefusalReason.ISSUER_REMOVED);
            assertThat(s.roleOf(carol.identity())).contains(SpaceRole.SPACE_ROLE_READER);
            assertThat(s.roleOf(dave.identity())).isEmpty();
        }

        @Test
        @DisplayName("a revoked device's later credential is refused, even with old parents; its earlier ones stay")
        void revokedDeviceChoosesOldParents() throws Exception {
            w.join(alice, bob, SpaceRole.SPACE_ROLE_ADMIN);
            SpaceState before = w.replay();
            Credential early = w.setRole(before, bob, carol, SpaceRole.SPACE_ROLE_READER);
            Credential revocation = revoke(bob, bob.device().key(), Optional.empty());
            w.write(alice.feed(), revocation); // copied into the space by a member
            SpaceWorld.Person dave = w.person("dave");
            Credential late = w.setRole(before, bob, dave, SpaceRole.SPACE_ROLE_EDITOR);
            SpaceState s = w.replay();
            assertApplied(s, revocation);
            assertApplied(s, early);
            assertRefused(s, late, RefusalReason.SIGNER_REVOKED);
            assertThat(s.isRevoked(bob.identity(), bob.device().key())).isTrue();
        }

        @Test
        @DisplayName("revoking a device does not revoke devices it authorized earlier (kept by the revocation)")
        void keptAuthorizations() throws Exception {
            w.join(alice, bob, SpaceRole.SPACE_ROLE_ADMIN);
            Signer second = w.agents.newDevice(bob.device(), DeviceScope.DEVICE_SCOPE_ADMIN);
            CredentialId link = Credentials.id(second.authorization().orElseThrow());
            SpaceWorld.Person bob2 = new SpaceWorld.Person("bob2", bob.identity(), second, w.agents.newKey());
            w.admit(bob, bob2, FeedDesignation.FEED_DESIGNATION_CONTROL);
            w.write(alice.feed(), revoke(bob, bob.device().key(), Optional.of(link)));
            Credential bySecond = w.setRole(bob2, carol, SpaceRole.SPACE_ROLE_EDITOR);
            assertApplied(w.replay(), bySecond);
        }

        @Test
        @DisplayName("a device authorized by a revoked device in a credential the revocation does not keep is refused")
        void notKept() throws Exception {
            w.join(alice, bob, SpaceRole.SPACE_ROLE_ADMIN);
            Signer second = w.agents.newDevice(bob.device(), DeviceScope.DEVICE_SCOPE_ADMIN);
            SpaceWorld.Person bob2 = new SpaceWorld.Person("bob2", bob.identity(), second, w.agents.newKey());
            w.admit(bob, bob2, FeedDesignation.FEED_DESIGNATION_CONTROL);
            w.write(alice.feed(), revoke(bob, bob.device().key(), Optional.empty()));
            Credential bySecond = w.setRole(bob2, carol, SpaceRole.SPACE_ROLE_EDITOR);
            assertRefused(w.replay(), bySecond, RefusalReason.CHAIN_REVOKED);
        }
    }

    @Nested
    @DisplayName("rule 5: concurrent changes merge deterministically")
    class Rule5 {
        @Test
        @DisplayName("removal beats a concurrent grant, in every arrival order")
        void removalBeatsGrant() throws Exception {
            w.join(alice, bob, SpaceRole.SPACE_ROLE_ADMIN);
            w.join(alice, carol, SpaceRole.SPACE_ROLE_READER);
            SpaceState view = w.replay();
            w.setRole(view, alice, carol, SpaceRole.SPACE_ROLE_REMOVED);
            w.setRole(view, bob, carol, SpaceRole.SPACE_ROLE_EDITOR);
            for (SpaceState s : shuffledReplays(20)) {
                assertThat(s.roleOf(carol.identity())).contains(SpaceRole.SPACE_ROLE_REMOVED);
            }
        }

        @Test
        @DisplayName("between two concurrent grants the higher-ranked issuer wins")
        void higherRankWins() throws Exception {
            w.join(alice, bob, SpaceRole.SPACE_ROLE_ADMIN);
            w.join(alice, carol, SpaceRole.SPACE_ROLE_READER);
            SpaceState view = w.replay();
            w.setRole(view, bob, carol, SpaceRole.SPACE_ROLE_ADMIN);
            w.setRole(view, alice, carol, SpaceRole.SPACE_ROLE_EDITOR);
            for (SpaceState s : shuffledReplays(20)) {
                assertThat(s.roleOf(carol.identity())).contains(SpaceRole.SPACE_ROLE_EDITOR);
            }
        }

        @Test
        @DisplayName("a change that names the current role setter as parent supersedes it")
        void sequentialChangesApply() throws Exception {
            w.join(alice, bob, SpaceRole.SPACE_ROLE_EDITOR);
            w.setRole(alice, bob, SpaceRole.SPACE_ROLE_REMOVED);
            w.setRole(alice, bob, SpaceRole.SPACE_ROLE_READER);
            assertThat(w.replay().roleOf(bob.identity())).contains(SpaceRole.SPACE_ROLE_READER);
        }

        private List<SpaceState> shuffledReplays(int n) {
            List<SpaceState> out = new ArrayList<>();
            Random random = new Random(42);
            for (int i = 0; i < n; i++) {
                List<SpaceEntry> e = new ArrayList<>(w.entries);
                Collections.shuffle(e, random);
                out.add(SpaceReplay.replay(w.spaceKey, e, w.verifier));
            }
            return out;
        }
    }

    @Nested
    @DisplayName("rule 6: pending, not refused; invalid kept for audit; a cap per feed")
    class Rule6 {
        @Test
        @DisplayName("a credential whose parent has not arrived is pending, and applies once it arrives")
        void pendingUntilParentArrives() throws Exception {
            w.join(alice, bob, SpaceRole.SPACE_ROLE_ADMIN);
            SpaceEntry grant = w.entries.get(w.entries.size() - 2);
            Credential child = w.setRole(bob, carol, SpaceRole.SPACE_ROLE_EDITOR);
            List<SpaceEntry> withoutBobsGrant = new ArrayList<>(w.entries);
            withoutBobsGrant.remove(grant);
            SpaceState partial = SpaceReplay.replay(w.spaceKey, withoutBobsGrant, w.verifier);
            assertThat(partial.pending()).anySatisfy(p -> assertThat(p.credential()).contains(Credentials.id(child)));
            assertThat(partial.refused()).isEmpty();
            assertApplied(w.replay(), child);
        }

        @Test
        @DisplayName("an invalid credential is never applied and never fatal; past the cap its feed is frozen")
        void auditAndFreeze() throws Exception {
            Credential good = w.setRole(alice, bob, SpaceRole.SPACE_ROLE_READER);
            Credential bad = good.toBuilder().setBody(good.getBody().concat(ByteString.copyFrom(new byte[] {0x50, 0x01}))).build();
            PublicKey spam = w.agents.newKey();
            for (int i = 0; i < SpaceReplay.MAX_REFUSALS_PER_FEED + 5; i++) {
                w.write(spam, bad);
            }
            SpaceState s = w.replay();
            assertApplied(s, good);
            assertThat(s.frozenFeeds()).containsExactly(spam);
            assertThat(s.refused()).hasSize(SpaceReplay.MAX_REFUSALS_PER_FEED + 1);
            assertThat(s.refused().get(s.refused().size() - 1).reason()).isEqualTo(RefusalReason.FEED_FROZEN);
        }

        @Test
        @DisplayName("hostile histories terminate: a revocation that records no positions but names X as parent keeps X")
        void waitCycleTerminates() throws Exception {
            w.join(alice, bob, SpaceRole.SPACE_ROLE_ADMIN);
            // bob's device signs X; a revocation without positions names X as a parent: X would wait for the
            // revocation, which waits for X. X is in its causal past, so X applies first, then the revocation.
            Credential x = w.setRole(bob, carol, SpaceRole.SPACE_ROLE_READER);
            Credential revocation = Credentials.issue(w.agents.self(bob.identity())).subject(bob.device().key())
                    .assertion(DeviceRevoked.getDefaultInstance()).parents(List.of(Credentials.id(x))).sign();
            w.write(alice.feed(), revocation);
            SpaceWorld.Person dave = w.person("dave");
            Credential after = w.setRole(w.replay(), bob, dave, SpaceRole.SPACE_ROLE_READER);
            SpaceState s = w.replay();
            assertApplied(s, x);
            assertApplied(s, revocation);
            assertRefused(s, after, RefusalReason.SIGNER_REVOKED);
        }

        @Test
        @DisplayName("a parent that names nothing known keeps a credential pending, never looping")
        void forgedParent() throws Exception {
            Credential c = Credentials.issue(alice.device()).subject(bob.identity())
                    .assertion(SpaceMember.newBuilder().setSpaceKey(ByteString.copyFrom(w.spaceKey.toBytes()))
                            .setRole(SpaceRole.SPACE_ROLE_READER).build())
                    .parents(List.of(CredentialId.of(new byte[32]))).sign();
            w.write(alice.feed(), c);
            SpaceState s = w.replay();
            assertThat(s.pending()).singleElement().satisfies(p -> assertThat(p.reason()).isEqualTo(RefusalReason.MISSING_PARENT));
        }
    }

    @Nested
    @DisplayName("rule 8: device revocation is identity-scoped and portable")
    class Rule8 {
        @Test
        @DisplayName("concurrent mutual revocations revoke both")
        void mutualRevocations() throws Exception {
            w.join(alice, bob, SpaceRole.SPACE_ROLE_ADMIN);
            Signer b1 = bob.device();
            Signer b2 = w.agents.newDevice(w.agents.self(bob.identity()), DeviceScope.DEVICE_SCOPE_ADMIN);
            SpaceState view = w.replay();
            Credential r1 = Credentials.issue(b1).subject(b2.key()).assertion(DeviceRevoked.getDefaultInstance())
                    .parents(Spaces.parents(view, List.of())).sign();
            Credential r2 = Credentials.issue(b2).subject(b1.key()).assertion(DeviceRevoked.getDefaultInstance())
                    .parents(Spaces.parents(view, List.of())).sign();
            w.write(alice.feed(), r1);
            w.write(alice.feed(), r2);
            SpaceState s = w.replay();
            assertThat(s.isRevoked(bob.identity(), b1.key())).isTrue();
            assertThat(s.isRevoked(bob.identity(), b2.key())).isTrue();
        }

        @Test
        @DisplayName("a revocation copied from the HALO applies in a space although its HALO parents are not there")
        void portable() throws Exception {
            w.join(alice, bob, SpaceRole.SPACE_ROLE_ADMIN);
            Credential revocation = Credentials.issue(w.agents.self(bob.identity())).subject(bob.device().key())
                    .assertion(DeviceRevoked.getDefaultInstance())
                    .parents(List.of(CredentialId.of(new byte[32]))) // a HALO credential this space never sees
                    .sign();
            w.write(alice.feed(), revocation);
            SpaceState s = w.replay();
            assertApplied(s, revocation);
            assertThat(s.isRevoked(bob.identity(), bob.device().key())).isTrue();
        }

        @Test
        @DisplayName("only the identity or its ADMIN devices revoke; a WRITE device cannot")
        void writeDeviceCannotRevoke() throws Exception {
            w.join(alice, bob, SpaceRole.SPACE_ROLE_ADMIN);
            Signer writer = w.agents.newDevice(w.agents.self(bob.identity()), DeviceScope.DEVICE_SCOPE_WRITE);
            Credential r = Credentials.issue(writer).subject(bob.device().key()).assertion(DeviceRevoked.getDefaultInstance())
                    .parents(Spaces.parents(w.replay(), List.of())).sign();
            w.write(alice.feed(), r);
            assertRefused(w.replay(), r, RefusalReason.NOT_AUTHORIZED);
        }
    }

    /** A DeviceRevoked of {@code device} signed by {@code owner}'s identity key, covering its feed up to now. */
    Credential revoke(SpaceWorld.Person owner, PublicKey device, Optional<CredentialId> keep) throws Exception {
        DeviceRevoked.Builder r = DeviceRevoked.newBuilder().setReason("lost");
        Long last = w.lastPositions().get(owner.feed());
        if (last != null) {
            r.addAcceptedUntil(FeedPosition.newBuilder().setFeedKey(ByteString.copyFrom(owner.feed().toBytes())).setSeq(last));
        }
        keep.ifPresent(k -> r.addKeptAuthorizations(k.toByteString()));
        return Credentials.issue(w.agents.self(owner.identity())).subject(device).assertion(r.build())
                .parents(Spaces.parents(w.replay(), List.of())).sign();
    }
}
