package org.halo4j.identity;

import org.halo4j.testing.Agents;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.halo4j.credentials.CredentialVerifier;
import org.halo4j.credentials.Credentials;
import org.halo4j.credentials.DeviceAuthorizations;
import org.halo4j.credentials.Signer;
import org.halo4j.keys.IdentityKeys;
import org.halo4j.keys.InMemoryKeyring;
import org.halo4j.keys.PublicKey;
import org.halo4j.keys.RecoveryPhrase;
import org.halo4j.proto.v1.Credential;
import org.halo4j.proto.v1.DeviceScope;
import org.halo4j.proto.v1.FeedDesignation;
import org.halo4j.spaces.RefusalReason;
import org.halo4j.spaces.SpaceEntry;
import org.halo4j.spaces.SpaceReplay;
import org.halo4j.spaces.SpaceState;
import org.halo4j.spaces.Spaces;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("The HALO: the identity's own space")
class HaloTest {

    final InMemoryKeyring keyring = new InMemoryKeyring();
    final CredentialVerifier verifier = CredentialVerifier.builder().ignoreRevocation().clock(Agents.at(Agents.NOW)).build();
    final List<SpaceEntry> entries = new ArrayList<>();
    final Map<PublicKey, Long> next = new HashMap<>();
    char[] words;
    PublicKey identity;
    PublicKey device;
    PublicKey feed;
    PublicKey haloKey;
    Credential authorization;

    @BeforeEach
    void genesis() throws Exception {
        try (RecoveryPhrase phrase = RecoveryPhrase.generate(new SecureRandom())) {
            words = phrase.toChars();
            identity = IdentityKeys.importIdentity(keyring, phrase);
        }
        device = keyring.generate();
        feed = keyring.generate();
        Spaces.Created halo = Halo.genesis(keyring, identity, device, feed, Optional.of("Ada"), "laptop", Agents.at(Agents.NOW));
        haloKey = halo.spaceKey();
        halo.credentials().forEach(c -> write(feed, c));
        authorization = halo.credentials().get(3);
        keyring.destroy(identity); // backup confirmed: the identity key is gone
    }

    void write(PublicKey f, Credential c) {
        long seq = next.merge(f, 1L, Long::sum) - 1;
        entries.add(SpaceEntry.of(f, seq, c));
    }

    SpaceState replay() {
        return SpaceReplay.replay(haloKey, entries, verifier);
    }

    Map<PublicKey, Long> lastPositions() {
        Map<PublicKey, Long> m = new HashMap<>();
        next.forEach((f, n) -> m.put(f, n - 1));
        return m;
    }

    Signer deviceSigner() {
        return Signer.device(keyring, device, authorization, Agents.at(Agents.NOW));
    }

    @Test
    @DisplayName("genesis: a random HALO key (not the identity key), the identity OWNER, the first device ADMIN")
    void genesisState() {
        SpaceState s = replay();
        assertThat(haloKey).isNotEqualTo(identity);
        assertThat(s.refused()).isEmpty();
        assertThat(s.isMember(identity)).isTrue();
        IdentityState id = IdentityState.of(s, identity);
        assertThat(id.displayName()).contains("Ada");
        assertThat(id.devices()).singleElement().satisfies(d -> {
            assertThat(d.key()).isEqualTo(device);
            assertThat(d.scope()).isEqualTo(DeviceScope.DEVICE_SCOPE_ADMIN);
            assertThat(d.name()).contains("laptop");
            assertThat(d.authorizedBy()).isEqualTo(identity);
            assertThat(d.revoked()).isFalse();
        });
        assertThat(keyring.contains(identity)).isFalse();
    }

    @Nested
    @DisplayName("devices")
    class Devices {
        @Test
        @DisplayName("an ADMIN device authorizes a second device, which consented; the list shows who authorized whom")
        void authorizeSecond() throws Exception {
            PublicKey phone = keyring.generate();
            byte[] consent = DeviceAuthorizations.consent(keyring, phone, identity);
            Halo.authorizeDevice(replay(), deviceSigner(), phone, DeviceScope.DEVICE_SCOPE_WRITE, consent, "phone")
                    .forEach(c -> write(feed, c));
            IdentityState id = IdentityState.of(replay(), identity);
            assertThat(id.devices()).hasSize(2);
            assertThat(id.device(phone)).hasValueSatisfying(d -> {
                assertThat(d.authorizedBy()).isEqualTo(device);
                assertThat(d.scope()).isEqualTo(DeviceScope.DEVICE_SCOPE_WRITE);
            });
        }

