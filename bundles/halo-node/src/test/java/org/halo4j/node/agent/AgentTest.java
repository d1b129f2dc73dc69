package org.halo4j.node.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.bouncycastle.crypto.digests.SHA512Digest;
import org.bouncycastle.crypto.generators.PKCS5S2ParametersGenerator;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;
import org.halo4j.credentials.CredentialVerifier;
import org.halo4j.identity.DeviceInfo;
import org.halo4j.keys.Argon2Settings;
import org.halo4j.keys.InMemoryKeyring;
import org.halo4j.keys.PublicKey;
import org.halo4j.keys.RecoveryPhrase;
import org.halo4j.proto.v1.SpaceRole;
import org.halo4j.spaces.RefusalReason;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("Wallet and Agent, on real files")
class AgentTest {

    static final char[] PASS = "agent test passphrase".toCharArray();

    static Wallet wallet(Path home) throws AgentException {
        return Wallet.open(home, Argon2Settings.forTests());
    }

    @Nested
    @DisplayName("identity create, confirm, recover")
    class Identities {
        @Test
        @DisplayName("create shows 24 words; until the backup is confirmed the phrase and identity key are kept; then destroyed")
        void createAndConfirm(@TempDir Path home) throws Exception {
            Wallet w = wallet(home);
            NewIdentity id = w.create(Optional.of("Ada"), "laptop", PASS);
            char[] words = id.phrase().toChars();
            id.phrase().close();
            assertThat(new String(words).split(" ")).hasSize(24);
            assertThat(w.identities()).singleElement().satisfies(s -> {
                assertThat(s.did()).isEqualTo(id.did());
                assertThat(s.current()).isTrue();
                assertThat(s.backupConfirmed()).isFalse();
                assertThat(s.haloSynced()).isTrue();
            });
            try (Agent a = w.open(Optional.empty(), PASS)) {
                assertThat(a.backupConfirmed()).isFalse();
                try (RecoveryPhrase kept = a.recoveryPhrase().orElseThrow()) {
                    assertThat(kept.toChars()).isEqualTo(words);
                }
                RecoveryPhrase other = RecoveryPhrase.generate(new java.security.SecureRandom());
                assertThatThrownBy(() -> a.confirmBackup(other)).isInstanceOf(AgentException.class)
                        .satisfies(e -> assertThat(((AgentException) e).code()).isEqualTo("backup.mismatch"));
                try (RecoveryPhrase typed = RecoveryPhrase.parse(words)) {
                    a.confirmBackup(typed);
                }
                assertThat(a.backupConfirmed()).isTrue();
                assertThat(a.recoveryPhrase()).isEmpty();
                assertThat(a.state().displayName()).contains("Ada");
                assertThat(a.state().devices()).singleElement().satisfies(d -> assertThat(d.name()).contains("laptop"));
            }
            assertThat(wallet(home).identities().get(0).backupConfirmed()).isTrue();
            assertNoSecretsOnDisk(home, words);
        }

        @Test
        @DisplayName("recover on another machine: the same DID, a new device, no genesis, HALO not yet synced")
        void recover(@TempDir Path home, @TempDir Path elsewhere) throws Exception {
            NewIdentity id = wallet(home).create(Optional.empty(), "laptop", PASS);
            char[] words = id.phrase().toChars();
            id.phrase().close();
            Wallet w2 = wallet(elsewhere);
            String did;
            try (RecoveryPhrase p = RecoveryPhrase.parse(words)) {
                did = w2.recover(p, Optional.of("Ada"), "new laptop", PASS);
            }
            assertThat(did).isEqualTo(id.did());
            assertThat(w2.identities()).singleElement().satisfies(s -> assertThat(s.haloSynced()).isFalse());
            try (Agent a = w2.open(Optional.empty(), PASS)) {
                assertThat(a.haloSynced()).isFalse();
                assertThat(a.backupConfirmed()).isTrue();
                assertThatThrownBy(() -> a.setProfile("x", Map.of())).isInstanceOf(AgentException.class)
                        .satisfies(e -> assertThat(((AgentException) e).code()).isEqualTo("halo.not_synced"));
            }
            assertNoSecretsOnDisk(elsewhere, words);
        }

