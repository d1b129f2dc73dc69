package org.halo4j.itest;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.CoreOptions.cleanCaches;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.CoreOptions.workingDirectory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import javax.inject.Inject;

import com.google.protobuf.ByteString;

import org.halo4j.errors.HaloRejectedException;
import org.halo4j.credentials.DeviceAuthorizations;
import org.halo4j.errors.RejectionCode;
import org.halo4j.credentials.Signer;
import org.halo4j.keys.Argon2Settings;
import org.halo4j.keys.Ed25519;
import org.halo4j.keys.FileKeyring;
import org.halo4j.keys.IdentityKeys;
import org.halo4j.keys.RecoveryPhrase;
import org.halo4j.presentations.Challenge;
import org.halo4j.presentations.HaloVerifier;
import org.halo4j.presentations.InMemoryChallengeStore;
import org.halo4j.presentations.LoginResult;
import org.halo4j.presentations.Presentations;
import org.halo4j.proto.v1.DeviceScope;
import org.halo4j.keys.InMemoryKeyring;
import org.halo4j.keys.Keyring;
import org.halo4j.keys.PublicKey;
import org.halo4j.keys.SignatureDomain;
import org.halo4j.proto.v1.Credential;
import org.halo4j.proto.v1.CredentialBody;
import org.halo4j.proto.v1.Proof;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.Version;
import org.osgi.framework.namespace.PackageNamespace;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.BundleWire;
import org.osgi.framework.wiring.BundleWiring;

