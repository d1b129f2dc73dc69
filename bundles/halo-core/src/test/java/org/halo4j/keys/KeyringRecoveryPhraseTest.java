package org.halo4j.keys;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("FileKeyring keeps a recovery phrase encrypted until its backup is confirmed, then destroys it")
class KeyringRecoveryPhraseTest {

    @Test
    @DisplayName("stored, read back after reopening, destroyed; never on disk in clear")
    void lifecycle(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("k");
        char[] pass = "pass".toCharArray();
        char[] words;
        try (RecoveryPhrase phrase = RecoveryPhrase.generate(new SecureRandom());
             FileKeyring k = FileKeyring.create(file, pass, Argon2Settings.forTests())) {
            words = phrase.toChars();
            k.storeRecoveryPhrase(phrase);
        }
        byte[] disk = Files.readAllBytes(file);
        String firstWord = new String(words, 0, new String(words).indexOf(' '));
        assertThat(new String(disk, StandardCharsets.ISO_8859_1)).doesNotContain(firstWord + " ");
        try (FileKeyring k = FileKeyring.open(file, pass)) {
            try (RecoveryPhrase back = k.recoveryPhrase().orElseThrow()) {
                assertThat(back.toChars()).isEqualTo(words);
            }
            k.destroyRecoveryPhrase();
        }
        try (FileKeyring k = FileKeyring.open(file, pass)) {
            assertThat(k.recoveryPhrase()).isEmpty();
        }
    }
}
