package org.halo4j.fuzz;

import org.halo4j.testing.Agents;
import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.halo4j.credentials.ChainedSigner;
import org.halo4j.credentials.CredentialId;
import org.halo4j.credentials.Credentials;
import org.halo4j.credentials.SignerSpec;
import org.halo4j.keys.DidKey;
import org.halo4j.keys.KeyringException;
import org.halo4j.keys.PublicKey;
import org.halo4j.keys.SignatureDomain;
import org.halo4j.keys.X25519;
import org.halo4j.presentations.Challenge;
import org.halo4j.presentations.Presentations;
import org.halo4j.proto.v1.AdmittedFeed;
import org.halo4j.proto.v1.Contact;
import org.halo4j.proto.v1.Credential;
import org.halo4j.proto.v1.DeviceProfile;
import org.halo4j.proto.v1.DeviceRevoked;
import org.halo4j.proto.v1.DeviceScope;
import org.halo4j.proto.v1.FeedDesignation;
import org.halo4j.proto.v1.FeedPosition;
import org.halo4j.proto.v1.IdentityProfile;
import org.halo4j.proto.v1.MemberProfile;
import org.halo4j.proto.v1.Property;
import org.halo4j.proto.v1.SpaceGenesis;
import org.halo4j.proto.v1.SpaceMember;
import org.halo4j.proto.v1.SpaceRole;

/**
 * Writes the seed corpora of the fuzz tests: valid credentials of every assertion type, valid presentations
 * answering {@link HaloVerifierFuzzTest#NONCE}, and sample key and challenge texts. Run once, by hand; the
 * output is checked in under {@code src/test/resources/org/halo4j/fuzz/} (see docs/testing.md for the classpath):
 * <pre>
 * java -cp target/test-classes:target/classes:$(cat target/cp.txt) org.halo4j.fuzz.FuzzSeeds src/test/resources
 * </pre>
 * Nothing expires, so the seeds stay valid.
 */
public final class FuzzSeeds {

    private final Path root;

    private FuzzSeeds(Path root) {
        this.root = root.resolve("org/halo4j/fuzz");
    }

    public static void main(String[] args) throws Exception {
        new FuzzSeeds(Path.of(args.length > 0 ? args[0] : "src/test/resources")).writeAll();
    }

