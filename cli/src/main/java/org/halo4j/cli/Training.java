package org.halo4j.cli;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.halo4j.keys.InMemoryKeyring;

/**
 * The build's training run for the class-data-sharing archive the launcher ships ({@code halo-cli.jsa}): runs
 * the common commands once, in one JVM, on a throw-away wallet with test-cost keyrings, so that the archive
 * holds the classes they load. Not a command of {@code halo}; the build runs it with
 * {@code -XX:ArchiveClassesAtExit}. Usage: {@code Training DIR} (DIR is deleted at the end).
 */
final class Training {

    private Training() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]).toAbsolutePath();
        try {
            train(dir);
        } finally {
            deleteTree(dir);
        }
    }

    private static void train(Path dir) throws Exception {
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        String home = dir.resolve("home").toString();
        Map<String, String> env = Map.of("HALO_KEYRING_ARGON2", "test",
                "HALO_KEYRING_PASSPHRASE", "training only: a throw-away wallet of the build");
        run(env, "--home", home, "identity", "create", "--name", "Training", "--device-name", "build");
        run(env, "--home", home, "space", "create", "Team");
        String other = new InMemoryKeyring().generate().toDidKey();
        run(env, "--home", home, "space", "set-role", "Team", other, "EDITOR", "--yes");
        for (String[] read : new String[][] {{"space", "list"}, {"space", "members", "Team"}, {"space", "audit", "Team"},
                {"device", "list"}, {"contacts", "list"}, {"credential", "list"}, {"profile", "show"},
                {"identity", "show"}, {"identity", "list"}, {"space", "list", "--json"}}) {
            String[] line = new String[read.length + 2];
            line[0] = "--home";
            line[1] = home;
            System.arraycopy(read, 0, line, 2, read.length);
            run(env, line);
        }
        String nonce = HexFormat.of().formatHex(new byte[32]);
        Path presentation = dir.resolve("login.presentation");
        run(env, "--home", home, "presentation", "sign", "--audience", "https://app.example.com", "--nonce", nonce,
                "--out", presentation.toString());
        run(env, "presentation", "verify", presentation.toString(), "--audience", "https://app.example.com",
                "--nonce", nonce);
        run(env, "credential", "show", presentation.toString());
        run(env, "--help");
        run(env, "space", "--help");
        run(env, "--no-such-option");
    }

    private static void run(Map<String, String> env, String... args) {
        PrintStream sink = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
        Io io = new Io(new ByteArrayInputStream(new byte[0]), sink, sink, env, false, false, false, Optional::empty);
        Main.run(io, args);
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
