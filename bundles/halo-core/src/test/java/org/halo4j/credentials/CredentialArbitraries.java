package org.halo4j.credentials;

import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;
import org.halo4j.keys.KeyringException;
import org.halo4j.keys.PublicKey;
import org.halo4j.proto.v1.Contact;
import org.halo4j.proto.v1.DeviceProfile;
import org.halo4j.proto.v1.DeviceScope;
import org.halo4j.proto.v1.IdentityProfile;
import org.halo4j.proto.v1.MemberProfile;
import org.halo4j.proto.v1.Property;
import org.halo4j.proto.v1.SpaceMember;
import org.halo4j.proto.v1.SpaceRole;

/**
 * jqwik generators of valid credentials: assertions that pass {@code AssertionRules} (texts within their byte
 * limits, property keys unique and sorted by UTF-8 bytes), signers with device chains of depth 0 to
 * {@link Limits#MAX_CHAIN_DEPTH}, up to {@link Limits#MAX_PARENTS} parents and an optional expiry in the future.
 */
public final class CredentialArbitraries {

    /** Display names are at most 256 UTF-8 bytes; 64 code points of at most 4 bytes each always fit. */
    private static final int MAX_NAME_CODE_POINTS = 64;

    private static final Comparator<String> UTF8_ORDER =
            Comparator.comparing((String s) -> s.getBytes(StandardCharsets.UTF_8), Arrays::compareUnsigned);

    private CredentialArbitraries() {
    }

    /** 32 random bytes: an Ed25519 seed. */
    public static Arbitrary<byte[]> seeds() {
        return Arbitraries.bytes().array(byte[].class).ofSize(32);
    }

    /** The public key of a random seed: a valid Ed25519 point, as every subject must be. */
    public static Arbitrary<PublicKey> keys() {
        return seeds().map(seed -> new org.halo4j.keys.InMemoryKeyring().importSeed(seed));
    }

    /**
     * Text of valid Unicode (no lone surrogates: protobuf would encode them lossily), mixing ASCII with any
     * code point, so that UTF-8 of 1 to 4 bytes per character appears.
     */
    public static Arbitrary<String> text(int minCodePoints, int maxCodePoints) {
        Arbitrary<Integer> ascii = Arbitraries.integers().between(0x20, 0x7e);
        Arbitrary<Integer> any = Arbitraries.integers().between(0, Character.MAX_CODE_POINT)
                .filter(cp -> cp < Character.MIN_SURROGATE || cp > Character.MAX_SURROGATE);
        return Arbitraries.frequencyOf(Tuple.of(3, ascii), Tuple.of(1, any))
                .list().ofMinSize(minCodePoints).ofMaxSize(maxCodePoints)
                .map(cps -> {
                    StringBuilder sb = new StringBuilder();
                    cps.forEach(sb::appendCodePoint);
                    return sb.toString();
                });
    }

    /** A display name that fits {@code AssertionRules.MAX_NAME_BYTES}. */
    public static Arbitrary<String> names() {
        return text(0, MAX_NAME_CODE_POINTS);
    }

    /** Profile properties: non-empty unique keys, sorted by their UTF-8 bytes. */
    public static Arbitrary<List<Property>> properties() {
        return Arbitraries.maps(text(1, 16), text(0, 32)).ofMaxSize(8)
                .map(m -> m.entrySet().stream()
                        .sorted(Map.Entry.comparingByKey(UTF8_ORDER))
                        .map(e -> Property.newBuilder().setKey(e.getKey()).setValue(e.getValue()).build())
                        .toList());
    }

    /** IdentityProfile: about the identity itself (issuer = subject). */
    public static Arbitrary<ClaimSpec> identityProfiles() {
        return Combinators.combine(names(), properties())
                .as((name, props) -> new ClaimSpec(identityProfile(name, props), Optional.empty()));
    }

    private static IdentityProfile identityProfile(String name, List<Property> props) {
        return IdentityProfile.newBuilder().setDisplayName(name).addAllProperties(props).build();
    }

    /** SpaceMember with any role, a random space key and, sometimes, a member profile in that space. */
    public static Arbitrary<ClaimSpec> spaceMembers(boolean aboutSelf) {
        Arbitrary<SpaceRole> roles = Arbitraries.of(SpaceRole.SPACE_ROLE_OWNER, SpaceRole.SPACE_ROLE_ADMIN,
                SpaceRole.SPACE_ROLE_EDITOR, SpaceRole.SPACE_ROLE_READER, SpaceRole.SPACE_ROLE_REMOVED);
        Arbitrary<Optional<MemberProfile.Builder>> profiles = Combinators.combine(names(), properties())
                .as((name, props) -> MemberProfile.newBuilder().setDisplayName(name).addAllProperties(props))
                .optional(0.5);
        return Combinators.combine(keys(), roles, profiles, subjects(aboutSelf))
                .as((space, role, profile, subject) -> {
                    SpaceMember.Builder m = SpaceMember.newBuilder()
                            .setSpaceKey(ByteString.copyFrom(space.toBytes()))
                            .setRole(role);
                    profile.ifPresent(p -> m.setProfile(p.setSpaceKey(m.getSpaceKey())));
                    return new ClaimSpec(m.build(), subject);
                });
    }