        @Test
        @DisplayName("several isolated identities; 'use' chooses; a wrong passphrase changes nothing")
        void severalIdentities(@TempDir Path home) throws Exception {
            Wallet w = wallet(home);
            NewIdentity a = w.create(Optional.of("A"), "d", PASS);
            a.phrase().close();
            NewIdentity b = w.create(Optional.of("B"), "d", PASS);
            b.phrase().close();
            assertThat(w.current()).contains(b.did());
            w.use(a.did());
            assertThat(w.current()).contains(a.did());
            assertThat(w.identities()).extracting(IdentitySummary::did).containsExactlyInAnyOrder(a.did(), b.did());
            Path keyring = home.resolve("identities").resolve(PublicKey.fromDidKey(a.did()).toHex()).resolve(Wallet.KEYRING);
            byte[] before = Files.readAllBytes(keyring);
            assertThatThrownBy(() -> w.open(Optional.empty(), "wrong".toCharArray())).isInstanceOf(AgentException.class)
                    .satisfies(e -> assertThat(((AgentException) e).code()).isEqualTo("keyring.wrong_passphrase"));
            assertThat(Files.readAllBytes(keyring)).isEqualTo(before);
        }

        @Test
        @DisplayName("a creation interrupted before it was published leaves no identity")
        void interruptedCreation(@TempDir Path home) throws Exception {
            Path staging = home.resolve("identities").resolve(".staging-0011223344556677");
            Files.createDirectories(staging);
            Files.writeString(staging.resolve("identity.meta"), "partial");
            Wallet w = wallet(home);
            assertThat(w.identities()).isEmpty();
            assertThat(staging).doesNotExist();
        }
    }

    @Nested
    @DisplayName("a wallet on a shared machine")
    class SharedMachine {
        @Test
        @DisplayName("a creation in progress (its staging lock held) survives another wallet open; an abandoned one does not")
        void stagingInProgress(@TempDir Path home) throws Exception {
            Wallet w = wallet(home);
            Staging live = w.staging();
            Files.writeString(live.dir().resolve("identity.meta"), "being written");
            Wallet other = wallet(home); // what 'halo identity list' does while 'halo identity create' runs
            assertThat(other.identities()).isEmpty();
            assertThat(live.dir().resolve("identity.meta")).exists();
            // The creator dies without cleaning up: its lock is released, its lock file stays behind.
            live.held().close();
            wallet(home);
            assertThat(live.dir()).doesNotExist();
            assertThat(live.lockFile()).doesNotExist();
        }

