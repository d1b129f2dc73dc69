package org.halo4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Identities shared by the end-to-end tests, created once per test JVM (a keyring costs a process or two):
 * Alice, whose words are kept so that tests can recover her, and Bob, a second identity to add to spaces.
 * Tests that change what others read use homes of their own.
 */
final class Fixture {

    private static Fixture shared;

    final Path root;
    final Path alice;
    final String aliceDid;
    final String aliceWords;
    final Path bob;
    final String bobDid;
    final String bobWords;

    private Fixture() throws IOException {
        Path target = Halo.LAUNCHER.getParent();
        Files.createDirectories(target.resolve("it-homes"));
        root = Files.createTempDirectory(target.resolve("it-homes"), "run-");
        alice = root.resolve("alice");
        JsonNode a = Halo.in(alice)
                .run("identity", "create", "--name", "Alice", "--device-name", "laptop", "--json").ok().json();
        aliceDid = a.get("did").asText();
        aliceWords = a.get("recoveryPhrase").asText();
        bob = root.resolve("bob");
        JsonNode b = Halo.in(bob).run("identity", "create", "--name", "Bob", "--json").ok().json();
        bobDid = b.get("did").asText();
        bobWords = b.get("recoveryPhrase").asText();
    }

    static synchronized Fixture get() {
        if (shared == null) {
            try {
                shared = new Fixture();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return shared;
    }

    /** A fresh, not yet existing home directory. */
    Path newHome(String name) {
        try {
            return Files.createTempDirectory(root, name + "-").resolve("home");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
