package org.halo4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The wallet as a person and a script meet it, through the real launcher: output, errors, secrets, speed paths. */
@DisplayName("halo as a person and a script meet it")
class WalletIT {

    private final Fixture f = Fixture.get();

    @Test
    @DisplayName("commands that only read need no passphrase and never open the keyring; commands that sign do")
    void readOnlyWithoutKeyring() throws Exception {
        Path home = f.newHome("read-only");
        Halo.in(home).run("identity", "create", "--name", "Rita", "--json").ok();
        String space = Halo.in(home).run("space", "create", "Reading", "--json").ok().json().get("spaceId").asText();
        String cred = Halo.in(home).run("credential", "list", "--json").ok().json().get(0).get("id").asText();
        // Take the keyring away: a command that opened it would fail. None of these may.
        Path keyring;
        try (Stream<Path> s = Files.walk(home)) {
            keyring = s.filter(p -> p.getFileName().toString().equals("keyring.halo")).findFirst().orElseThrow();
        }
        Path aside = keyring.resolveSibling("keyring.aside");
        Files.move(keyring, aside);
        Path out = home.resolveSibling("exported.cred");
        for (List<String> command : List.of(List.of("space", "list"), List.of("space", "members", space),
                List.of("space", "audit", space), List.of("device", "list"), List.of("contacts", "list"),
                List.of("credential", "list"), List.of("credential", "export", cred, "--out", out.toString()),
                List.of("profile", "show"), List.of("identity", "show"), List.of("identity", "list"))) {
            Halo.in(home).noPassphrase().run(command.toArray(String[]::new)).ok();
        }
        Halo.in(home).noPassphrase().run("credential", "verify", "--with-wallet", out.toString()).ok();
        Halo.in(home).noPassphrase().run("space", "create", "Signing").fails(ExitCode.NO_PASSPHRASE, "passphrase.unavailable");
        Files.move(aside, keyring);
        Halo.in(home).run("space", "create", "Signing").ok();
    }

    @Test
    @DisplayName("a weak new passphrase is refused with the estimator's advice and nothing is created; --allow-weak-passphrase takes it")
    void weakPassphrase() throws Exception {
        Path home = f.newHome("weak");
        Halo.Result r = Halo.in(home).env("HALO_KEYRING_PASSPHRASE", "password123")
                .run("identity", "create", "--name", "Wendy").fails(ExitCode.NO_PASSPHRASE, "passphrase.weak");
        assertThat(r.err()).contains("too easy to guess").contains("common password");
        assertThat(r.out()).isEmpty();
        try (Stream<Path> s = Files.exists(home) ? Files.walk(home) : Stream.empty()) {
            assertThat(s.filter(p -> p.getFileName().toString().equals("keyring.halo")).toList()).isEmpty();
        }
        // the identity's own name is no secret either
        Halo.in(home).env("HALO_KEYRING_PASSPHRASE", "LiddellWendy").run("identity", "create", "--name", "Wendy Liddell")
                .fails(ExitCode.NO_PASSPHRASE, "passphrase.weak");
        Halo.in(home).env("HALO_KEYRING_PASSPHRASE", "password123")
                .run("identity", "create", "--allow-weak-passphrase", "--json").ok();
        Halo.in(home).env("HALO_KEYRING_PASSPHRASE", "password123").run("space", "create", "Weak").ok();
    }

    @Test
    @DisplayName("a FIFO as passphrase file is refused at once, not waited on")
    void fifoPassphraseFile() throws Exception {
        Path fifo = f.newHome("fifo").resolveSibling("passphrase.fifo");
        Process mk = new ProcessBuilder("mkfifo", "-m", "600", fifo.toString()).inheritIO().start();
        assertThat(mk.waitFor()).isZero();
        // Halo.run fails the test if the command does not end in time: nothing ever writes to the FIFO.
        Halo.in(f.alice).noPassphrase().run("--passphrase-file", fifo.toString(), "space", "create", "Fifo")
                .fails(ExitCode.NO_PASSPHRASE, "keyring.passphrase_file_type");
    }