    /** DeviceProfile about a device key. */
    public static Arbitrary<ClaimSpec> deviceProfiles() {
        return Combinators.combine(names(), names(), keys())
                .as((name, platform, device) -> new ClaimSpec(
                        DeviceProfile.newBuilder().setDisplayName(name).setPlatform(platform).build(), Optional.of(device)));
    }

    /** Contact, sometimes with a cached profile of the contact. */
    public static Arbitrary<ClaimSpec> contacts(boolean aboutSelf) {
        Arbitrary<Optional<IdentityProfile>> cached = Combinators.combine(names(), properties())
                .as(CredentialArbitraries::identityProfile).optional(0.5);
        return Combinators.combine(names(), cached, subjects(aboutSelf))
                .as((name, profile, subject) -> {
                    Contact.Builder c = Contact.newBuilder().setDisplayName(name);
                    profile.ifPresent(c::setCachedProfile);
                    return new ClaimSpec(c.build(), subject);
                });
    }

    private static Arbitrary<Optional<PublicKey>> subjects(boolean aboutSelf) {
        return aboutSelf ? Arbitraries.just(Optional.empty()) : keys().map(Optional::of);
    }

    /** Any of IdentityProfile, SpaceMember, DeviceProfile and Contact. */
    public static Arbitrary<ClaimSpec> claims() {
        return Arbitraries.oneOf(identityProfiles(), spaceMembers(false), deviceProfiles(), contacts(false));
    }

    /**
     * The identity signs itself (depth 0) or a device does, through a chain of 1 to
     * {@link Limits#MAX_CHAIN_DEPTH} links; the last link grants any scope.
     */
    public static Arbitrary<SignerSpec> signers() {
        Arbitrary<List<byte[]>> distinctSeeds = seeds().list().ofSize(1 + Limits.MAX_CHAIN_DEPTH)
                .uniqueElements(s -> HexFormat.of().formatHex(s));
        Arbitrary<Integer> depths = Arbitraries.integers().between(0, Limits.MAX_CHAIN_DEPTH);
        Arbitrary<DeviceScope> scopes = Arbitraries.of(DeviceScope.DEVICE_SCOPE_ADMIN, DeviceScope.DEVICE_SCOPE_WRITE,
                DeviceScope.DEVICE_SCOPE_READ);
        return Combinators.combine(distinctSeeds, depths, scopes)
                .as((s, depth, scope) -> new SignerSpec(s.get(0), s.subList(1, 1 + depth), scope));
    }

    /** 0 to {@link Limits#MAX_PARENTS} random parent ids. */
    public static Arbitrary<List<CredentialId>> parents() {
        return seeds().map(CredentialId::of).list().ofMaxSize(Limits.MAX_PARENTS);
    }

    /** No expiry, or one from a minute to ten years after issue, to the nanosecond. */
    public static Arbitrary<Optional<Duration>> expiries() {
        return Combinators.combine(Arbitraries.longs().between(60, 3650L * 86_400), Arbitraries.integers().between(0, 999_999_999))
                .as((seconds, nanos) -> Duration.ofSeconds(seconds, nanos)).optional(0.5);
    }

    /**
     * Signers of every depth from 0 to {@link Limits#MAX_CHAIN_DEPTH}, built once from fixed seeds: for
     * properties that need many credentials but not a new chain for each.
     */
    public static List<ChainedSigner> fixedSigners() throws KeyringException {
        List<ChainedSigner> out = new ArrayList<>();
        for (int depth = 0; depth <= Limits.MAX_CHAIN_DEPTH; depth++) {
            List<byte[]> devices = new ArrayList<>();
            for (int i = 1; i <= depth; i++) {
                devices.add(fixedSeed(16 * depth + i));
            }
            out.add(new SignerSpec(fixedSeed(16 * depth), devices, DeviceScope.DEVICE_SCOPE_WRITE).build());
        }
        return List.copyOf(out);
    }

    private static byte[] fixedSeed(int n) {
        byte[] seed = new byte[32];
        Arrays.fill(seed, (byte) n);
        seed[0] = (byte) 0xa5;
        return seed;
    }

    /** A whole credential: signer, claim, parents and expiry. */
    public static Arbitrary<CredentialSpec> credentials() {
        return Combinators.combine(signers(), claims(), parents(), expiries()).as(CredentialSpec::new);
    }
}
