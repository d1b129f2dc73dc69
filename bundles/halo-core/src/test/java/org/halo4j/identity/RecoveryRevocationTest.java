package org.halo4j.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.halo4j.credentials.CredentialVerifier;
import org.halo4j.credentials.Credentials;
import org.halo4j.credentials.DeviceAuthorizations;
import org.halo4j.credentials.Signer;
import org.halo4j.errors.HaloRejectedException;
import org.halo4j.keys.IdentityKeys;
import org.halo4j.keys.InMemoryKeyring;
import org.halo4j.keys.PublicKey;
import org.halo4j.keys.RecoveryPhrase;
import org.halo4j.presentations.Challenge;
import org.halo4j.presentations.HaloVerifier;
import org.halo4j.presentations.InMemoryChallengeStore;
import org.halo4j.presentations.Presentations;
import org.halo4j.proto.v1.AllDevicesRevoked;
import org.halo4j.proto.v1.Credential;
import org.halo4j.proto.v1.DeviceScope;
import org.halo4j.spaces.RefusalReason;
import org.halo4j.spaces.SpaceEntry;
import org.halo4j.spaces.SpaceReplay;
import org.halo4j.spaces.SpaceState;
import org.halo4j.spaces.Spaces;
import org.halo4j.testing.Agents;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The lost-laptop case (decision 0005): a person recovers the identity from the phrase on a new machine that
 * knows none of the old devices, and revokes them all; once the revocation reaches a relying party, a device
 * authorized before the recovery (and every device it authorized) can no longer log in.
 */
@DisplayName("A recovery revokes every other device, known or not")
class RecoveryRevocationTest {

    static final Instant CREATED = Agents.NOW;
    static final Instant RECOVERED = CREATED.plus(Duration.ofDays(30));
    static final Instant LOGIN = RECOVERED.plus(Duration.ofHours(1));
    static final String SITE = "https://app.example.com";

    final InMemoryKeyring keyring = new InMemoryKeyring();
    final List<SpaceEntry> entries = new ArrayList<>();
    final Map<PublicKey, Long> next = new HashMap<>();
    RecoveryPhrase phrase;
    PublicKey identity;
    PublicKey laptop;          // the first device, lost
    Credential laptopAuth;
    PublicKey phone;           // authorized by the laptop, lost with it
    Credential phoneAuth;
    PublicKey haloKey;
    PublicKey laptopFeed;

    @BeforeEach
    void lifeBeforeTheLoss() throws Exception {
        phrase = RecoveryPhrase.generate(new SecureRandom());
        identity = IdentityKeys.importIdentity(keyring, phrase);
        laptop = keyring.generate();
        laptopFeed = keyring.generate();
        Spaces.Created halo = Halo.genesis(keyring, identity, laptop, laptopFeed, Optional.of("Ada"), "laptop",
                Agents.at(CREATED));
        haloKey = halo.spaceKey();
        halo.credentials().forEach(c -> write(laptopFeed, c));
        laptopAuth = halo.credentials().get(3);
        keyring.destroy(identity); // backup confirmed
        phone = keyring.generate();
        byte[] consent = DeviceAuthorizations.consent(keyring, phone, identity);
        List<Credential> phoneCreds = Halo.authorizeDevice(replay(), laptopSigner(), phone,
                DeviceScope.DEVICE_SCOPE_WRITE, consent, "phone");
        phoneCreds.forEach(c -> write(laptopFeed, c));
        phoneAuth = phoneCreds.get(0);
    }

    void write(PublicKey f, Credential c) {
        long seq = next.merge(f, 1L, Long::sum) - 1;
        entries.add(SpaceEntry.of(f, seq, c));
    }

    SpaceState replay() {
        return SpaceReplay.replay(haloKey, entries);
    }

    Signer laptopSigner() {
        return Signer.device(keyring, laptop, laptopAuth, Agents.at(CREATED));
    }

    /** What the new machine holds and writes: its keys, its authorization by the identity key, the revocation. */
    record Recovery(InMemoryKeyring keys, PublicKey device, Credential auth, Credential revocation) {
    }

