package org.halo4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line in this JVM: parsing, usage errors and exit codes, without a keyring. */
@DisplayName("halo command line")
class MainTest {

    @TempDir
    Path tmp;

    /** A URL (without trailing punctuation) or a quoted halo command line. */
    private static final java.util.regex.Pattern EXAMPLE =
            java.util.regex.Pattern.compile("https?://[^\\s,;)]*[^\\s,;).]|'halo [^']*'");

    private record Run(int exit, String out, String err) {
    }

    private Run run(Map<String, String> env, String... args) {
        return runWithInput("", env, args);
    }

    private Run runWithInput(String stdin, Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Io io = new Io(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), env, false, false, false, Optional::empty);
        int exit = Main.run(io, args);
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Run run(String... args) {
        return run(Map.of(), args);
    }

    private static void oneErrorLine(Run r, int exit, String code) {
        assertThat(r.exit()).as(r.err()).isEqualTo(exit);
        assertThat(r.err().lines()).hasSize(1);
        assertThat(r.err()).startsWith("halo: ").endsWith("[" + code + "]" + System.lineSeparator());
    }

    @Test
    @DisplayName("--help lists the command groups; --version names halo")
    void help() {
        Run r = run("--help");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("identity", "profile", "device", "space", "contacts", "credential", "presentation");
        assertThat(run("space", "--help").out()).contains("set-role", "members", "audit");
        assertThat(run("--version").out()).startsWith("halo ");
    }

    @Test
    @DisplayName("usage errors: exit 2, one line naming the problem and where to look")
    void usage() {
        oneErrorLine(run("bogus"), ExitCode.USAGE, "usage");
        oneErrorLine(run("identity"), ExitCode.USAGE, "usage");
        oneErrorLine(run("space", "create"), ExitCode.USAGE, "usage");
        oneErrorLine(run("identity", "list", "--no-such-option"), ExitCode.USAGE, "usage");
        assertThat(run("space", "create").err()).contains("NAME").contains("halo space create --help");
        oneErrorLine(run("presentation", "sign", "--audience", "https://a.example", "--nonce", "00"), ExitCode.USAGE, "usage");
    }

    @Test
    @DisplayName("arguments are checked before any keyring is opened")
    void argumentsFirst() {
        String home = tmp.resolve("h").toString();
        String nonce = "00".repeat(32);
        oneErrorLine(run("--home", home, "space", "set-role", "S", "did:key:z6Mk", "READER"), ExitCode.USAGE, "did.multicodec");
        oneErrorLine(run("--home", home, "space", "set-role", "S", Fixtures.DID, "KING"), ExitCode.USAGE, "argument.role");
        oneErrorLine(run("--home", home, "contacts", "add", "not-a-did"), ExitCode.USAGE, "key.length");
        oneErrorLine(run("--home", home, "profile", "set", "--prop", "nokey"), ExitCode.USAGE, "usage");
        oneErrorLine(run("--home", home, "presentation", "sign", "--audience", "nope", "--nonce", nonce, "--out", "x"),
                ExitCode.USAGE, "argument.audience");
        oneErrorLine(run("--home", home, "presentation", "sign", "--audience", "https://App.example.com/path",
                "--nonce", nonce, "--out", "x"), ExitCode.USAGE, "argument.audience");
        oneErrorLine(run("--home", home, "presentation", "sign", "--audience", "https://a.example", "--nonce", "abc",
                "--out", "x"), ExitCode.USAGE, "argument.hex");
        oneErrorLine(run("--home", home, "presentation", "sign", "--audience", "https://a.example", "--nonce", "abcd",
                "--out", "x"), ExitCode.USAGE, "argument.nonce");
        oneErrorLine(run("--home", home, "identity", "use", "did:key:nope"), ExitCode.USAGE, "did.prefix");
    }

