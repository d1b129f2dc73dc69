package org.halo4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The README's wallet walk-through, read from the README (not copied) and run as written with bash from the
 * root of the clone, in a home directory of its own under {@code target/}: a newcomer's first steps must work.
 */
@DisplayName("the README walk-through runs as written")
class ReadmeIT {

    private static final Path ROOT = Halo.LAUNCHER.getParent().getParent().getParent();

    @Test
    @DisplayName("'Try the wallet': two identities, a space, a member, a presentation signed and verified")
    void walkThrough() throws Exception {
        String readme = Files.readString(ROOT.resolve("README.md"), StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("<!-- replayed: ReadmeIT -->\\n```bash\\n(.*?)```", Pattern.DOTALL).matcher(readme);
        assertThat(m.find()).as("the block marked for ReadmeIT in README.md").isTrue();
        String script = m.group(1);
        Path home = Fixture.get().newHome("readme");
        Files.createDirectories(home);
        Path log = home.resolveSibling("readme.log");
        ProcessBuilder pb = new ProcessBuilder("bash", "-euo", "pipefail", "-c", script)
                .directory(ROOT.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("HALO_"));
        pb.environment().put("HOME", home.toString());
        pb.environment().put("HALO_KEYRING_PASSPHRASE", Halo.PASSPHRASE); // no terminal here to type it
        pb.environment().put("HALO_KEYRING_ARGON2", "test");
        Process p = pb.start();
        p.getOutputStream().close();
        assertThat(p.waitFor(180, TimeUnit.SECONDS)).as("the walk-through ends").isTrue();
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as("exit of the README walk-through; output:%n%s", output).isZero();
        assertThat(output).contains("\"role\":\"EDITOR\"").contains("would log in to https://app.example.com");
        assertThat(home.resolve("halo-try/alice/identities")).isDirectory();
    }
}