    private void writeAll() throws Exception {
        ChainedSigner direct = signer(0x10, 0);
        ChainedSigner oneDevice = signer(0x20, 1);
        ChainedSigner twoDevices = signer(0x30, 2);
        ChainedSigner fourDevices = signer(0x40, 4);
        ChainedSigner space = signer(0x50, 0);
        PublicKey spaceKey = space.identity();
        Clock clock = Agents.at(Agents.NOW);

        Credential identityProfile = issue(direct, direct.identity(), identityProfile("Ada", "city", "London", "lang", "en"),
                List.of(), Optional.empty());
        Credential spaceMember = issue(twoDevices, key(0x70), SpaceMember.newBuilder()
                .setSpaceKey(bytes(spaceKey))
                .setRole(SpaceRole.SPACE_ROLE_EDITOR)
                .setProfile(MemberProfile.newBuilder().setSpaceKey(bytes(spaceKey)).setDisplayName("Grace")
                        .addProperties(property("team", "compilers")))
                .build(), List.of(id(identityProfile), CredentialId.of(filled(0x71)), CredentialId.of(filled(0x72))),
                Optional.of(Instant.parse("2999-01-01T00:00:00Z")));
        Credential deviceProfile = issue(oneDevice, oneDevice.signer().key(),
                DeviceProfile.newBuilder().setDisplayName("laptop").setPlatform("linux").build(), List.of(), Optional.empty());
        Credential contact = issue(direct, key(0x73), Contact.newBuilder().setDisplayName("Linus")
                .setCachedProfile(identityProfile("Linus T.", "site", "kernel.org")).build(), List.of(), Optional.empty());
        Credential contactByDeepDevice = issue(fourDevices, key(0x74), Contact.newBuilder().setDisplayName("Barbara").build(),
                List.of(CredentialId.of(filled(0x75))), Optional.empty());
        Credential authorizedDevice = oneDevice.signer().authorization().orElseThrow();
        Credential genesis = issue(space, spaceKey, SpaceGenesis.newBuilder().setSpaceKey(bytes(spaceKey)).setName("Team")
                .build(), List.of(), Optional.empty());
        Credential revoked = issue(direct, key(0x76), DeviceRevoked.newBuilder()
                .addAcceptedUntil(FeedPosition.newBuilder().setFeedKey(bytes(key(0x77))).setSeq(12))
                .addAcceptedUntil(FeedPosition.newBuilder().setFeedKey(bytes(key(0x78))).setSeq(0))
                .setReason("lost").build(), List.of(), Optional.empty());
        Credential memberProfile = issue(direct, direct.identity(), MemberProfile.newBuilder().setSpaceKey(bytes(spaceKey))
                .setDisplayName("Ada L.").addProperties(property("role", "analyst")).build(), List.of(), Optional.empty());
        Credential admittedFeed = admittedFeed(space, spaceKey, direct.identity(), oneDevice.signer().key());

        String verify = "CredentialVerifierFuzzTestInputs/verifyAcceptsOrRejects";
        write(verify, "identity-profile-direct", identityProfile.toByteArray());
        write(verify, "space-member-two-devices", spaceMember.toByteArray());
        write(verify, "device-profile-one-device", deviceProfile.toByteArray());
        write(verify, "contact-direct", contact.toByteArray());
        write(verify, "contact-four-devices", contactByDeepDevice.toByteArray());
        write(verify, "authorized-device", authorizedDevice.toByteArray());
        write(verify, "space-genesis", genesis.toByteArray());
        write(verify, "device-revoked", revoked.toByteArray());
        write(verify, "member-profile", memberProfile.toByteArray());
        write(verify, "admitted-feed", admittedFeed.toByteArray());

        String login = "HaloVerifierFuzzTestInputs/finishLoginAcceptsOrRejects";
        byte[] nonce = HaloVerifierFuzzTest.NONCE;
        String audience = HaloVerifierFuzzTest.AUDIENCE;
        write(login, "plain-login-direct",
                Presentations.sign(direct.signer(), nonce, audience, List.of(), clock).toByteArray());
        Credential membership = issue(space, oneDevice.identity(), SpaceMember.newBuilder().setSpaceKey(bytes(spaceKey))
                .setRole(SpaceRole.SPACE_ROLE_READER).build(), List.of(), Optional.empty());
        Credential ownProfile = issue(oneDevice, oneDevice.identity(), identityProfile("Ada"), List.of(), Optional.empty());
        write(login, "login-one-device-two-credentials",
                Presentations.sign(oneDevice.signer(), nonce, audience, List.of(ownProfile, membership), clock).toByteArray());
        Credential deepProfile = issue(fourDevices, fourDevices.identity(), identityProfile("Deep", "k", "v"),
                List.of(), Optional.empty());
        write(login, "login-four-devices-one-credential",
                Presentations.sign(fourDevices.signer(), nonce, audience, List.of(deepProfile), clock).toByteArray());

        String keys = "KeyParsersFuzzTestInputs/parseOrRefuse";
        write(keys, "did-key", direct.identity().toDidKey().getBytes(StandardCharsets.UTF_8));
        write(keys, "hex-lower", direct.identity().toHex().getBytes(StandardCharsets.UTF_8));
        write(keys, "hex-upper", oneDevice.identity().toHex().toUpperCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
        String x25519 = "did:key:" + DidKey.multibaseX25519(X25519.publicKeyOf(direct.identity()));
        write(keys, "did-key-x25519-multicodec", x25519.getBytes(StandardCharsets.UTF_8));

        String challenges = "ChallengeJsonFuzzTestInputs/fromJsonReadsOrRefuses";
        Instant t = Instant.parse("2026-11-22T10:15:30.123456789Z");
        write(challenges, "challenge", new Challenge(nonce, audience, t, t.plusSeconds(300)).toJson()
                .getBytes(StandardCharsets.UTF_8));
        write(challenges, "challenge-escapes", ("{ \"nonce\" : \"" + "AB".repeat(32) + "\",\n\t\"audience\":\"https:\\/\\/r\\u00e9.example\","
                + "\"issuedAt\":\"2026-11-22T10:15:30Z\",\"expiresAt\":\"+12026-01-01T00:00:00Z\" }")
                .getBytes(StandardCharsets.UTF_8));
    }

    /** The identity with seed {@code base..base}, signing itself or through {@code depth} devices. */
    private static ChainedSigner signer(int base, int depth) throws KeyringException {
        List<byte[]> devices = new ArrayList<>();
        for (int i = 1; i <= depth; i++) {
            devices.add(filled(base + i));
        }
        return new SignerSpec(filled(base), devices, DeviceScope.DEVICE_SCOPE_ADMIN).build();
    }

    private static Credential issue(ChainedSigner signer, PublicKey subject, Message assertion, List<CredentialId> parents,
                                    Optional<Instant> expiresAt) throws KeyringException {
        Credentials.Builder b = Credentials.issue(signer.signer()).subject(subject).assertion(assertion).parents(parents);
        expiresAt.ifPresent(b::expiresAt);
        return b.sign();
    }

    private static Credential admittedFeed(ChainedSigner space, PublicKey spaceKey, PublicKey identity, PublicKey device)
            throws KeyringException {
        PublicKey feed = space.keyring().importSeed(filled(0x60));
        byte[] payload = new byte[3 * PublicKey.LENGTH];
        spaceKey.copyTo(payload, 0);
        identity.copyTo(payload, PublicKey.LENGTH);
        device.copyTo(payload, 2 * PublicKey.LENGTH);
        byte[] possession = space.keyring().sign(feed, SignatureDomain.FEED_ADMIT, payload);
        return issue(space, feed, AdmittedFeed.newBuilder()
                .setSpaceKey(bytes(spaceKey))
                .setIdentityKey(bytes(identity))
                .setDeviceKey(bytes(device))
                .setDesignation(FeedDesignation.FEED_DESIGNATION_DATA)
                .setFeedSignature(ByteString.copyFrom(possession))
                .build(), List.of(), Optional.empty());
    }

    private static IdentityProfile identityProfile(String name, String... keyValues) {
        IdentityProfile.Builder p = IdentityProfile.newBuilder().setDisplayName(name);
        for (int i = 0; i < keyValues.length; i += 2) {
            p.addProperties(property(keyValues[i], keyValues[i + 1]));
        }
        return p.build();
    }

    private static Property property(String key, String value) {
        return Property.newBuilder().setKey(key).setValue(value).build();
    }

    private static CredentialId id(Credential c) {
        return Credentials.id(c);
    }

    /** The public key of the seed filled with {@code n}: a valid point, as every subject must be. */
    private static PublicKey key(int n) {
        return new org.halo4j.keys.InMemoryKeyring().importSeed(filled(n));
    }

    private static ByteString bytes(PublicKey key) {
        return ByteString.copyFrom(key.toBytes());
    }

    private static byte[] filled(int n) {
        byte[] b = new byte[32];
        Arrays.fill(b, (byte) n);
        return b;
    }

    private void write(String dir, String name, byte[] content) throws IOException {
        Path d = root.resolve(dir);
        Files.createDirectories(d);
        Files.write(d.resolve(name), content);
    }
}
