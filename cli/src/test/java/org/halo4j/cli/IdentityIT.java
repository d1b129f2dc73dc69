package org.halo4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.halo4j.keys.KeyFormatException;
import org.halo4j.keys.RecoveryPhrase;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("halo identity")
class IdentityIT {

    private final Fixture f = Fixture.get();

    @Nested
    @DisplayName("create and recover")
    class CreateRecover {

        @Test
        @DisplayName("the 24 printed words recover the same DID in another home")
        void recoverFromPrintedWords() {
            assertThat(f.aliceDid).startsWith("did:key:z6Mk");
            assertThat(f.aliceWords.split(" ")).hasSize(24);
            Path other = f.newHome("recovered");
            JsonNode r = Halo.in(other).stdin(f.aliceWords + "\n").run("identity", "recover", "--json").ok().json();
            assertThat(r.get("did").asText()).isEqualTo(f.aliceDid);
            JsonNode shown = Halo.in(other).run("identity", "show", "--json").ok().json();
            assertThat(shown.get("did").asText()).isEqualTo(f.aliceDid);
            assertThat(shown.get("backupConfirmed").asBoolean()).as("the person typed the words: nothing to confirm").isTrue();
            assertThat(shown.get("haloSynced").asBoolean()).as("recovery writes no genesis").isFalse();
        }

        @Test
        @DisplayName("text output shows the DID, a warning and the 24 numbered words; stdin not a terminal: backup left unconfirmed")
        void textOutput() {
            Path home = f.newHome("text");
            Halo.Result r = Halo.in(home).run("identity", "create", "--name", "Tess").ok();
            assertThat(r.out()).containsPattern("Created did:key:z6Mk\\w+");
            assertThat(r.out()).contains("Write these 24 words down");
            assertThat(r.out()).containsPattern("\\b1\\. [a-z]+").containsPattern("\\b24\\. [a-z]+");
            assertThat(r.err()).contains("halo identity confirm-backup");
            JsonNode shown = Halo.in(home).run("identity", "show", "--json").ok().json();
            assertThat(shown.get("backupConfirmed").asBoolean()).isFalse();
            assertThat(shown.get("name").asText()).isEqualTo("Tess");
        }

        @Test
        @DisplayName("recovering an identity already in the wallet is refused")
        void recoverTwice() {
            Halo.in(f.alice).stdin(f.aliceWords).run("identity", "recover").fails(ExitCode.EXISTS, "identity.exists");
        }
    }

    @Nested
    @DisplayName("a wrong phrase names its problem")
    class BadPhrase {

        @Test
        @DisplayName("an unknown word: the message gives its position")
        void unknownWord() {
            String[] words = f.aliceWords.split(" ");
            words[6] = "notaword";
            Halo.Result r = Halo.in(f.newHome("bad")).stdin(String.join(" ", words)).run("identity", "recover")
                    .fails(ExitCode.BAD_PHRASE, "phrase.unknown_word");
            assertThat(r.err()).contains("word 7 ");
            assertThat(r.err()).doesNotContain("notaword");
        }

        @Test
        @DisplayName("two swapped words: bad checksum")
        void checksum() {
            String swapped = withBadChecksum(f.aliceWords);
            Halo.in(f.newHome("bad")).stdin(swapped).run("identity", "recover")
                    .fails(ExitCode.BAD_PHRASE, "phrase.checksum");
        }

        /** The phrase with two neighbouring words swapped, chosen so that the checksum no longer matches. */
        private static String withBadChecksum(String phrase) {
            String[] words = phrase.split(" ");
            for (int i = 0; i + 1 < words.length; i++) {
                String[] w = words.clone();
                w[i] = words[i + 1];
                w[i + 1] = words[i];
                String candidate = String.join(" ", w);
                try {
                    RecoveryPhrase.parse(candidate.toCharArray()).close(); // still valid (1 in 256): try the next pair
                } catch (KeyFormatException e) {
                    if (e.problem() == KeyFormatException.Problem.PHRASE_CHECKSUM) {
                        return candidate;
                    }
                }
            }
            throw new AssertionError("no swap breaks the checksum");
        }

    }

    @Nested
    @DisplayName("confirm-backup")
    class ConfirmBackup {

        @Test
        @DisplayName("another identity's words are refused; the right words destroy the phrase, and show stops warning")
        void confirm() throws IOException {
            Path home = f.newHome("confirm");
            JsonNode created = Halo.in(home).run("identity", "create", "--json").ok().json();
            String words = created.get("recoveryPhrase").asText();
            assertThat(Halo.in(home).run("identity", "show").ok().err()).contains("not backed up yet");

            Halo.in(home).stdin(f.bobWords).run("identity", "confirm-backup").fails(ExitCode.FAILED, "backup.mismatch");

            JsonNode confirmed = Halo.in(home).stdin(words + "\n").run("identity", "confirm-backup", "--json").ok().json();
            assertThat(confirmed.get("backupConfirmed").asBoolean()).isTrue();
            Halo.Result show = Halo.in(home).run("identity", "show", "--json").ok();
            assertThat(show.json().get("backupConfirmed").asBoolean()).isTrue();
            assertThat(show.err()).isEmpty();
            assertNoFileHolds(home, words);
        }
    }

    @Nested
    @DisplayName("list, show and use")
    class ListShowUse {

        @Test
        @DisplayName("two identities in one home: list marks the current one, use switches")
        void listAndUse() {
            Path home = f.newHome("two");
            String first = Halo.in(home).run("identity", "create", "--name", "One", "--json").ok().json().get("did").asText();
            String second = Halo.in(home).stdin(f.bobWords).run("identity", "recover", "--name", "Two", "--json").ok()
                    .json().get("did").asText();
            assertThat(second).isEqualTo(f.bobDid);

            JsonNode list = Halo.in(home).run("identity", "list", "--json").ok().json();
            assertThat(list).hasSize(2);
            for (JsonNode i : list) {
                assertThat(i.get("current").asBoolean()).isEqualTo(i.get("did").asText().equals(second));
                assertThat(i.get("key").asText()).matches("[0-9a-f]{64}");
            }
            Halo.in(home).run("identity", "use", first).ok();
            assertThat(Halo.in(home).run("identity", "show", "--json").ok().json().get("did").asText()).isEqualTo(first);
            assertThat(Halo.in(home).run("--identity", second, "identity", "show", "--json").ok().json()
                    .get("name").asText()).isEqualTo("Two");
            Halo.in(home).run("identity", "use", f.aliceDid).fails(ExitCode.NOT_FOUND, "identity.unknown");
        }
    }

    /** DESIGN §2: the phrase is never written to a file in clear. */
    static void assertNoFileHolds(Path home, String words) throws IOException {
        byte[] needle = words.getBytes(StandardCharsets.UTF_8);
        byte[] firstWords = String.join(" ", List.of(words.split(" ")).subList(0, 3)).getBytes(StandardCharsets.UTF_8);
        try (Stream<Path> files = Files.walk(home)) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                byte[] content = Files.readAllBytes(p);
                assertThat(indexOf(content, needle)).as("phrase in %s", p).isNegative();
                assertThat(indexOf(content, firstWords)).as("words of the phrase in %s", p).isNegative();
            }
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
