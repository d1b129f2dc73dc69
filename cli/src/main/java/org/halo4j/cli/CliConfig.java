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
import org.halo4j.io.KeyValueFile;

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
            for (KeyValueFile.Line line : KeyValueFile.read(file, MAGIC, MAX_BYTES)) {
                if (!KEYS.contains(line.key())) {
                    throw corrupt(file, "it holds a setting this version does not know");
                }
                values.put(line.key(), line.value());
            }
        } catch (KeyValueFile.MalformedException e) {
            throw corrupt(file, e.getMessage());
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
        List<KeyValueFile.Line> lines = new java.util.ArrayList<>();
        values.forEach((k, v) -> lines.add(new KeyValueFile.Line(k, v)));
        try {
            AtomicFileWriter.createPrivateDirectories(file.getParent());
            KeyValueFile.write(file, MAGIC, lines);
        } catch (IOException e) {
            throw new CliException("storage.io", "could not write " + file + ": " + e.getMessage(), ExitCode.STORAGE, e);
        }
    }

    private static CliException corrupt(Path file, String why) {
        return new CliException("storage.corrupt", file + " is not a halo config file: " + why, ExitCode.STORAGE);
    }
}