        @Test
        @DisplayName("a revoked device can sign nothing new that is accepted")
        void revoke() throws Exception {
            PublicKey phone = keyring.generate();
            PublicKey phoneFeed = keyring.generate();
            byte[] consent = DeviceAuthorizations.consent(keyring, phone, identity);
            List<Credential> auth = Halo.authorizeDevice(replay(), deviceSigner(), phone, DeviceScope.DEVICE_SCOPE_ADMIN, consent, "phone");
            auth.forEach(c -> write(feed, c));
            Credential admit = Credentials.issue(deviceSigner()).subject(phoneFeed)
                    .assertion(Spaces.admittedFeed(keyring, phoneFeed, haloKey, identity, phone, FeedDesignation.FEED_DESIGNATION_CONTROL))
                    .parents(Spaces.parents(replay(), List.of())).sign();
            write(feed, admit);
            Signer phoneSigner = Signer.device(keyring, phone, auth.get(0), Agents.at(Agents.NOW));
            SpaceState before = replay();
            Credential early = Halo.addContact(before, phoneSigner, keyring.generate(), "early");
            write(phoneFeed, early);
            write(feed, Halo.revokeDevice(replay(), List.of(), deviceSigner(), phone, "lost", lastPositions()));
            // the phone, stolen, keeps writing with old parents
            Credential late = Halo.addContact(before, phoneSigner, keyring.generate(), "late");
            write(phoneFeed, late);
            SpaceState s = replay();
            IdentityState id = IdentityState.of(s, identity);
            assertThat(id.device(phone)).hasValueSatisfying(d -> assertThat(d.revoked()).isTrue());
            assertThat(id.contacts()).extracting(ContactInfo::name).containsExactly("early");
            assertThat(s.refused()).anySatisfy(r -> {
                assertThat(r.credential()).contains(Credentials.id(late));
                assertThat(r.reason()).isEqualTo(RefusalReason.SIGNER_REVOKED);
            });
        }

        @Test
        @DisplayName("the device list is a JSON document separate from the DID document")
        void deviceListDocument() throws Exception {
            JsonNode doc = new ObjectMapper().readTree(IdentityState.of(replay(), identity).deviceListJson());
            assertThat(doc.get("id").asText()).isEqualTo(identity.toDidKey());
            assertThat(doc.get("devices").get(0).get("key").asText()).isEqualTo(device.toHex());
            assertThat(doc.get("devices").get(0).get("revoked").asBoolean()).isFalse();
        }
    }

    @Nested
    @DisplayName("recovery (spec §4.1.5): the phrase's identity key authorizes a new device; no genesis is written")
    class Recovery {
        @Test
        @DisplayName("the same 24 words give the same identity, whose key authorizes the new device in the HALO")
        void recover() throws Exception {
            InMemoryKeyring newMachine = new InMemoryKeyring();
            PublicKey recovered;
            try (RecoveryPhrase phrase = RecoveryPhrase.parse(words)) {
                recovered = IdentityKeys.importIdentity(newMachine, phrase);
            }
            assertThat(recovered).isEqualTo(identity);
            PublicKey newDevice = newMachine.generate();
            byte[] consent = DeviceAuthorizations.consent(newMachine, newDevice, recovered);
            // written on the new machine into its own feed, before it has the HALO: parents empty
            PublicKey newFeed = newMachine.generate();
            List<Credential> auth = Halo.authorizeDevice(SpaceReplay.replay(haloKey, List.of(), verifier),
                    Signer.of(newMachine, recovered, Agents.at(Agents.NOW)), newDevice, DeviceScope.DEVICE_SCOPE_ADMIN, consent, "new laptop");
            newMachine.destroy(recovered);
            // the HALO arrives by replication; an existing device admits the new device's feed
            auth.forEach(c -> write(newFeed, c));
            write(feed, Credentials.issue(deviceSigner()).subject(newFeed)
                    .assertion(Spaces.admittedFeed(newMachine, newFeed, haloKey, identity, newDevice, FeedDesignation.FEED_DESIGNATION_CONTROL))
                    .parents(Spaces.parents(replay(), List.of())).sign());
            SpaceState s = replay();
            assertThat(s.genesis()).isPresent();
            assertThat(IdentityState.of(s, identity).device(newDevice)).isPresent();
            assertThat(s.refused()).noneMatch(r -> r.reason() == RefusalReason.SECOND_GENESIS);
        }
    }

    @Test
    @DisplayName("profile and contacts")
    void profileAndContacts() throws Exception {
        write(feed, Halo.setProfile(replay(), deviceSigner(), "Ada L.", Map.of("lang", "en", "city", "London")));
        PublicKey bob = keyring.generate();
        write(feed, Halo.addContact(replay(), deviceSigner(), bob, "Bob"));
        IdentityState id = IdentityState.of(replay(), identity);
        assertThat(id.displayName()).contains("Ada L.");
        assertThat(id.properties()).containsEntry("city", "London").containsEntry("lang", "en");
        assertThat(id.contacts()).singleElement().satisfies(c -> {
            assertThat(c.did()).isEqualTo(bob.toDidKey());
            assertThat(c.name()).isEqualTo("Bob");
        });
    }
}