    @Test
    @DisplayName("a passphrase file owned by another user is refused (run as root, the test gives it to nobody)")
    void foreignPassphraseFile() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
                "only root can give a file to another user");
        Path file = f.newHome("foreign").resolveSibling("passphrase");
        Files.writeString(file, Halo.PASSPHRASE + "\n", StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        Files.setOwner(file, file.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody"));
        Halo.in(f.alice).noPassphrase().run("--passphrase-file", file.toString(), "space", "create", "Foreign")
                .fails(ExitCode.NO_PASSPHRASE, "keyring.passphrase_file_owner");
    }

    @Test
    @DisplayName("--json failures print one {\"error\"} document on stdout with the exit code; values are never echoed")
    void jsonErrorsAndNoEcho() throws Exception {
        Halo.Result r = Halo.in(f.alice).run("--json", "space", "members", "No such space").failsWith(ExitCode.NOT_FOUND);
        JsonNode doc = r.json();
        assertThat(doc.at("/error/code").asText()).isEqualTo("space.unknown");
        assertThat(doc.at("/error/exitCode").asInt()).isEqualTo(ExitCode.NOT_FOUND);
        Halo.Result usage = Halo.in(f.alice).run("--json", "--passphrase", "s3cret-typed", "space", "list")
                .fails(ExitCode.USAGE, "usage");
        assertThat(usage.json().at("/error/code").asText()).isEqualTo("usage");
        assertThat(usage.out() + usage.err()).doesNotContain("s3cret-typed").contains("--passphrase-file");
        String[] words = f.aliceWords.split(" ");
        String[] args = new String[words.length + 2];
        args[0] = "identity";
        args[1] = "recover";
        System.arraycopy(words, 0, args, 2, words.length);
        Halo.Result recover = Halo.in(f.newHome("echo")).run(args).fails(ExitCode.USAGE, "usage");
        // The whole line is fixed text: no word of the phrase can be in it, whichever words it has (a BIP39 word such
        // as "help" or "secret" may also be a word of the message itself).
        assertThat(recover.err().strip()).isEqualTo("halo: 24 arguments more than 'halo identity recover' takes "
                + "(values are not repeated here: they may be secret) (see 'halo identity recover --help') [usage]");
    }

    @Test
    @DisplayName("identities print as did:key and roles by short name, in text and JSON; a credential that does not verify exits 1")
    void oneFormat() throws Exception {
        Path dir = f.newHome("format").getParent();
        String space = Halo.in(f.alice).run("space", "create", "Format", "--json").ok().json().get("spaceId").asText();
        Halo.in(f.alice).run("space", "set-role", space, f.bobDid, "EDITOR").ok();
        JsonNode members = Halo.in(f.alice).run("space", "members", space, "--json").ok().json();
        assertThat(members.findValuesAsText("role")).contains("OWNER", "EDITOR").allMatch(r -> !r.startsWith("SPACE_ROLE_"));
        String id = null;
        for (JsonNode c : Halo.in(f.alice).run("credential", "list", "--space", space, "--json").ok().json()) {
            assertThat(c.get("issuer").asText()).startsWith("did:key:z6Mk");
            if (c.get("subject").asText().equals(f.bobDid)) {
                id = c.get("id").asText();
            }
        }
        assertThat(id).as("the SpaceMember about Bob").isNotNull();
        Path file = dir.resolve("bob.cred");
        Halo.in(f.alice).run("credential", "export", id, "--out", file.toString()).ok();
        Halo.Result shown = Halo.anywhere().run("credential", "show", file.toString()).ok();
        assertThat(shown.out()).contains("issuer:    " + f.aliceDid).contains("subject:   " + f.bobDid)
                .contains("\"role\":\"EDITOR\"").doesNotContain("SPACE_ROLE_");
        assertThat(Halo.anywhere().run("credential", "verify", file.toString()).ok().out())
                .contains("issued by " + f.aliceDid).contains("about " + f.bobDid);

        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - 1] ^= 1; // the signature's last byte
        Path tampered = dir.resolve("tampered.cred");
        Files.write(tampered, bytes);
        Halo.Result bad = Halo.anywhere().run("credential", "show", tampered.toString());
        assertThat(bad.exit()).as(bad.err()).isEqualTo(ExitCode.FAILED);
        assertThat(bad.out()).contains("verifies:  REJECTED").contains("subject:   " + f.bobDid);
        assertThat(Halo.anywhere().run("credential", "show", tampered.toString(), "--json").json()
                .get("valid").asBoolean()).isFalse();
    }

    @Test
    @DisplayName("garbage reads as garbage: an empty file, random bytes, a directory")
    void garbage() throws Exception {
        Path dir = f.newHome("garbage").getParent();
        Path empty = Files.createFile(dir.resolve("empty.cred"));
        for (String cmd : List.of("show", "verify")) {
            Halo.Result r = Halo.anywhere().run("credential", cmd, empty.toString()).fails(ExitCode.FAILED, "file.empty");
            assertThat(r.err()).contains("empty file, not a credential");
        }
        Halo.anywhere().run("presentation", "verify", empty.toString(), "--audience", "https://a.example",
                "--nonce", "00".repeat(32)).fails(ExitCode.FAILED, "file.empty");
        java.util.Random random = new java.util.Random(8);
        for (int i = 0; i < 12; i++) {
            byte[] junk = new byte[1 + random.nextInt(300)];
            random.nextBytes(junk);
            Path file = dir.resolve("junk-" + i);
            Files.write(file, junk);
            for (String cmd : List.of("show", "verify")) {
                Halo.Result r = Halo.anywhere().run("credential", cmd, file.toString()).failsWith(ExitCode.FAILED);
                // never protobuf's own words
                assertThat(r.err()).doesNotContainIgnoringCase("tag").doesNotContainIgnoringCase("wire type")
                        .doesNotContainIgnoringCase("protocol message").doesNotContainIgnoringCase("varint");
            }
        }
        Halo.anywhere().run("credential", "show", dir.toString()).fails(ExitCode.FAILED, "file.type");
    }

    @Test
    @DisplayName("one command does not break another: 'identity list' while 'identity create' runs leaves the creation alone")
    void concurrentCommands() throws Exception {
        Path home = f.newHome("concurrent");
        Halo.in(home).run("identity", "list").ok(); // the home exists, so the lists below only read
        // The default Argon2 cost keeps the creation busy long enough for the lists to run beside it.
        Halo creating = Halo.in(home).env("HALO_KEYRING_ARGON2", "default");
        ProcessBuilder pb = new ProcessBuilder(creating.commandLine("identity", "create", "--name", "Slow", "--json"))
                .redirectErrorStream(true);
        pb.environment().putAll(creating.environment());
        Process create = pb.start();
        create.getOutputStream().close();
        int lists = 0;
        while (create.isAlive() && lists < 20) {
            Halo.in(home).run("identity", "list").ok();
            lists++;
        }
        String output = new String(create.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(create.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(create.exitValue()).as(output).isZero();
        assertThat(lists).as("lists that ran during the creation").isPositive();
        assertThat(Halo.in(home).run("identity", "list", "--json").ok().json()).hasSize(1);
        try (Stream<Path> s = Files.list(home.resolve("identities"))) {
            assertThat(s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".staging")).toList()).isEmpty();
        }
    }

    @Test
    @DisplayName("a home others can write to is refused, with why, as ssh refuses such a ~/.ssh")
    void sharedHome() throws Exception {
        Path home = f.newHome("shared");
        Files.createDirectories(home);
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwxrwxrwx"));
        Halo.Result r = Halo.in(home).run("identity", "list").fails(ExitCode.STORAGE, "storage.permissions");
        assertThat(r.err()).contains("writable by its group or other users").contains("chmod 700");
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));
        Halo.in(home).run("identity", "list").ok();
    }

    @Test
    @DisplayName("progress: silent when stderr is piped, shown with --progress, never with --no-progress")
    void progress() {
        Halo.in(f.alice).run("space", "create", "Progress").ok();
        Halo.Result quiet = Halo.in(f.alice).run("space", "list").ok();
        assertThat(quiet.err()).doesNotContain("checking credentials").doesNotContain("reading feeds");
        Halo.Result shown = Halo.in(f.alice).run("--progress", "space", "list").ok();
        assertThat(shown.err()).contains("halo: reading feeds").contains("halo: checking credentials");
        assertThat(shown.out()).isEqualTo(quiet.out());
        assertThat(Halo.in(f.alice).run("--no-progress", "space", "list").ok().err()).doesNotContain("checking");
    }

    @Test
    @DisplayName("the lost laptop: a recovery revokes every other device, and a presentation from the old one is refused after")
    void recoveryRevokesOthers() throws Exception {
        Path dir = f.newHome("lost").getParent();
        String nonce = "5a".repeat(32);
        Path login = dir.resolve("laptop.pres");
        Halo.in(f.alice).run("presentation", "sign", "--audience", "https://app.example.com", "--nonce", nonce,
                "--out", login.toString()).ok();
        String[] verify = {"presentation", "verify", login.toString(), "--audience", "https://app.example.com",
                "--nonce", nonce, "--with-wallet"};

        Path desktop = f.newHome("desktop");
        JsonNode r = Halo.in(desktop).stdin(f.aliceWords).run("identity", "recover", "--revoke-other-devices", "--json")
                .ok().json();
        assertThat(r.get("otherDevicesRevoked").asBoolean()).isTrue();
        Halo.Result refused = Halo.in(desktop).run(verify).fails(ExitCode.FAILED, "device.revoked");
        assertThat(refused.err()).contains("revoked");
        // what another wallet that has not learnt of it yet says (replication brings it there)
        Halo.in(f.alice).run(verify).ok();

        // later, from a recovered device that did not revoke at once: --all-others with the words
        Path later = f.newHome("later");
        Halo.in(later).stdin(f.aliceWords).run("identity", "recover", "--no-revoke-other-devices").ok();
        Halo.in(later).run(verify).ok();
        Halo.in(later).stdin("abandon ".repeat(23) + "art").run("device", "revoke", "--all-others")
                .fails(ExitCode.FAILED, "backup.mismatch");
        Halo.in(later).stdin(f.aliceWords).run("device", "revoke", "--all-others", "--json").ok();
        Halo.in(later).run(verify).fails(ExitCode.FAILED, "device.revoked");
        Halo.in(later).run("device", "revoke").fails(ExitCode.USAGE, "usage");
    }
}
