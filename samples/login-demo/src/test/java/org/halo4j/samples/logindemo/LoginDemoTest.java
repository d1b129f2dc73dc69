package org.halo4j.samples.logindemo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.halo4j.keys.Argon2Settings;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoginDemoTest {

    @Test
    @DisplayName("the demo runs end to end and every attack is refused with its code")
    void runs(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int failures = new LoginDemo(new PrintStream(buf, true, StandardCharsets.UTF_8)).run(dir, Argon2Settings.forTests());
        String out = buf.toString(StandardCharsets.UTF_8);
        assertThat(failures).as(out).isZero();
        assertThat(out).contains("presentation.challenge_unknown", "presentation.audience_mismatch",
                "keyring.wrong_passphrase", "the same 24 words give the same identity", "Everything behaved as it must.");
        assertThat(out).doesNotContain("[FAIL]");
    }
}
