package org.halo4j.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A command run under a pseudo-terminal with util-linux {@code script -qfec CMD /dev/null}: the command gets a
 * controlling terminal ({@code /dev/tty}) that this test types into, like a person, after each prompt.
 */
final class Pty implements AutoCloseable {

    private static final Path SCRIPT = Path.of("/usr/bin/script");

    private final Process process;
    private final InputStream output;
    private final OutputStream input;
    private final StringBuilder transcript = new StringBuilder();
    private int consumed;

    private Pty(Process process) {
        this.process = process;
        this.output = process.getInputStream();
        this.input = process.getOutputStream();
    }

    static boolean available() {
        return Files.isExecutable(SCRIPT);
    }

    /** Starts {@code shellCommand} (a line for {@code sh -c}) under a new terminal, with {@code env}. */
    static Pty start(String shellCommand, Map<String, String> env) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(SCRIPT.toString(), "-qfec", shellCommand, "/dev/null")
                .redirectErrorStream(true);
        pb.environment().remove("HALO_KEYRING_PASSPHRASE");
        pb.environment().remove("HALO_HOME");
        pb.environment().putAll(env);
        pb.environment().put("SHELL", "/bin/sh");
        return new Pty(pb.start());
    }

    /** One shell word. */
    static String quote(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }

    static String shellLine(List<String> words) {
        return words.stream().map(Pty::quote).collect(Collectors.joining(" "));
    }

    /** Waits until the output after the last match matches {@code regex}; returns the match. */
    Matcher expect(String regex) throws IOException, InterruptedException {
        Pattern p = Pattern.compile(regex);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        byte[] buf = new byte[4096];
        while (true) {
            Matcher m = p.matcher(transcript);
            if (m.find(consumed)) {
                consumed = m.end();
                return m;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no '" + regex + "' in the terminal output: " + transcript);
            }
            if (output.available() > 0) {
                int n = output.read(buf);
                transcript.append(new String(buf, 0, n, StandardCharsets.UTF_8));
            } else if (!process.isAlive() && output.available() == 0) {
                int n = output.read(buf);
                if (n < 0) {
                    throw new AssertionError("ended without '" + regex + "'; terminal output: " + transcript);
                }
                transcript.append(new String(buf, 0, n, StandardCharsets.UTF_8));
            } else {
                Thread.sleep(20);
            }
        }
    }

    /** Types a line. */
    void type(String line) throws IOException {
        input.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        input.flush();
    }

    /** Waits for the end; returns the exit code, the rest of the output read into the transcript. */
    int waitFor() throws IOException, InterruptedException {
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the terminal session did not end: " + transcript);
        }
        transcript.append(new String(output.readAllBytes(), StandardCharsets.UTF_8));
        return process.exitValue();
    }

    String transcript() {
        return transcript.toString();
    }

    @Override
    public void close() {
        process.destroy();
    }
}
