package org.halo4j.keys;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HexFormat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Reads the published test vectors copied into {@code src/test/resources/vectors/}. */
final class Vectors {

    static final ObjectMapper JSON = new ObjectMapper();

    private Vectors() {
    }

    static JsonNode read(String name) {
        try (InputStream in = Vectors.class.getResourceAsStream("/vectors/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing test vector file " + name);
            }
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] hex(String s) {
        return HexFormat.of().parseHex(s);
    }

    static byte[] hex(JsonNode n) {
        return hex(n.asText());
    }

    static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }
}