    Recovery recover() throws Exception {
        InMemoryKeyring fresh = new InMemoryKeyring();
        PublicKey id = IdentityKeys.importIdentity(fresh, phrase);
        PublicKey desktop = fresh.generate();
        Signer self = Signer.of(fresh, id, Agents.at(RECOVERED));
        Credential auth = DeviceAuthorizations.authorize(self, desktop, DeviceScope.DEVICE_SCOPE_ADMIN,
                DeviceAuthorizations.consent(fresh, desktop, id), Optional.empty());
        Credential revocation = Halo.revokeAllOtherDevices(self, List.of(desktop), "laptop lost");
        fresh.destroy(id);
        return new Recovery(fresh, desktop, auth, revocation);
    }

    HaloVerifier site(SpaceState state) {
        Clock at = Agents.at(LOGIN);
        return HaloVerifier.builder().audience(SITE).challengeStore(new InMemoryChallengeStore())
                .credentialVerifier(CredentialVerifier.builder().deviceStatus(state).clock(at).build()).clock(at).build();
    }

    byte[] presentation(Challenge c, Signer signer) throws Exception {
        return Presentations.sign(signer, c.nonce(), c.audience(), List.of(), Agents.at(LOGIN)).toByteArray();
    }

    @Test
    @DisplayName("a presentation from a device authorized before the recovery is refused after it; so is one from a device it authorized")
    void oldDevicesCannotLogIn() throws Exception {
        HaloVerifier before = site(replay());
        Challenge c0 = before.startLogin();
        assertThat(before.finishLogin(c0, presentation(c0, laptopSigner())).device()).isEqualTo(laptop);

        Recovery r = recover();
        write(laptopFeed, r.revocation()); // however it reaches the replica: here through a feed it replicates
        SpaceState after = replay();
        assertThat(after.refused()).isEmpty();

        HaloVerifier site = site(after);
        Challenge c1 = site.startLogin();
        assertThatThrownBy(() -> site.finishLogin(c1, presentation(c1, laptopSigner())))
                .isInstanceOfSatisfying(HaloRejectedException.class, e -> assertThat(e.code().code()).isEqualTo("device.revoked"));
        Challenge c2 = site.startLogin();
        Signer phoneSigner = Signer.device(keyring, phone, phoneAuth, Agents.at(LOGIN));
        assertThatThrownBy(() -> site.finishLogin(c2, presentation(c2, phoneSigner)))
                .isInstanceOfSatisfying(HaloRejectedException.class, e -> assertThat(e.code().code()).isEqualTo("device.revoked"));
        IdentityState id = IdentityState.of(after, identity);
        assertThat(id.device(laptop)).hasValueSatisfying(d -> assertThat(d.revoked()).isTrue());
        assertThat(id.device(phone)).hasValueSatisfying(d -> assertThat(d.revoked()).isTrue());
    }

    @Test
    @DisplayName("the recovered device, kept, logs in; a device it authorizes later is not touched")
    void keptDeviceLogsIn() throws Exception {
        Recovery r = recover();
        write(laptopFeed, r.revocation());
        InMemoryKeyring fresh = r.keys();
        PublicKey desktop = r.device();
        PublicKey tablet = fresh.generate();
        Signer desktopSigner = Signer.device(fresh, desktop, r.auth(), Agents.at(LOGIN));
        Credential tabletAuth = DeviceAuthorizations.authorize(desktopSigner, tablet, DeviceScope.DEVICE_SCOPE_WRITE,
                DeviceAuthorizations.consent(fresh, tablet, identity), Optional.empty());

        HaloVerifier site = site(replay());
        Challenge c = site.startLogin();
        assertThat(site.finishLogin(c, presentation(c, desktopSigner)).device()).isEqualTo(desktop);
        Challenge c2 = site.startLogin();
        Signer tabletSigner = Signer.device(fresh, tablet, tabletAuth, Agents.at(LOGIN));
        assertThat(site.finishLogin(c2, presentation(c2, tabletSigner)).device()).isEqualTo(tablet);
    }

