package org.halo4j.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.halo4j.io.AtomicFileWriter;

/**
 * The wallet's settings ({@code HOME/config}): {@code key=value} lines after the magic line
 * {@value #MAGIC}. Only known keys are kept; {@code halo config set} checks each value.
 */
final class CliConfig {

    static final String MAGIC = "HALO-CONFIG 1";
    static final int MAX_BYTES = 64 * 1024;
    /** The node {@code halo sync} and invitations use when no {@code --node} is given. */
    static final String NODE = "node";
    static final List<String> KEYS = List.of(NODE);

    private final Path file;
    private final Map<String, String> values;

    private CliConfig(Path file, Map<String, String> values) {
        this.file = file;
        this.values = values;
    }

    static CliConfig read(Path home) throws CliException {
        Path file = home.resolve("config");
        Map<String, String> values = new TreeMap<>();
        if (!Files.exists(file)) {
            return new CliConfig(file, values);
        }
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw corrupt(file, "larger than " + MAX_BYTES + " bytes");
            }
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            if (lines.isEmpty() || !lines.get(0).equals(MAGIC)) {
                throw corrupt(file, "it does not start with '" + MAGIC + "'");
            }
            for (String line : lines.subList(1, lines.size())) {
                int eq = line.indexOf('=');
                if (eq < 0 || !KEYS.contains(line.substring(0, eq))) {
                    throw corrupt(file, "a line is not KEY=VALUE with a known KEY");
                }
                values.put(line.substring(0, eq), line.substring(eq + 1));
            }
        } catch (IOException e) {
            throw new CliException("storage.io", "could not read " + file + ": " + e.getMessage(), ExitCode.STORAGE, e);
        }
        return new CliConfig(file, values);
    }

    Optional<String> get(String key) {
        return Optional.ofNullable(values.get(key));
    }

    Map<String, String> all() {
        return Map.copyOf(values);
    }

    void set(String key, Optional<String> value) throws CliException {
        if (value.isPresent()) {
            values.put(key, value.get());
        } else {
            values.remove(key);
        }
        StringBuilder sb = new StringBuilder(MAGIC).append('\n');
        values.forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
        try {
            AtomicFileWriter.createPrivateDirectories(file.getParent());
            AtomicFileWriter.DEFAULT.write(file, sb.toString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new CliException("storage.io", "could not write " + file + ": " + e.getMessage(), ExitCode.STORAGE, e);
        }
    }

    private static CliException corrupt(Path file, String why) {
        return new CliException("storage.corrupt", file + " is not a halo config file: " + why, ExitCode.STORAGE);
    }
}
