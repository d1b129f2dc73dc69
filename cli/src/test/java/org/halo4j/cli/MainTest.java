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
                new PrintStream(err, true, StandardCharsets.UTF_8), env, false, false, Optional::empty);
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
        Run r = run("--home", tmp.resolve("h").toString(), "device", "list");
        oneErrorLine(r, ExitCode.NO_PASSPHRASE, "passphrase.unavailable");
        oneErrorLine(run(Map.of("HALO_KEYRING_ARGON2", "weak"), "--home", tmp.resolve("h").toString(), "device", "list"),
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
}
