package org.halo4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("keyring passphrase")
class PassphraseIT {

    private final Fixture f = Fixture.get();

    /** Every file under {@code home} with its bytes. */
    private static Map<String, List<Byte>> snapshot(Path home) throws IOException {
        Map<String, List<Byte>> files = new TreeMap<>();
        try (Stream<Path> s = Files.walk(home)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                List<Byte> bytes = new ArrayList<>();
                for (byte b : Files.readAllBytes(p)) {
                    bytes.add(b);
                }
                files.put(home.relativize(p).toString(), bytes);
            }
        }
        return files;
    }

    private Path passphraseFile(String passphrase, String mode) throws IOException {
        Path file = Files.createTempFile(f.newHome("pass").getParent(), "passphrase-", "");
        Files.writeString(file, passphrase + "\n", StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
        return file;
    }

    @Nested
    @DisplayName("wrong or missing")
    class WrongOrMissing {

        @Test
        @DisplayName("a wrong passphrase: exit 3, the message says so, and no file of the wallet changes")
        void wrongPassphrase() throws IOException {
            Map<String, List<Byte>> before = snapshot(f.alice);
            Halo.Result r = Halo.in(f.alice).env("HALO_KEYRING_PASSPHRASE", "not the passphrase")
                    .run("space", "create", "Never").fails(ExitCode.WRONG_PASSPHRASE, "keyring.wrong_passphrase");
            assertThat(r.err()).contains("wrong keyring passphrase");
            assertThat(snapshot(f.alice)).as("wallet files, byte for byte").isEqualTo(before);
            assertThat(before.keySet()).anyMatch(name -> name.endsWith("keyring.halo"));
        }

        @Test
        @DisplayName("no environment variable, no file, no terminal: a clear error")
        void noSource() {
            Halo.Result r = Halo.in(f.alice).noPassphrase().run("space", "create", "NoSource")
                    .fails(ExitCode.NO_PASSPHRASE, "passphrase.unavailable");
            assertThat(r.err()).contains("HALO_KEYRING_PASSPHRASE").contains("--passphrase-file");
        }

        @Test
        @DisplayName("a passphrase file others may read is refused, as ssh refuses such a key")
        void fileMode() throws IOException {
            Path file = passphraseFile(Halo.PASSPHRASE, "rw-r--r--");
            Halo.in(f.alice).noPassphrase().run("--passphrase-file", file.toString(), "space", "create", "Mode")
                    .fails(ExitCode.NO_PASSPHRASE, "keyring.passphrase_file_mode");
            Halo.in(f.alice).noPassphrase().run("--passphrase-file", file + ".missing", "space", "create", "Mode")
                    .fails(ExitCode.NOT_FOUND, "keyring.passphrase_file_not_found");
        }
    }

    @Nested
    @DisplayName("with stdin and stdout piped")
    class Piped {

        @Test
        @DisplayName("recover: phrase on stdin, passphrase from the environment, output piped")
        void fromEnvironment() {
            Path home = f.newHome("env");
            JsonNode r = Halo.in(home).env("HALO_KEYRING_PASSPHRASE", "from the environment").stdin(f.bobWords)
                    .run("identity", "recover", "--json").ok().json();
            assertThat(r.get("did").asText()).isEqualTo(f.bobDid);
            Halo.in(home).env("HALO_KEYRING_PASSPHRASE", "from the environment").run("space", "create", "Env").ok();
        }

        @Test
        @DisplayName("recover: phrase on stdin, passphrase from --passphrase-file when the environment has none")
        void fromFile() throws IOException {
            Path home = f.newHome("file");
            Path file = passphraseFile("from a file", "rw-------");
            JsonNode r = Halo.in(home).noPassphrase().stdin(f.bobWords)
                    .run("--passphrase-file", file.toString(), "identity", "recover", "--json").ok().json();
            assertThat(r.get("did").asText()).isEqualTo(f.bobDid);
            Halo.in(home).env("HALO_KEYRING_PASSPHRASE", "from a file").run("space", "create", "File").ok();
            // An explicit --passphrase-file wins over the environment: a stale export never overrides it.
            Halo.in(home).env("HALO_KEYRING_PASSPHRASE", "a stale export")
                    .run("--passphrase-file", file.toString(), "space", "create", "Flag").ok();
            Halo.in(home).env("HALO_KEYRING_PASSPHRASE", "from a file")
                    .run("--passphrase-file", passphraseFile("another", "rw-------").toString(), "space", "create", "X")
                    .fails(ExitCode.WRONG_PASSPHRASE, "keyring.wrong_passphrase");
        }
    }

    @Nested
    @DisplayName("on a terminal (pseudo-terminal)")
    class OnTerminal {

        @Test
        @DisplayName("recover with the phrase piped in and the output piped out: the passphrase is asked on /dev/tty, not echoed")
        void promptWithPipes() throws Exception {
            assumeTrue(Pty.available(), "util-linux script is not installed");
            Path home = f.newHome("tty");
            Path words = home.resolveSibling("words.txt");
            Files.writeString(words, f.bobWords + "\n");
            Path out = home.resolveSibling("out.json");
            Halo halo = Halo.in(home).noPassphrase();
            String line = Pty.shellLine(halo.commandLine("identity", "recover", "--json")) + " < " + Pty.quote(words.toString())
                    + " | cat > " + Pty.quote(out.toString());
            String passphrase = "typed on the terminal";
            try (Pty tty = Pty.start(line, halo.environment())) {
                tty.expect("New keyring passphrase for [^:]+: ");
                tty.type(passphrase);
                tty.expect("Repeat the passphrase: ");
                tty.type(passphrase);
                assertThat(tty.waitFor()).as(tty.transcript()).isZero();
                assertThat(tty.transcript()).doesNotContain(passphrase);
            }
            assertThat(Halo.JSON.readTree(Files.readString(out)).get("did").asText()).isEqualTo(f.bobDid);
            Halo.in(home).env("HALO_KEYRING_PASSPHRASE", passphrase).run("space", "create", "Tty").ok();
        }

        @Test
        @DisplayName("identity create on a terminal asks for 3 of the words and, if right, confirms the backup")
        void createWithQuiz() throws Exception {
            assumeTrue(Pty.available(), "util-linux script is not installed");
            Path home = f.newHome("quiz");
            Halo halo = Halo.in(home).noPassphrase();
            try (Pty tty = Pty.start(Pty.shellLine(halo.commandLine("identity", "create", "--name", "Quinn")),
                    halo.environment())) {
                tty.expect("New keyring passphrase for [^:]+: ");
                tty.type("pass phrase");
                tty.expect("Repeat the passphrase: ");
                tty.type("pass phrase");
                String[] words = new String[25];
                for (int i = 1; i <= 24; i++) {
                    // the numbered words come four to a line, numbered down the columns
                    Matcher m = tty.expect("(?m)(?:^|\\s)(\\d+)\\. ([a-z]+)");
                    words[Integer.parseInt(m.group(1))] = m.group(2);
                }
                tty.expect("press Enter");
                tty.type("");
                for (int i = 0; i < IdentityCommand.QUIZ_WORDS; i++) {
                    Matcher m = tty.expect("Word #(\\d+): ");
                    tty.type(words[Integer.parseInt(m.group(1))]);
                }
                tty.expect("Backup confirmed");
                assertThat(tty.waitFor()).as(tty.transcript()).isZero();
            }
            JsonNode shown = Halo.in(home).env("HALO_KEYRING_PASSPHRASE", "pass phrase")
                    .run("identity", "show", "--json").ok().json();
            assertThat(shown.get("backupConfirmed").asBoolean()).isTrue();
        }

        @Test
        @DisplayName("a wrong word leaves the backup unconfirmed; a wrong passphrase may be typed again")
        void wrongWordAndRetry() throws Exception {
            assumeTrue(Pty.available(), "util-linux script is not installed");
            Path home = f.newHome("quiz-wrong");
            Halo halo = Halo.in(home).noPassphrase();
            try (Pty tty = Pty.start(Pty.shellLine(halo.commandLine("identity", "create")), halo.environment())) {
                tty.expect("New keyring passphrase for [^:]+: ");
                tty.type("pass phrase");
                tty.expect("Repeat the passphrase: ");
                tty.type("pass phrase");
                tty.expect("press Enter");
                tty.type("");
                for (int i = 0; i < IdentityCommand.QUIZ_WORDS; i++) {
                    tty.expect("Word #(\\d+): ");
                    tty.type("zzz");
                }
                tty.expect("the backup is not confirmed");
                assertThat(tty.waitFor()).isZero();
            }
            try (Pty tty = Pty.start(Pty.shellLine(halo.commandLine("space", "create", "Retry", "--json")),
                    halo.environment())) {
                tty.expect("Keyring passphrase for \\S+: ");
                tty.type("wrong");
                tty.expect("wrong passphrase, try again");
                tty.expect("Keyring passphrase for \\S+: ");
                tty.type("pass phrase");
                tty.expect("\"spaceId\"");
                assertThat(tty.waitFor()).isZero();
            }
        }
    }
}
