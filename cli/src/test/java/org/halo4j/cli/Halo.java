package org.halo4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real launcher, {@code target/halo}, as a process. By default: passphrase from the environment,
 * cheap keyring cost, and no controlling terminal ({@code setsid}), so that no test can ever wait for a person.
 */
final class Halo {

    static final Path LAUNCHER = Path.of(System.getProperty("halo.launcher", "target/halo")).toAbsolutePath();
    static final String PASSPHRASE = "correct horse battery staple";
    static final ObjectMapper JSON = new ObjectMapper();
    private static final boolean SETSID = Files.isExecutable(Path.of("/usr/bin/setsid"));
    private static final long TIMEOUT_SECONDS = 60;
    /** Faster start for short runs; nothing here is hot, and test keyrings are cheap. */
    private static final String JAVA_OPTS = "-XX:TieredStopAtLevel=1";

    private final Path home;
    private final Map<String, String> env = new HashMap<>();
    private byte[] stdin = new byte[0];

    private Halo(Path home) {
        this.home = home;
        env.put("HALO_KEYRING_ARGON2", "test");                 // cheap keyrings: tests only
        // The launcher uses the class-data archive the build made (target/halo-cli.jsa).
        env.put("HALO_JAVA_OPTS", JAVA_OPTS);
        env.put("HALO_KEYRING_PASSPHRASE", PASSPHRASE);
    }

    /** A command line acting on the wallet at {@code home}. */
    static Halo in(Path home) {
        return new Halo(home);
    }

    /** A command line without any wallet (no --home given). */
    static Halo anywhere() {
        return new Halo(null);
    }

    Halo stdin(String text) {
        this.stdin = text.getBytes(StandardCharsets.UTF_8);
        return this;
    }

    Halo env(String name, String value) {
        if (value == null) {
            env.remove(name);
        } else {
            env.put(name, value);
        }
        return this;
    }

    Halo noPassphrase() {
        return env("HALO_KEYRING_PASSPHRASE", null);
    }

    /** The environment a launcher run gets (for runs made some other way, such as under a terminal). */
    Map<String, String> environment() {
        return Map.copyOf(env);
    }

    List<String> commandLine(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(LAUNCHER.toString());
        if (home != null) {
            cmd.add("--home");
            cmd.add(home.toString());
        }
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** Runs {@code halo [--home HOME] args...} to its end. */
    Result run(String... args) {
        List<String> cmd = new ArrayList<>();
        if (SETSID) {
            cmd.add("/usr/bin/setsid");
            cmd.add("-w");
        }
        cmd.addAll(commandLine(args));
        try {
            Path out = Files.createTempFile("halo-out", ".txt");
            Path err = Files.createTempFile("halo-err", ".txt");
            try {
                ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
                pb.environment().remove("HALO_HOME");
                pb.environment().remove("HALO_KEYRING_PASSPHRASE");
                pb.environment().putAll(env);
                Process p = pb.start();
                try (OutputStream in = p.getOutputStream()) {
                    in.write(stdin);
                } catch (IOException e) {
                    // the command exited without reading its input
                }
                if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new AssertionError("halo " + String.join(" ", args) + " did not finish in " + TIMEOUT_SECONDS + " s");
                }
                return new Result(String.join(" ", args), p.exitValue(), Files.readString(out), Files.readString(err));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /**
     * Starts {@code halo [--home HOME] args...} in the background (a node, a host waiting for its guest): its
     * stdout is read line by line, so a test can wait for a line; {@link Background#stop} sends SIGTERM.
     */
    Background start(String... args) {
        List<String> cmd = commandLine(args);
        try {
            Path err = Files.createTempFile("halo-err", ".txt");
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(err.toFile());
            pb.environment().remove("HALO_HOME");
            pb.environment().remove("HALO_KEYRING_PASSPHRASE");
            pb.environment().putAll(env);
            Process p = pb.start();
            p.getOutputStream().close();
            return new Background(String.join(" ", args), p, err);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A halo process running in the background. */
    static final class Background implements AutoCloseable {
        private final String command;
        private final Process process;
        private final Path err;
        private final java.util.concurrent.BlockingQueue<String> lines = new java.util.concurrent.LinkedBlockingQueue<>();
        private final StringBuilder all = new StringBuilder();
        private final Thread reader;

        Background(String command, Process process, Path err) {
            this.command = command;
            this.process = process;
            this.err = err;
            reader = new Thread(() -> {
                try (java.io.BufferedReader r = new java.io.BufferedReader(new java.io.InputStreamReader(
                        process.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        synchronized (all) {
                            all.append(line).append('\n');
                        }
                        lines.add(line);
                    }
                } catch (IOException e) {
                    // the process ended
                }
            }, "halo-stdout");
            reader.setDaemon(true);
            reader.start();
        }

        /** The next line of stdout that contains {@code text} (earlier lines are passed over). */
        String awaitLine(String text) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
            while (System.nanoTime() < deadline) {
                String line = lines.poll(200, TimeUnit.MILLISECONDS);
                if (line != null && line.contains(text)) {
                    return line;
                }
                if (line == null && !reader.isAlive() && lines.isEmpty()) { // ended, and every line read
                    break;
                }
            }
            throw new AssertionError("halo " + command + " printed no line with '" + text + "'; stdout so far:\n"
                    + stdout() + "\nstderr:\n" + stderr());
        }

        String stdout() {
            synchronized (all) {
                return all.toString();
            }
        }

        String stderr() {
            try {
                return Files.readString(err);
            } catch (IOException e) {
                return "";
            }
        }

        boolean alive() {
            return process.isAlive();
        }

        /** Waits for the process to end on its own; its exit code. */
        int awaitExit() throws InterruptedException {
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("halo " + command + " did not end in " + TIMEOUT_SECONDS + " s");
            }
            return process.exitValue();
        }

        /** SIGTERM, then waits for the end; its exit code. */
        int stop() throws InterruptedException {
            process.toHandle().destroy(); // SIGTERM only: Process.destroy() would also close our end of its stdout
            return awaitExit();
        }

        @Override
        public void close() throws IOException {
            if (process.isAlive()) {
                process.destroyForcibly();
                try {
                    process.waitFor(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            Files.deleteIfExists(err);
        }
    }

    /** What a run printed, and how it ended. */
    record Result(String command, int exit, String out, String err) {

        /** Asserts success, with the command and its stderr in the message otherwise. */
        Result ok() {
            assertThat(exit).as("exit of 'halo %s'; stderr: %s", command, err).isZero();
            return this;
        }

        /** Asserts the exit code and that stderr is one line {@code halo: … [code]}. */
        Result fails(int expectedExit, String code) {
            failsWith(expectedExit);
            assertThat(err.strip()).endsWith("[" + code + "]");
            return this;
        }

        /** Asserts the exit code and that stderr is one line {@code halo: … [some code]}. */
        Result failsWith(int expectedExit) {
            assertThat(exit).as("exit of 'halo %s'; stdout: %s; stderr: %s", command, out, err).isEqualTo(expectedExit);
            assertThat(err.lines().toList()).as("stderr of 'halo %s'", command).hasSize(1);
            assertThat(err.strip()).startsWith("halo: ").matches("(?s).*\\[[a-z0-9_.]+\\]$");
            return this;
        }

        /** stdout as exactly one JSON document on one line. */
        JsonNode json() {
            assertThat(out.lines().toList()).as("stdout of 'halo %s' is one line", command).hasSize(1);
            try {
                return JSON.readTree(out);
            } catch (IOException e) {
                throw new AssertionError("stdout of 'halo " + command + "' is not JSON: " + out, e);
            }
        }
    }
}