    @Test
    @DisplayName("a phrase of the wrong length is refused before any keyring is made")
    void phraseWordCount() {
        Run r = runWithInput("abandon ability able", Map.of(), "--home", tmp.resolve("h").toString(), "identity", "recover");
        oneErrorLine(r, ExitCode.BAD_PHRASE, "phrase.word_count");
        assertThat(r.err()).contains("expected 24 words, found 3");
    }

    @Test
    @DisplayName("an empty home: show says how to begin; list is empty")
    void emptyHome() {
        String home = tmp.resolve("empty").toString();
        Run r = run("--home", home, "identity", "show");
        oneErrorLine(r, ExitCode.NOT_FOUND, "identity.none");
        assertThat(r.err()).contains("halo identity create");
        Run list = run("--home", home, "identity", "list", "--json");
        assertThat(list.exit()).isZero();
        assertThat(list.out().strip()).isEqualTo("[]");
    }

    @Test
    @DisplayName("no passphrase source and no terminal: exit 6 with what to do")
    void noPassphrase() {
        Run r = run("--home", tmp.resolve("h").toString(), "space", "create", "Team");
        oneErrorLine(r, ExitCode.NO_PASSPHRASE, "passphrase.unavailable");
        oneErrorLine(run(Map.of("HALO_KEYRING_ARGON2", "weak"), "--home", tmp.resolve("h").toString(), "space", "create", "Team"),
                ExitCode.USAGE, "argument.argon2");
    }

    @Test
    @DisplayName("a home given by HALO_HOME, else --home wins")
    void home() {
        Run viaEnv = run(Map.of("HALO_HOME", tmp.resolve("env").toString()), "identity", "list", "--json");
        assertThat(viaEnv.exit()).as(viaEnv.err()).isZero();
        assertThat(viaEnv.out().strip()).isEqualTo("[]");
        assertThat(tmp.resolve("env")).isDirectory();
        Run viaOption = run(Map.of("HALO_HOME", tmp.resolve("env2").toString()), "--home", tmp.resolve("opt").toString(),
                "identity", "list");
        assertThat(viaOption.exit()).isZero();
        assertThat(tmp.resolve("opt")).isDirectory();
        assertThat(tmp.resolve("env2")).doesNotExist();
    }

    /** Values for argument tests. */
    static final class Fixtures {
        /** A did:key from the did:key test vectors. */
        static final String DID = "did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp";
    }

    @Test
    @DisplayName("error codes map to documented exit codes")
    void exitCodes() {
        assertThat(ExitCode.forCode("keyring.wrong_passphrase")).isEqualTo(3);
        assertThat(ExitCode.forCode("space.unknown")).isEqualTo(4);
        assertThat(ExitCode.forCode("credential.unknown")).isEqualTo(4);
        assertThat(ExitCode.forCode("phrase.checksum")).isEqualTo(5);
        assertThat(ExitCode.forCode("keyring.passphrase_file_mode")).isEqualTo(6);
        assertThat(ExitCode.forCode("storage.io")).isEqualTo(7);
        assertThat(ExitCode.forCode("identity.exists")).isEqualTo(8);
        assertThat(ExitCode.forCode("space.ambiguous")).isEqualTo(2);
        assertThat(ExitCode.forCode("backup.mismatch")).isEqualTo(1);
        assertThat(ExitCode.forCode("space.role.not_authorized")).isEqualTo(1);
    }

