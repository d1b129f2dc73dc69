package org.halo4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("progress of long work on stderr")
class ProgressTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final PrintStream err = new PrintStream(out, true, StandardCharsets.UTF_8);
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

    private String shown() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    @DisplayName("on a terminal: nothing for quick work, then one line rewritten in place, cleared at the end")
    void terminal() {
        try (Progress p = new Progress(err, true, false, nanos::get)) {
            p.progress("checking credentials", 256, 10_000);
            assertThat(shown()).as("quick work shows nothing").isEmpty();
            nanos.addAndGet(Progress.DELAY_NANOS);
            p.progress("checking credentials", 512, 10_000);
            assertThat(shown()).isEqualTo("\r\033[Kchecking credentials 512/10000 (5%)");
            p.progress("checking credentials", 768, 10_000); // too soon after the last one: not redrawn
            assertThat(shown()).doesNotContain("768");
            nanos.addAndGet(200_000_000L);
            p.progress("checking credentials", 1024, 10_000);
            assertThat(shown()).endsWith("\r\033[Kchecking credentials 1024/10000 (10%)");
        }
        assertThat(shown()).endsWith("\r\033[K").doesNotContain("\n");
    }

    @Test
    @DisplayName("not a terminal: silent, whatever the work; forced with --progress: plain lines")
    void notATerminal() {
        try (Progress p = new Progress(err, false, false, nanos::get)) {
            nanos.addAndGet(10 * Progress.DELAY_NANOS);
            p.progress("reading feeds", 10, 10);
        }
        assertThat(shown()).isEmpty();
        try (Progress p = new Progress(err, false, true, nanos::get)) {
            p.progress("reading feeds", 256, 1000);
            p.progress("reading feeds", 512, 1000); // within half a second: skipped
            p.progress("reading feeds", 1000, 1000); // the end is always reported
        }
        assertThat(shown()).isEqualTo("halo: reading feeds 256/1000 (25%)\nhalo: reading feeds 1000/1000 (100%)\n"
                .replace("\n", System.lineSeparator()));
    }
}