    @Test
    @DisplayName("only the identity key itself can revoke every device: signed through a device it is refused")
    void onlyTheIdentityKey() throws Exception {
        Credential throughLaptop = Credentials.issue(laptopSigner()).subject(identity)
                .assertion(AllDevicesRevoked.newBuilder().addKeptDevices(com.google.protobuf.ByteString.copyFrom(laptop.toBytes()))
                        .setReason("a thief's attempt").build()).sign();
        assertThatThrownBy(() -> CredentialVerifier.builder().ignoreRevocation().clock(Agents.at(LOGIN)).build()
                .verify(throughLaptop.toByteArray()))
                .isInstanceOfSatisfying(HaloRejectedException.class, e -> assertThat(e.code().code()).isEqualTo("chain.unexpected"));
        write(laptopFeed, throughLaptop);
        SpaceState s = replay();
        assertThat(s.refused()).singleElement().satisfies(r -> assertThat(r.reason()).isEqualTo(RefusalReason.INVALID_CREDENTIAL));
        // nothing was revoked by it
        HaloVerifier site = site(s);
        Challenge c = site.startLogin();
        assertThat(site.finishLogin(c, presentation(c, laptopSigner())).device()).isEqualTo(laptop);
    }

    @Test
    @DisplayName("a stranger's recovery in a space where it is no member revokes nothing there")
    void strangersRecovery() throws Exception {
        InMemoryKeyring other = new InMemoryKeyring();
        PublicKey stranger = other.generate();
        Credential theirs = Halo.revokeAllOtherDevices(Signer.of(other, stranger, Agents.at(RECOVERED)), List.of(), "x");
        write(laptopFeed, theirs);
        SpaceState s = replay();
        assertThat(s.refused()).singleElement().satisfies(r -> assertThat(r.reason()).isEqualTo(RefusalReason.NOT_AUTHORIZED));
        assertThat(s.revokedByRecovery(stranger, laptop, CREATED)).isFalse();
    }

    @Test
    @DisplayName("the thief holding the old laptop cannot get back in: new devices, forged recoveries, floods, any order")
    void thiefWithTheLaptop() throws Exception {
        Recovery r = recover();
        write(laptopFeed, r.revocation());
        // 1. The laptop authorizes a fresh device after the recovery, stamped later still: its chain starts at the
        //    laptop's own authorization, which the identity key issued before the recovery.
        PublicKey tablet = keyring.generate();
        Signer lateLaptop = Signer.device(keyring, laptop, laptopAuth, Agents.at(LOGIN));
        Credential tabletAuth = DeviceAuthorizations.authorize(lateLaptop, tablet, DeviceScope.DEVICE_SCOPE_ADMIN,
                DeviceAuthorizations.consent(keyring, tablet, identity), Optional.empty());
        write(laptopFeed, tabletAuth);
        // 2. A flood of recoveries forged through the laptop, each keeping the laptop, nonces ground by varying reasons.
        for (int i = 0; i < 50; i++) {
            write(laptopFeed, Credentials.issue(lateLaptop).subject(identity).assertion(AllDevicesRevoked.newBuilder()
                    .addKeptDevices(com.google.protobuf.ByteString.copyFrom(laptop.toBytes()))
                    .setReason("keep me " + i).build()).sign());
        }
        // 3. Whatever order a replica receives it all in, the outcome is the same.
        java.util.Random random = new java.util.Random(5);
        for (int round = 0; round < 20; round++) {
            java.util.Collections.shuffle(entries, random);
            SpaceState s = replay();
            assertThat(s.refused()).hasSize(50).allSatisfy(f -> assertThat(f.reason()).isEqualTo(RefusalReason.INVALID_CREDENTIAL));
            HaloVerifier site = site(s);
            for (Signer thief : List.of(laptopSigner(), Signer.device(keyring, tablet, tabletAuth, Agents.at(LOGIN)))) {
                Challenge c = site.startLogin();
                assertThatThrownBy(() -> site.finishLogin(c, presentation(c, thief)))
                        .isInstanceOfSatisfying(HaloRejectedException.class,
                                e -> assertThat(e.code().code()).isEqualTo("device.revoked"));
            }
            Challenge c = site.startLogin();
            Signer desktop = Signer.device(r.keys(), r.device(), r.auth(), Agents.at(LOGIN));
            assertThat(site.finishLogin(c, presentation(c, desktop)).device()).isEqualTo(r.device());
        }
    }
}
