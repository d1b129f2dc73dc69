package org.halo4j.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Where the command line reads and writes: standard streams, environment, and the terminal. One per run;
 * tests build their own.
 *
 * @param stdin          standard input
 * @param stdout         standard output (UTF-8)
 * @param stderr         standard error (UTF-8)
 * @param env            the environment
 * @param stdinTerminal  true if stdin is a terminal (the launcher tells; see {@link #system()})
 * @param stdoutTerminal true if stdout is a terminal
 * @param stderrTerminal true if stderr is a terminal (where progress is shown)
 * @param terminal       opens the controlling terminal, if there is one
 */
public record Io(InputStream stdin, PrintStream stdout, PrintStream stderr, Map<String, String> env,
                 boolean stdinTerminal, boolean stdoutTerminal, boolean stderrTerminal,
                 Supplier<Optional<Terminal>> terminal) {

    /** No secret read from stdin is longer. */
    static final int MAX_STDIN_CHARS = 4096;

    /**
     * This process's streams and environment. Java cannot tell whether stdin and stdout are terminals, so the
     * launcher passes {@code -Dhalo.stdin.tty} and {@code -Dhalo.stdout.tty}; without them (run with
     * {@code java -jar}), both count as terminals when the JVM has a console.
     */
    public static Io system() {
        boolean console = System.console() != null;
        return new Io(System.in, new PrintStream(System.out, false, StandardCharsets.UTF_8),
                new PrintStream(System.err, true, StandardCharsets.UTF_8), System.getenv(),
                flag("halo.stdin.tty", console), flag("halo.stdout.tty", console), flag("halo.stderr.tty", console),
                Terminal::open);
    }

    private static boolean flag(String property, boolean otherwise) {
        String v = System.getProperty(property);
        return v == null ? otherwise : Boolean.parseBoolean(v);
    }

    /** The environment variable, if set and not empty. */
    public Optional<String> getenv(String name) {
        String v = env.get(name);
        return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v);
    }

    /**
     * All of stdin as characters (UTF-8), for a secret piped in; at most {@value #MAX_STDIN_CHARS}. The
     * caller wipes the result.
     */
    public char[] readStdin() throws CliException {
        char[] buf = new char[512];
        int n = 0;
        try {
            Reader r = new InputStreamReader(stdin, StandardCharsets.UTF_8);
            int read;
            while ((read = r.read(buf, n, buf.length - n)) >= 0) {
                n += read;
                if (n > MAX_STDIN_CHARS) {
                    throw new CliException("input.too_long", "standard input is longer than " + MAX_STDIN_CHARS
                            + " characters; expected 24 words", ExitCode.USAGE);
                }
                if (n == buf.length) {
                    char[] bigger = Arrays.copyOf(buf, buf.length * 2);
                    Arrays.fill(buf, '\0');
                    buf = bigger;
                }
            }
            return Arrays.copyOf(buf, n);
        } catch (IOException e) {
            throw new CliException("stdin.io", "could not read standard input: " + e.getMessage(), ExitCode.FAILED, e);
        } finally {
            Arrays.fill(buf, '\0');
        }
    }
}