        @Test
        @DisplayName("a home others can write, or a directory on its way writable by others without the sticky bit, is refused")
        void homePermissions(@TempDir Path tmp) throws Exception {
            Path group = Files.createDirectory(tmp.resolve("group"));
            Files.setPosixFilePermissions(group, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwx---"));
            assertThatThrownBy(() -> wallet(group)).satisfies(e -> {
                assertThat(((AgentException) e).code()).isEqualTo("storage.permissions");
                assertThat(e.getMessage()).contains("0770").contains("chmod 700");
            });
            Path shared = Files.createDirectory(tmp.resolve("shared"));
            Files.setPosixFilePermissions(shared, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
            assertThatThrownBy(() -> wallet(shared.resolve("a").resolve("home")))
                    .satisfies(e -> assertThat(((AgentException) e).code()).isEqualTo("storage.permissions"));
            assertThat(shared.resolve("a")).as("nothing is created in a bad place").doesNotExist();
            // the sticky bit (as on /tmp) makes a shared directory safe to hold a private one
            Files.setAttribute(shared, "unix:mode", 01777);
            assertThat(wallet(shared.resolve("home")).identities()).isEmpty();
            assertThat(Files.getPosixFilePermissions(shared.resolve("home")))
                    .containsExactlyInAnyOrder(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                            java.nio.file.attribute.PosixFilePermission.OWNER_WRITE,
                            java.nio.file.attribute.PosixFilePermission.OWNER_EXECUTE);
        }

        @Test
        @DisplayName("a home owned by another user is refused (needs root to chown)")
        void foreignHome(@TempDir Path tmp) throws Exception {
            org.junit.jupiter.api.Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
                    "only root can give a directory to another user");
            Path home = Files.createDirectory(tmp.resolve("theirs"));
            Files.setPosixFilePermissions(home, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
            Files.setOwner(home, home.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody"));
            assertThatThrownBy(() -> wallet(home)).satisfies(e -> {
                assertThat(((AgentException) e).code()).isEqualTo("storage.permissions");
                assertThat(e.getMessage()).contains("nobody");
            });
        }
    }

    @Nested
    @DisplayName("spaces, devices, contacts, credentials")
    class Spaces {
        @Test
        @DisplayName("space lifecycle: create, add members, change roles, remove, audit")
        void lifecycle(@TempDir Path home) throws Exception {
            Wallet w = wallet(home);
            w.create(Optional.of("Ada"), "laptop", PASS).phrase().close();
            InMemoryKeyring others = new InMemoryKeyring();
            PublicKey bob = others.generate();
            PublicKey carol = others.generate();
            try (Agent a = w.open(Optional.empty(), PASS)) {
                SpaceSummary s = a.createSpace("team");
                assertThat(s.myRole()).contains(SpaceRole.SPACE_ROLE_OWNER);
                a.addContact(bob, "Bob");
                a.setRole("team", bob, SpaceRole.SPACE_ROLE_EDITOR);
                a.setRole(s.spaceId(), carol, SpaceRole.SPACE_ROLE_READER);
                a.setRole("team", bob, SpaceRole.SPACE_ROLE_ADMIN);
                a.remove("team", carol);
                assertThat(a.members("team")).extracting(MemberSummary::did, MemberSummary::role).contains(
                        org.assertj.core.groups.Tuple.tuple(a.did(), SpaceRole.SPACE_ROLE_OWNER),
                        org.assertj.core.groups.Tuple.tuple(bob.toDidKey(), SpaceRole.SPACE_ROLE_ADMIN),
                        org.assertj.core.groups.Tuple.tuple(carol.toDidKey(), SpaceRole.SPACE_ROLE_REMOVED));
                assertThat(a.members("team")).filteredOn(m -> m.identity().equals(bob)).singleElement()
                        .satisfies(m -> assertThat(m.name()).contains("Bob"));
                assertThat(a.space("team").members()).isEqualTo(2);
                assertThat(a.audit("team")).isEmpty();
                // the circle: the explicit contact (named), then members of shared spaces
                assertThat(a.circle()).extracting(org.halo4j.identity.ContactInfo::identity, org.halo4j.identity.ContactInfo::explicit)
                        .containsExactly(org.assertj.core.groups.Tuple.tuple(bob, true));
                a.setRole("team", carol, SpaceRole.SPACE_ROLE_READER);
                assertThat(a.circle()).extracting(org.halo4j.identity.ContactInfo::identity).containsExactly(bob, carol);
            }
        }

        @Test
        @DisplayName("read-only: the same state as an unlocked agent without the keyring file; signing fails with keyring.locked")
        void readOnly(@TempDir Path home) throws Exception {
            Wallet w = wallet(home);
            w.create(Optional.of("Ada"), "laptop", PASS).phrase().close();
            InMemoryKeyring others = new InMemoryKeyring();
            PublicKey bob = others.generate();
            List<MemberSummary> members;
            try (Agent a = w.open(Optional.empty(), PASS)) {
                a.createSpace("team");
                a.setRole("team", bob, SpaceRole.SPACE_ROLE_EDITOR);
                members = a.members("team");
            }
            String hex = PublicKey.fromDidKey(w.identities().get(0).did()).toHex();
            Path keyring = home.resolve("identities").resolve(hex).resolve(Wallet.KEYRING);
            Files.move(keyring, keyring.resolveSibling("moved-away"));
            try (Agent r = w.read(Optional.empty())) {
                assertThat(r.readOnly()).isTrue();
                assertThat(r.members("team")).isEqualTo(members);
                assertThat(r.state().devices()).hasSize(1);
                assertThat(r.backupConfirmed()).isFalse();
                assertThat(r.credentials(Optional.empty())).isNotEmpty();
                assertThatThrownBy(() -> r.setRole("team", bob, SpaceRole.SPACE_ROLE_READER))
                        .satisfies(e -> assertThat(((AgentException) e).code()).isEqualTo("keyring.locked"));
                assertThatThrownBy(() -> r.createSpace("more"))
                        .satisfies(e -> assertThat(((AgentException) e).code()).isEqualTo("keyring.locked"));
            }
            Files.move(keyring.resolveSibling("moved-away"), keyring);
            try (Agent r = w.read(Optional.empty())) {
                assertThat(r.members("team")).isEqualTo(members); // nothing was written by the refused attempts
            }
        }

        @Test
        @DisplayName("an unknown or ambiguous space is named")
        void spaceNames(@TempDir Path home) throws Exception {
            Wallet w = wallet(home);
            w.create(Optional.empty(), "laptop", PASS).phrase().close();
            try (Agent a = w.open(Optional.empty(), PASS)) {
                a.createSpace("twin");
                a.createSpace("twin");
                assertThatThrownBy(() -> a.space("twin")).satisfies(e -> assertThat(((AgentException) e).code()).isEqualTo("space.ambiguous"));
                assertThatThrownBy(() -> a.space("none")).satisfies(e -> assertThat(((AgentException) e).code()).isEqualTo("space.unknown"));
                assertThat(a.spaces()).hasSize(2);
            }
        }

        @Test
        @DisplayName("credentials list, export by id, and a presentation that verifies")
        void credentialsAndPresentation(@TempDir Path home) throws Exception {
            Wallet w = wallet(home);
            w.create(Optional.of("Ada"), "laptop", PASS).phrase().close();
            try (Agent a = w.open(Optional.empty(), PASS)) {
                a.createSpace("team");
                List<CredentialSummary> all = a.credentials(Optional.empty());
                assertThat(all).extracting(CredentialSummary::type).contains("SpaceGenesis", "AuthorizedDevice", "SpaceMember");
                assertThat(a.credentials(Optional.of("team"))).hasSize(3);
                CredentialSummary profile = all.stream().filter(c -> c.type().equals("IdentityProfile")).findFirst().orElseThrow();
                assertThat(a.credential(profile.id())).isEqualTo(profile.credential());
                a.verifier().verify(profile.credential().toByteArray());
                byte[] nonce = new byte[32];
                var p = a.signPresentation("https://app.example.com", nonce, List.of(profile.id()));
                assertThat(p.getCredentialsCount()).isEqualTo(1);
            }
        }

        @Test
        @DisplayName("a revoked device is marked, and the revocation is copied into every space")
        void revokeDevice(@TempDir Path home) throws Exception {
            Wallet w = wallet(home);
            w.create(Optional.empty(), "laptop", PASS).phrase().close();
            try (Agent a = w.open(Optional.empty(), PASS)) {
                a.createSpace("team");
                // a second device of this identity, authorized by this one
                InMemoryKeyring phoneKeys = new InMemoryKeyring();
                PublicKey phone = phoneKeys.generate();
                byte[] consent = org.halo4j.credentials.DeviceAuthorizations.consent(phoneKeys, phone, a.identity());
                a.authorizeDevice(phone, org.halo4j.proto.v1.DeviceScope.DEVICE_SCOPE_WRITE, consent, "phone");
                assertThat(a.state().device(phone)).hasValueSatisfying(d -> assertThat(d.authorizedBy()).isEqualTo(a.device()));
                org.halo4j.proto.v1.Credential phoneAuth = a.credentials(Optional.empty()).stream()
                        .filter(c -> c.type().equals("AuthorizedDevice") && c.subject().equals(phone))
                        .findFirst().orElseThrow().credential();
                org.halo4j.credentials.Signer phoneSigner = org.halo4j.credentials.Signer.device(phoneKeys, phone, phoneAuth);
                byte[] byPhone = org.halo4j.credentials.Credentials.issue(phoneSigner).subject(phoneKeys.generate())
                        .assertion(org.halo4j.proto.v1.Contact.newBuilder().setDisplayName("Bob").build()).sign().toByteArray();
                a.verifier().verify(byPhone);
                assertThat(login(a, phoneSigner)).isEqualTo(a.identity());

                a.revokeDevice(phone);

                // A revoked device cannot log in, nor have what it signs accepted, by a verifier fed from this state.
                assertThatThrownBy(() -> login(a, phoneSigner)).isInstanceOfSatisfying(
                        org.halo4j.errors.HaloRejectedException.class,
                        e -> assertThat(e.code()).isEqualTo(org.halo4j.errors.RejectionCode.DEVICE_REVOKED));
                assertThatThrownBy(() -> a.verifier().verify(byPhone))
                        .isInstanceOf(org.halo4j.credentials.DeviceRevokedException.class);
                assertThat(login(a, a.deviceSigner())).as("the other device still logs in").isEqualTo(a.identity());
                assertThat(a.state().devices()).filteredOn(DeviceInfo::revoked).extracting(DeviceInfo::key).containsExactly(phone);
                assertThat(a.credentials(Optional.of("team"))).extracting(CredentialSummary::type).contains("DeviceRevoked");
                assertThat(a.audit("team")).noneMatch(r -> r.reason() == RefusalReason.INVALID_CREDENTIAL);
            }
        }
    }

    @Nested
    @DisplayName("a revocation keeps the past in every space")
    class RevocationKeepsThePast {
        @Test
        @DisplayName("what a device wrote in a space before its revocation stays: the revocation records its space feeds too")
        void revokedDevicesEarlierRoleChangeStays(@TempDir Path home) throws Exception {
            Wallet w = wallet(home);
            w.create(Optional.empty(), "laptop", PASS).phrase().close();
            try (Agent a = w.open(Optional.empty(), PASS)) {
                a.createSpace("team");
                PublicKey bob = new InMemoryKeyring().generate();
                a.setRole("team", bob, SpaceRole.SPACE_ROLE_EDITOR);

                a.revokeDevice(a.device());

                assertThat(a.members("team")).anySatisfy(m -> {
                    assertThat(m.identity()).isEqualTo(bob);
                    assertThat(m.role()).isEqualTo(SpaceRole.SPACE_ROLE_EDITOR);
                });
                assertThat(a.audit("team")).noneMatch(r -> r.reason() == RefusalReason.SIGNER_REVOKED);
            }
        }
    }

    /** Logs in at a relying party whose revocations come from {@code a}'s state; returns who logged in. */
    static PublicKey login(Agent a, org.halo4j.credentials.Signer signer) throws Exception {
        org.halo4j.presentations.HaloVerifier site = org.halo4j.presentations.HaloVerifier.builder()
                .audience("https://app.example.com")
                .challengeStore(new org.halo4j.presentations.InMemoryChallengeStore())
                .deviceStatus(a.deviceStatus())
                .build();
        org.halo4j.presentations.Challenge c = site.startLogin();
        return site.finishLogin(c, org.halo4j.presentations.Presentations.sign(signer, c).toByteArray()).identity();
    }

    /** DESIGN §2: tests scan the data directory for the key and phrase bytes. */
    static void assertNoSecretsOnDisk(Path home, char[] words) throws Exception {
        byte[] phrase = new String(words).getBytes(StandardCharsets.UTF_8);
        byte[] identitySeed = identitySeed(phrase);
        try (Stream<Path> files = Files.walk(home)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                byte[] content = Files.readAllBytes(f);
                assertThat(indexOf(content, phrase)).as("phrase in %s", f).isNegative();
                assertThat(indexOf(content, java.util.Arrays.copyOf(phrase, 20))).as("start of the phrase in %s", f).isNegative();
                assertThat(indexOf(content, identitySeed)).as("identity private key in %s", f).isNegative();
            }
        }
    }

    /** BIP39 seed (empty passphrase) then SLIP-0010 ed25519 m/4256'/0', computed independently of halo4j. */
    static byte[] identitySeed(byte[] mnemonic) {
        PKCS5S2ParametersGenerator pbkdf2 = new PKCS5S2ParametersGenerator(new SHA512Digest());
        pbkdf2.init(mnemonic, "mnemonic".getBytes(StandardCharsets.UTF_8), 2048);
        byte[] seed = ((KeyParameter) pbkdf2.generateDerivedParameters(512)).getKey();
        byte[] node = hmac("ed25519 seed".getBytes(StandardCharsets.UTF_8), seed);
        for (long index : new long[] {4256L | 0x80000000L, 0x80000000L}) {
            byte[] data = new byte[37];
            System.arraycopy(node, 0, data, 1, 32);
            data[33] = (byte) (index >>> 24);
            data[34] = (byte) (index >>> 16);
            data[35] = (byte) (index >>> 8);
            data[36] = (byte) index;
            node = hmac(java.util.Arrays.copyOfRange(node, 32, 64), data);
        }
        return java.util.Arrays.copyOf(node, 32);
    }

    private static byte[] hmac(byte[] key, byte[] data) {
        HMac mac = new HMac(new SHA512Digest());
        mac.init(new KeyParameter(key));
        mac.update(data, 0, data.length);
        byte[] out = new byte[64];
        mac.doFinal(out, 0);
        return out;
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
