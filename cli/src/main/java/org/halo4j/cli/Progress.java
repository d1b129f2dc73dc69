package org.halo4j.cli;

import java.io.PrintStream;
import java.util.function.LongSupplier;
import org.halo4j.spaces.ReplayProgress;

/**
 * Progress of long work on stderr, for a person: shown on a terminal once the work has taken longer than
 * {@link #DELAY_NANOS} (quick commands never flicker), as one line rewritten in place and cleared at the end;
 * silent when stderr is not a terminal, so pipes and logs stay clean. {@code --progress} forces it (one line
 * per report, at most every half second), {@code --no-progress} silences it.
 */
final class Progress implements ReplayProgress, AutoCloseable {

    /** Work shorter than this shows nothing. */
    static final long DELAY_NANOS = 400_000_000L;
    private static final long INTERVAL_NANOS = 100_000_000L;
    private static final long FORCED_INTERVAL_NANOS = 500_000_000L;

    private final PrintStream err;
    private final boolean terminal;
    private final boolean forced;
    private final LongSupplier clock;
    private final long start;
    private long last;
    private boolean reported;
    private boolean drawn;

    /**
     * @param terminal true if {@code err} is a terminal
     * @param forced   true to report even when it is not, from the first report
     */
    Progress(PrintStream err, boolean terminal, boolean forced, LongSupplier nanoClock) {
        this.err = err;
        this.terminal = terminal;
        this.forced = forced;
        this.clock = nanoClock;
        this.start = nanoClock.getAsLong();
    }

    @Override
    public void progress(String phase, long done, long total) {
        long now = clock.getAsLong();
        boolean end = total >= 0 && done >= total; // total < 0: not known in advance
        if (forced && !terminal) {
            if (end || !reported || now - last >= FORCED_INTERVAL_NANOS) {
                err.println("halo: " + line(phase, done, total));
                err.flush();
                last = now;
                reported = true;
            }
            return;
        }
        if (!terminal || (!forced && now - start < DELAY_NANOS) || (!end && reported && now - last < INTERVAL_NANOS)) {
            return;
        }
        err.print("\r\033[K" + line(phase, done, total));
        err.flush();
        drawn = true;
        reported = true;
        last = now;
    }

    private static String line(String phase, long done, long total) {
        if (total < 0) {
            return phase + " " + done;
        }
        long percent = total == 0 ? 100 : done * 100 / total;
        return phase + " " + done + "/" + total + " (" + percent + "%)";
    }

    /** Clears the line, if one was drawn, so that what follows starts on a clean line. */
    @Override
    public void close() {
        if (drawn) {
            err.print("\r\033[K");
            err.flush();
            drawn = false;
        }
    }
}