/**
 * Runs the halo4j bundles inside a real Apache Felix framework, with nothing but their declared dependencies:
 * halo-proto, halo-core, bcprov and protobuf-java (plus the Pax Exam infrastructure bundles).
 *
 * <p>The halo4j bundles are the jars of this build (file URLs from the failsafe configuration); the third-party
 * bundles come from the local Maven repository only. See docs/testing.md.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class FelixBundlesIT {

    static final String CORE_BSN = "org.halo4j.core";
    static final String PROTO_BSN = "org.halo4j.proto";
    static final String BC_BSN = "bcprov";
    static final String PROTOBUF_BSN = "com.google.protobuf";

    @Inject
    private BundleContext context;

    @Configuration
    public Option[] config() {
        return options(
                workingDirectory(System.getProperty("paxexam.workdir", "target/paxexam")),
                cleanCaches(true),
                // pax-logging-api (installed by Pax Exam) logs its own DEBUG lines to stdout without this
                systemProperty("org.ops4j.pax.logging.DefaultServiceLog.level").value("WARN"),
                OsgiRuntime.core(),
                junitBundles());
    }

    // ---------------------------------------------------------------------------------------------------------
    // (1) the runtime: every bundle resolves, and halo-core exports only versioned API packages

    @Test
    public void runsInsideOsgi() {
        assertNotNull("no BundleContext injected: not running inside an OSGi framework", context);
        Bundle own = FrameworkUtil.getBundle(FelixBundlesIT.class);
        assertNotNull("the test class was not loaded by a bundle: not running inside OSGi", own);
        assertEquals("org.apache.felix.framework", context.getBundle(0).getSymbolicName());

        Bundle core = FrameworkUtil.getBundle(InMemoryKeyring.class);
        assertNotNull("InMemoryKeyring was loaded from the flat classpath, not from a bundle", core);
        assertEquals(CORE_BSN, core.getSymbolicName());
        assertEquals(PROTO_BSN, symbolicNameOf(Credential.class));
        assertEquals(PROTOBUF_BSN, symbolicNameOf(ByteString.class));
        assertEquals(BC_BSN, symbolicNameOf(org.bouncycastle.math.ec.rfc8032.Ed25519.class));
    }

    @Test
    public void allBundlesAreActive() {
        Map<String, Bundle> wanted = new LinkedHashMap<>();
        for (String bsn : List.of(PROTO_BSN, CORE_BSN, BC_BSN, PROTOBUF_BSN)) {
            wanted.put(bsn, null);
        }
        List<String> notUp = new ArrayList<>();
        for (Bundle b : context.getBundles()) {
            String bsn = b.getSymbolicName();
            if (wanted.containsKey(bsn)) {
                if (wanted.put(bsn, b) != null) {
                    fail("bundle " + bsn + " is installed twice");
                }
            }
            // every bundle in the framework, Pax Exam's own included, must have resolved
            if ((b.getState() & (Bundle.ACTIVE | Bundle.RESOLVED)) == 0) {
                notUp.add(bsn + " " + b.getVersion() + " is " + stateName(b.getState()));
            }
        }
        wanted.forEach((bsn, b) -> assertNotNull("bundle " + bsn + " is not installed", b));
        assertTrue("bundles not resolved: " + notUp, notUp.isEmpty());
        for (Bundle b : wanted.values()) {
            assertEquals(b.getSymbolicName() + " is " + stateName(b.getState()), Bundle.ACTIVE, b.getState());
        }

        // the versions the parent pom manages, not whatever pax-url happened to find
        assertEquals(expectedVersion("halo.expect.bcprov.version"), wanted.get(BC_BSN).getVersion());
        assertEquals(expectedVersion("halo.expect.protobuf.version"), wanted.get(PROTOBUF_BSN).getVersion());
    }

    @Test
    public void haloBundlesAreWiredToTheThirdPartyBundles() {
        Map<String, String> core = packageProviders(CORE_BSN);
        assertEquals("halo-core imports BouncyCastle from: " + core, Set.of(BC_BSN), providersOf(core, "org.bouncycastle."));
        Map<String, String> proto = packageProviders(PROTO_BSN);
        assertEquals("halo-proto imports protobuf from: " + proto, Set.of(PROTOBUF_BSN),
                providersOf(proto, "com.google.protobuf"));
        // whatever else they import from each other or from these libraries must come from the right bundle
        for (Map<String, String> providers : List.of(core, proto)) {
            providers.forEach((pkg, provider) -> {
                if (pkg.startsWith("org.bouncycastle.")) {
                    assertEquals(pkg + " wired to", BC_BSN, provider);
                } else if (pkg.startsWith("com.google.protobuf")) {
                    assertEquals(pkg + " wired to", PROTOBUF_BSN, provider);
                } else if (pkg.startsWith("org.halo4j.proto.")) {
                    assertEquals(pkg + " wired to", PROTO_BSN, provider);
                } else if (pkg.startsWith("org.halo4j.")) {
                    assertEquals(pkg + " wired to", CORE_BSN, provider);
                }
            });
        }
    }

    /** Imported package -> symbolic name of the bundle the framework wired it to. */
    private Map<String, String> packageProviders(String bsn) {
        BundleWiring wiring = installed(bsn).adapt(BundleWiring.class);
        assertNotNull(bsn + " has no wiring: it did not resolve", wiring);
        Map<String, String> providers = new TreeMap<>();
        for (BundleWire wire : wiring.getRequiredWires(PackageNamespace.PACKAGE_NAMESPACE)) {
            String pkg = (String) wire.getCapability().getAttributes().get(PackageNamespace.PACKAGE_NAMESPACE);
            providers.put(pkg, wire.getProvider().getSymbolicName());
        }
        return providers;
    }

    private static Set<String> providersOf(Map<String, String> providers, String packagePrefix) {
        Set<String> result = new TreeSet<>();
        providers.forEach((pkg, provider) -> {
            if (pkg.startsWith(packagePrefix)) {
                result.add(provider);
            }
        });
        return result;
    }

    @Test
    public void coreExportsOnlyVersionedApiPackages() {
        Bundle core = installed(CORE_BSN);
        String header = core.getHeaders().get(Constants.EXPORT_PACKAGE);
        assertNotNull("halo-core has no Export-Package header", header);

        Map<String, Map<String, String>> exports = ExportPackageHeader.parse(header);
        assertFalse("halo-core exports nothing", exports.isEmpty());
        assertTrue("org.halo4j.keys is not exported: " + exports.keySet(), exports.containsKey("org.halo4j.keys"));

        List<String> problems = new ArrayList<>();
        exports.forEach((pkg, attrs) -> {
            if (!pkg.startsWith("org.halo4j.")) {
                problems.add(pkg + ": not a halo4j package");
            }
            if (("." + pkg).contains(".internal") || ("." + pkg + ".").contains(".impl.")) {
                problems.add(pkg + ": an implementation package must stay private");
            }
            String version = attrs.get(Constants.VERSION_ATTRIBUTE);
            if (version == null) {
                problems.add(pkg + ": exported without a version");
            } else {
                try {
                    if (Version.parseVersion(version).compareTo(new Version(1, 0, 0)) < 0) {
                        // bnd gives a package without @Version the bundle's version (0.x): not a real API version
                        problems.add(pkg + ": version " + version + " is below 1.0.0 (no @Version in its package-info.java?)");
                    }
                } catch (IllegalArgumentException e) {
                    problems.add(pkg + ": version " + version + " is not an OSGi version");
                }
            }
        });
        assertTrue("halo-core Export-Package `" + header + "`: " + problems, problems.isEmpty());

        // The header and the framework's view of it must agree: what the framework exports is what we checked.
        TreeSet<String> fromFramework = new TreeSet<>();
        for (BundleCapability cap : core.adapt(BundleRevision.class)
                .getDeclaredCapabilities(PackageNamespace.PACKAGE_NAMESPACE)) {
            fromFramework.add((String) cap.getAttributes().get(PackageNamespace.PACKAGE_NAMESPACE));
        }
        assertEquals(new TreeSet<>(exports.keySet()), fromFramework);
    }

    @Test
    public void exportHeaderParserHandlesQuotedValues() {
        Map<String, Map<String, String>> parsed = ExportPackageHeader.parse(
                "a.b;c.d;version=\"1.2.0\";uses:=\"x.y,z\",e.internal;mandatory:=foo;version=2,f");
        assertEquals(List.of("a.b", "c.d", "e.internal", "f"), new ArrayList<>(parsed.keySet()));
        assertEquals(Map.of("version", "1.2.0"), parsed.get("c.d"));
        assertEquals(Map.of("version", "2"), parsed.get("e.internal"));
        assertEquals(Map.of(), parsed.get("f"));
    }

    // ---------------------------------------------------------------------------------------------------------
    // (2) halo-core works inside the framework, with BouncyCastle from the bcprov bundle

    @Test
    public void signAndVerifyInsideTheFramework() throws Exception {
        Keyring keyring = new InMemoryKeyring();
        assertEquals(CORE_BSN, symbolicNameOf(keyring.getClass()));

        PublicKey key = keyring.generate();
        assertTrue(keyring.contains(key));
        byte[] payload = "halo4j in Apache Felix".getBytes(StandardCharsets.UTF_8);
        byte[] signature = keyring.sign(key, SignatureDomain.CREDENTIAL, payload);
        assertEquals(Ed25519.SIGNATURE_LENGTH, signature.length);

        assertTrue("a fresh signature does not verify", Ed25519.verify(key, SignatureDomain.CREDENTIAL, payload, signature));
        assertFalse("a signature verifies under another domain",
                Ed25519.verify(key, SignatureDomain.PRESENTATION, payload, signature));

        byte[] badSignature = signature.clone();
        badSignature[10] ^= 0x01;
        assertFalse("a signature with a flipped byte verifies",
                Ed25519.verify(key, SignatureDomain.CREDENTIAL, payload, badSignature));
        byte[] badPayload = payload.clone();
        badPayload[0] ^= 0x01;
        assertFalse("a signature verifies over a changed payload",
                Ed25519.verify(key, SignatureDomain.CREDENTIAL, badPayload, signature));

        String did = key.toDidKey();
        assertTrue(did, did.startsWith("did:key:z6Mk"));
        assertEquals(did, 56, did.length());
        assertEquals(key, PublicKey.fromDidKey(did));
    }

    // ---------------------------------------------------------------------------------------------------------
    // (3) the generated halo.v1 classes work with the protobuf-java bundle

    @Test
    public void credentialMessageRoundTripsInsideTheFramework() throws Exception {
        Keyring keyring = new InMemoryKeyring();
        PublicKey issuer = keyring.generate();
        PublicKey subject = keyring.generate();
        CredentialBody body = CredentialBody.newBuilder()
                .setIssuer(ByteString.copyFrom(issuer.toBytes()))
                .setSubject(ByteString.copyFrom(subject.toBytes()))
                .setIssuedAt(com.google.protobuf.Timestamp.newBuilder().setSeconds(1_790_000_000L))
                .setNonce(ByteString.copyFrom(new byte[16]))
                .build();
        byte[] bodyBytes = body.toByteArray();
        Credential credential = Credential.newBuilder()
                .setBody(ByteString.copyFrom(bodyBytes))
                .setProof(Proof.newBuilder()
                        .setSigner(ByteString.copyFrom(issuer.toBytes()))
                        .setSignature(ByteString.copyFrom(
                                keyring.sign(issuer, SignatureDomain.CREDENTIAL, bodyBytes))))
                .build();

        Credential parsed = Credential.parseFrom(credential.toByteArray());
        assertEquals(credential, parsed);
        assertEquals(PROTO_BSN, symbolicNameOf(parsed.getClass()));

        byte[] signedBytes = parsed.getBody().toByteArray();
        assertArrayEquals(bodyBytes, signedBytes);
        CredentialBody parsedBody = CredentialBody.parseFrom(signedBytes);
        assertEquals(body, parsedBody);
        assertEquals(1_790_000_000L, parsedBody.getIssuedAt().getSeconds());
        PublicKey signer = PublicKey.of(parsed.getProof().getSigner().toByteArray());
        assertEquals(issuer, signer);
        assertTrue("the parsed credential's signature does not verify", Ed25519.verify(signer,
                SignatureDomain.CREDENTIAL, signedBytes, parsed.getProof().getSignature().toByteArray()));
    }

    // ---------------------------------------------------------------------------------------------------------
    // (4) the whole login path inside the framework: phrase, identity, encrypted keyring, device chain, login

    @Test
    public void loginEndToEndInsideTheFramework() throws Exception {
        InMemoryKeyring onboarding = new InMemoryKeyring();
        PublicKey identity;
        char[] words;
        try (RecoveryPhrase phrase = RecoveryPhrase.generate(new java.security.SecureRandom())) {
            words = phrase.toChars(); // the wordlist is a resource of the halo-core bundle
            identity = IdentityKeys.importIdentity(onboarding, phrase);
        }
        try (RecoveryPhrase again = RecoveryPhrase.parse(words)) {
            assertEquals("the same words give the same identity", identity, IdentityKeys.publicKeyOf(again));
        }

        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("halo-itest-");
        java.nio.file.Path file = dir.resolve("device.keyring");
        char[] passphrase = "itest passphrase".toCharArray();
        PublicKey device;
        Credential authorization;
        try (FileKeyring keyring = FileKeyring.create(file, passphrase, Argon2Settings.forTests())) {
            device = keyring.generate();
            byte[] consent = DeviceAuthorizations.consent(keyring, device, identity);
            authorization = DeviceAuthorizations.authorize(Signer.of(onboarding, identity), device,
                    DeviceScope.DEVICE_SCOPE_WRITE, consent, java.util.Optional.empty());
        }

        HaloVerifier site = HaloVerifier.builder().audience("https://app.example.com")
                .challengeStore(new InMemoryChallengeStore()).ignoreRevocation().build();
        Challenge challenge = site.startLogin();
        byte[] presentation;
        try (FileKeyring keyring = FileKeyring.open(file, passphrase)) {
            presentation = Presentations.sign(Signer.device(keyring, device, authorization), challenge).toByteArray();
        }
        LoginResult login = site.finishLogin(challenge, presentation);
        assertEquals(identity, login.identity());
        assertEquals(device, login.device());
        assertEquals(CORE_BSN, symbolicNameOf(login.getClass()));
        try {
            site.finishLogin(challenge, presentation);
            fail("a replayed presentation logged in");
        } catch (HaloRejectedException e) {
            assertEquals(RejectionCode.CHALLENGE_UNKNOWN, e.code());
        }
        java.nio.file.Files.delete(file);
        java.nio.file.Files.delete(dir);
    }

    @Test
    public void coreExportsItsApiPackages() {
        Map<String, Map<String, String>> exports = ExportPackageHeader.parse(
                installed(CORE_BSN).getHeaders().get(Constants.EXPORT_PACKAGE));
        assertEquals(Set.of("org.halo4j.keys", "org.halo4j.claims", "org.halo4j.credentials", "org.halo4j.presentations",
                "org.halo4j.spaces", "org.halo4j.identity", "org.halo4j.feeds", "org.halo4j.errors",
                "org.halo4j.io", "org.halo4j.invitations"), exports.keySet());
    }

    @Test
    public void spaceReplayInsideTheFramework() throws Exception {
        InMemoryKeyring keyring = new InMemoryKeyring();
        PublicKey owner = keyring.generate();
        PublicKey device = keyring.generate();
        PublicKey feed = keyring.generate();
        org.halo4j.spaces.Spaces.Created space = org.halo4j.spaces.Spaces.create(keyring, "felix", owner, device, feed);
        List<org.halo4j.spaces.SpaceEntry> entries = new ArrayList<>();
        for (Credential c : space.credentials()) {
            entries.add(org.halo4j.spaces.SpaceEntry.of(feed, entries.size(), c));
        }
        org.halo4j.spaces.SpaceState state = org.halo4j.spaces.SpaceReplay.replay(space.spaceKey(), entries);
        assertTrue(state.isMember(owner));
        assertEquals(org.halo4j.proto.v1.SpaceRole.SPACE_ROLE_OWNER, state.roleOf(owner).orElseThrow());
        assertTrue(state.refused().isEmpty());
    }

    // ---------------------------------------------------------------------------------------------------------

    private Bundle installed(String bsn) {
        Bundle found = null;
        for (Bundle b : context.getBundles()) {
            if (bsn.equals(b.getSymbolicName())) {
                assertTrue("bundle " + bsn + " is installed twice", found == null);
                found = b;
            }
        }
        assertNotNull("bundle " + bsn + " is not installed", found);
        return found;
    }

    private static Version expectedVersion(String property) {
        String v = System.getProperty(property);
        assertNotNull("system property " + property + " is not set; run this test through maven-failsafe-plugin", v);
        return Version.parseVersion(v);
    }

    private static String symbolicNameOf(Class<?> type) {
        Bundle b = FrameworkUtil.getBundle(type);
        assertNotNull(type.getName() + " was not loaded by a bundle", b);
        return b.getSymbolicName();
    }

    private static String stateName(int state) {
        switch (state) {
            case Bundle.UNINSTALLED: return "UNINSTALLED";
            case Bundle.INSTALLED: return "INSTALLED";
            case Bundle.RESOLVED: return "RESOLVED";
            case Bundle.STARTING: return "STARTING";
            case Bundle.STOPPING: return "STOPPING";
            case Bundle.ACTIVE: return "ACTIVE";
            default: return "state " + state;
        }
    }
}
