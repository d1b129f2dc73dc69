package org.halo4j.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * halo4j's small text files (an identity's metadata, a hosted invitation, the wallet's settings): a magic line
 * that names the kind and its format version, then {@code key=value} lines, in order, keys possibly repeated.
 * Values never hold a line break (callers encode what could). Read with a size bound before anything is parsed;
 * written with {@link AtomicFileWriter}.
 */
public final class KeyValueFile {

    /** One {@code key=value} line. */
    public record Line(String key, String value) {
    }

    /** The file is not of the kind its reader expects; the message says why, never quoting a value. */
    public static final class MalformedException extends Exception {
        private static final long serialVersionUID = 1L;

        MalformedException(String why) {
            super(why);
        }
    }

    private KeyValueFile() {
    }

    /**
     * The lines of {@code file} after its magic line.
     *
     * @throws MalformedException if it is larger than {@code maxBytes}, does not start with {@code magic}, or has a
     *                            line without {@code =}
     */
    public static List<Line> read(Path file, String magic, int maxBytes) throws IOException, MalformedException {
        if (Files.size(file) > maxBytes) {
            throw new MalformedException("larger than " + maxBytes + " bytes");
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.isEmpty() || !lines.get(0).equals(magic)) {
            throw new MalformedException("it does not start with '" + magic + "'");
        }
        List<Line> out = new ArrayList<>(lines.size() - 1);
        for (String line : lines.subList(1, lines.size())) {
            int eq = line.indexOf('=');
            if (eq <= 0) {
                throw new MalformedException("a line is not KEY=VALUE");
            }
            out.add(new Line(line.substring(0, eq), line.substring(eq + 1)));
        }
        return out;
    }

    /** The bytes of a file with {@code magic} and {@code lines}. */
    public static byte[] encode(String magic, List<Line> lines) {
        StringBuilder sb = new StringBuilder(magic).append('\n');
        for (Line l : lines) {
            if (l.key().isEmpty() || l.key().indexOf('=') >= 0 || (l.key() + l.value()).indexOf('\n') >= 0) {
                throw new IllegalArgumentException("a key is not empty and has no '=', and no line breaks anywhere");
            }
            sb.append(l.key()).append('=').append(l.value()).append('\n');
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Writes {@code magic} and {@code lines} to {@code file} atomically and durably (mode 0600). */
    public static void write(Path file, String magic, List<Line> lines) throws IOException {
        AtomicFileWriter.DEFAULT.write(file, encode(magic, lines));
    }
}
