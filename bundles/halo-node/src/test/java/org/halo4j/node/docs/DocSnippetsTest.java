package org.halo4j.node.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every Java snippet of the README and of {@code docs/} is read from the Markdown (not copied), compiled and
 * run, so a snippet cannot rot. A snippet is the statements of one method; its {@code import} lines go on top.
 * The HTML comment {@code <!-- snippet: NAME -->} before a block names the set-up it runs after (the variables
 * the surrounding text speaks of), from {@link #SETUPS}; {@code standalone} compiles the block with its own
 * imports only, as a reader would paste it. Other snippets get the halo4j packages imported.
 */
@DisplayName("The Java snippets of the README and docs/ compile and run")
class DocSnippetsTest {

    private static final Path ROOT = Path.of(System.getProperty("halo.root", "../..")).toAbsolutePath().normalize();
    private static final Pattern BLOCK = Pattern.compile(
            "(?:<!-- snippet: ([a-z-]+) -->\\n)?```java\\n(.*?)```", Pattern.DOTALL);

    private static final String HALO_IMPORTS = String.join("\n",
            "import java.nio.file.*;", "import java.security.SecureRandom;", "import java.util.*;",
            "import com.google.protobuf.ByteString;",
            "import org.halo4j.credentials.*;", "import org.halo4j.feeds.*;", "import org.halo4j.identity.*;",
            "import org.halo4j.keys.*;", "import org.halo4j.presentations.*;", "import org.halo4j.spaces.*;",
            "import org.halo4j.node.storage.*;", "import org.halo4j.net.*;", "import org.halo4j.node.agent.*;",
            "import org.halo4j.node.server.*;", "import java.net.URI;", "import java.time.Duration;",
            "import org.halo4j.proto.v1.SpaceMember;", "import org.halo4j.proto.v1.Presentation;",
            "import org.halo4j.proto.v1.Credential;", "import org.halo4j.proto.v1.FeedEntry;");

    /** A set-up: class members, and statements that run before the snippet (with {@code dir}, a fresh temp dir). */
    private record Setup(String members, String statements) {
    }

    /** The space of a HALO genesis: the variables docs/spaces.md and docs/credentials.md speak of. */
    private static final String SPACE = """
            InMemoryKeyring keyring = new InMemoryKeyring();
            PublicKey identity = keyring.generate();
            PublicKey device = keyring.generate();
            PublicKey feed = keyring.generate();
            Spaces.Created created = Halo.genesis(keyring, identity, device, feed, Optional.of("Alice"), "laptop");
            PublicKey spaceKey = created.spaceKey();
            List<SpaceEntry> entries = new ArrayList<>();
            for (Credential c : created.credentials()) {
                entries.add(new SpaceEntry(feed, entries.size(), c.toByteString()));
            }
            byte[] bytes = null;
            for (Credential c : created.credentials()) {
                if (CredentialVerifier.builder().ignoreRevocation().build().verify(c.toByteArray()).type().equals("SpaceMember")) {
                    bytes = c.toByteArray();
                }
            }
            CredentialId authId = IdentityState.of(SpaceReplay.replay(spaceKey, entries), identity)
                    .device(device).orElseThrow().authorization();
            Signer deviceSigner = Signer.device(keyring, device, created.credentials().stream()
                    .filter(c -> Credentials.id(c).equals(authId)).findFirst().orElseThrow());
            Set<PublicKey> trustedIssuers = Set.of(spaceKey);
            """;

    /** A node serving Alice's space "Team", and Bob's agent, a member that has not synced yet. */
    private static final String NODE = """
            char[] pw = "a passphrase of the docs".toCharArray();
            Wallet aliceWallet = Wallet.open(dir.resolve("alice"), Argon2Settings.forTests());
            Agent alice = aliceWallet.open(Optional.of(aliceWallet.create(Optional.of("Alice"), "node", pw).did()), pw);
            Wallet bobWallet = Wallet.open(dir.resolve("bob"), Argon2Settings.forTests());
            Agent agent = bobWallet.open(Optional.of(bobWallet.create(Optional.of("Bob"), "laptop", pw).did()), pw);
            SpaceSummary team = alice.createSpace("Team");
            alice.setRole(team.spaceId(), agent.identity(), org.halo4j.proto.v1.SpaceRole.SPACE_ROLE_EDITOR);
            agent.joinSpace(team.spaceKey(), "Team");
            HaloNode node = HaloNode.start(alice, "127.0.0.1", 0, ChannelLimits.DEFAULT, Duration.ofSeconds(10), l -> { });
            URI nodeAddress = URI.create("ws://127.0.0.1:" + node.address().getPort());
            """;

    private static final Map<String, Setup> SETUPS = Map.of(
            "node", new Setup("", NODE),
            "standalone", new Setup("", ""),
            "none", new Setup("", ""),
            "replicated-space", new Setup("", SPACE),
            "replicated-state", new Setup("", SPACE + "SpaceState space = SpaceReplay.replay(spaceKey, entries);\n"),
            "keyring", new Setup("", "InMemoryKeyring keyring = new InMemoryKeyring();\n"),
            "keyring-file", new Setup("", """
                    Path path = dir.resolve("keyring.halo");
                    char[] passphrase = "a passphrase of the docs".toCharArray();
                    char[] newPassphrase = "another passphrase of the docs".toCharArray();
                    byte[] body = "what is signed".getBytes(java.nio.charset.StandardCharsets.UTF_8);
                    """),
            "passphrase-file", new Setup("", """
                    Path passphraseFile = dir.resolve("keyring.pass");
                    Files.writeString(passphraseFile, "a passphrase from a file\\n");
                    Files.setPosixFilePermissions(passphraseFile, java.nio.file.attribute.PosixFilePermissions.fromString("r--------"));
                    Path keyringPath = dir.resolve("keyring.halo");
                    FileKeyring.create(keyringPath, "a passphrase from a file".toCharArray(), Argon2Settings.forTests()).close();
                    """),
            "feed-store", new Setup("""
                    static final List<byte[]> REPORTED = new ArrayList<>();
                    static void report(byte[] proof) { REPORTED.add(proof); }
                    """, """
                    Path dataDir = dir;
                    InMemoryKeyring keyring = new InMemoryKeyring();
                    PublicKey feedKey = keyring.generate();
                    ByteString payload = ByteString.copyFromUtf8("an entry");
                    PublicKey peerFeedKey = keyring.generate();
                    FeedWriter peer = FeedWriter.of(keyring, peerFeedKey);
                    List<FeedEntry> entriesFromPeer = List.of(peer.first(ByteString.copyFromUtf8("from a peer")));
                    """));

    @TempDir
    Path tmp;

    @TestFactory
    Stream<DynamicTest> snippets() throws IOException {
        List<Path> files = new ArrayList<>();
        files.add(ROOT.resolve("README.md"));
        try (Stream<Path> docs = Files.walk(ROOT.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
        }
        List<DynamicTest> tests = new ArrayList<>();
        for (Path file : files) {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            Matcher m = BLOCK.matcher(text);
            int n = 0;
            while (m.find()) {
                n++;
                String setup = m.group(1) == null ? "none" : m.group(1);
                String code = m.group(2);
                int line = (int) text.substring(0, m.start(2)).lines().count() + 1;
                String name = ROOT.relativize(file) + ":" + line;
                String className = "Snippet" + Math.abs(name.hashCode());
                tests.add(DynamicTest.dynamicTest(name + " (" + setup + ")", () -> run(name, className, setup, code)));
            }
        }
        assertThat(tests).as("Java snippets found under " + ROOT).hasSizeGreaterThanOrEqualTo(8);
        return tests.stream();
    }

    private void run(String name, String className, String setupName, String code) throws Exception {
        Setup setup = SETUPS.get(setupName);
        assertThat(setup).as("the set-up named before " + name).isNotNull();
        StringBuilder imports = new StringBuilder(setupName.equals("standalone") ? "" : HALO_IMPORTS + "\n");
        StringBuilder body = new StringBuilder();
        for (String l : code.lines().toList()) {
            (l.startsWith("import ") ? imports : body).append(l).append('\n');
        }
        String source = imports + "\npublic class " + className + " {\n" + setup.members()
                + "\npublic static void run(java.nio.file.Path dir) throws Exception {\n" + setup.statements()
                + "// ---- " + name + "\n" + body + "}\n}\n";
        Path src = Files.createDirectories(tmp.resolve("src")).resolve(className + ".java");
        Path classes = Files.createDirectories(tmp.resolve("classes"));
        Files.writeString(src, source, StandardCharsets.UTF_8);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        StringWriter errors = new StringWriter();
        try (StandardJavaFileManager fm = javac.getStandardFileManager(null, null, StandardCharsets.UTF_8)) {
            Iterable<? extends JavaFileObject> units = fm.getJavaFileObjects(src);
            boolean ok = javac.getTask(errors, fm, null, List.of("-classpath", System.getProperty("java.class.path"),
                    "-d", classes.toString(), "-proc:none", "-Xlint:none"), null, units).call();
            assertThat(ok).as("%s does not compile:%n%s%n%s", name, errors, source).isTrue();
        }
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, getClass().getClassLoader())) {
            Method run = loader.loadClass(className).getMethod("run", Path.class);
            Path dir = Files.createTempDirectory(tmp, "run-");
            try {
                run.invoke(null, dir);
            } catch (InvocationTargetException e) {
                throw new AssertionError(name + " compiles but fails when run", e.getCause());
            }
        }
    }
}