    @Test
    @DisplayName("--help of every command, option and parameter has text; examples are not broken across lines")
    void everyHelpHasText() {
        Cmd root = HaloCommand.tree(new HaloCommand(Io.system()));
        java.util.List<String> missing = new java.util.ArrayList<>();
        java.util.ArrayDeque<Cmd> queue = new java.util.ArrayDeque<>(java.util.List.of(root));
        int commands = 0;
        while (!queue.isEmpty()) {
            Cmd c = queue.pop();
            commands++;
            queue.addAll(c.subcommands.values());
            if (String.join("", c.description).isBlank()) {
                missing.add(c.qualifiedName());
            }
            java.util.List<String> texts = new java.util.ArrayList<>(c.description);
            for (Cmd.Opt o : c.options) {
                if (String.join("", o.description()).isBlank()) {
                    missing.add(c.qualifiedName() + " " + o.name());
                }
                texts.addAll(o.description());
            }
            for (Cmd.Param p : c.params) {
                if (String.join("", p.description()).isBlank()) {
                    missing.add(c.qualifiedName() + " " + p.label());
                }
                texts.addAll(p.description());
            }
            // Examples (a URL, a quoted 'halo …' command) stand whole on one line of the help as printed.
            java.util.List<String> lines = c.help().lines().toList();
            java.util.regex.Matcher m = EXAMPLE.matcher(String.join("\n", texts));
            while (m.find()) {
                String example = m.group();
                if (lines.stream().noneMatch(l -> l.contains(example))) {
                    missing.add(c.qualifiedName() + ": example broken across lines: " + example);
                }
            }
            assertThat(lines).as("help of %s", c.qualifiedName()).allMatch(l -> l.length() <= Cmd.WIDTH || !l.contains(" "));
            // the help says what the line accepts
            Run help = run((c.qualifiedName().replaceFirst("^halo ?", "") + " --help").strip().split(" "));
            assertThat(help.exit()).as(c.qualifiedName()).isZero();
            assertThat(help.out()).isEqualTo(c.help());
        }
        assertThat(commands).isGreaterThan(25);
        assertThat(missing).as("commands, options and parameters without help text").isEmpty();
    }

    @Test
    @DisplayName("with --json a failure still prints exactly one JSON document on stdout, with the same code and exit code")
    void jsonErrors() throws Exception {
        com.fasterxml.jackson.databind.ObjectMapper mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        for (String[] args : new String[][] {
                {"--json", "bogus"},
                {"space", "members", "--json"},
                {"--json", "--home", tmp.resolve("h").toString(), "identity", "show"},
                {"--json", "--home", tmp.resolve("h").toString(), "identity", "use", "did:key:nope"}}) {
            Run r = run(args);
            assertThat(r.exit()).as(String.join(" ", args)).isNotZero();
            assertThat(r.out().lines()).as(r.out()).hasSize(1);
            var doc = mapper.readTree(r.out());
            String code = doc.at("/error/code").asText();
            assertThat(r.err()).contains("[" + code + "]");
            assertThat(doc.at("/error/exitCode").asInt()).isEqualTo(r.exit());
            assertThat(doc.at("/error/message").asText()).isNotBlank();
        }
    }

    @Test
    @DisplayName("usage errors name the option, never the values given: no secret lands in a log")
    void noSecretEchoed() {
        Run r = run("--passphrase", "s3cret-value", "identity", "show");
        oneErrorLine(r, ExitCode.USAGE, "usage");
        assertThat(r.err()).contains("'--passphrase'").contains("--passphrase-file").doesNotContain("s3cret-value");
        String[] words = "abandon ability able about above absent absorb abstract absurd abuse access accident".split(" ");
        String[] recover = new String[words.length + 2];
        recover[0] = "identity";
        recover[1] = "recover";
        System.arraycopy(words, 0, recover, 2, words.length);
        Run w = run(recover);
        oneErrorLine(w, ExitCode.USAGE, "usage");
        for (String word : words) {
            assertThat(w.err()).doesNotContain(word);
        }
        // an escape sequence inside an argument reaches the terminal as '?', never as a control character
        Run esc = run("--home", tmp.resolve("h").toString(), "space", "set-role", "S", "did:key:\u001b[2J", "READER");
        assertThat(esc.err()).contains("did:key:?[2J").doesNotContain("\u001b");
        Run eq = run("identity", "show", "--passphrase=hunter2-secret");
        assertThat(eq.err()).contains("'--passphrase'").doesNotContain("hunter2-secret");
    }
}
