package org.halo4j.internal.json;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes and reads a flat JSON object whose values are all strings: enough for serialized ceremony state
 * (a login challenge) without a JSON library in the bundle. The reader is strict and bounded.
 */
public final class FlatJson {

    /** Longest document the reader accepts. */
    public static final int MAX_LENGTH = 8 * 1024;

    private FlatJson() {
    }

    /** {@code {"k":"v",...}} in the map's order. */
    public static String write(Map<String, String> fields) {
        JsonWriter w = new JsonWriter().beginObject();
        fields.forEach((k, v) -> w.name(k).value(v));
        return w.endObject().toJson();
    }

    /**
     * Reads a flat object of string values.
     *
     * @throws IllegalArgumentException if the text is not such an object, repeats a key or is too long
     */
    public static Map<String, String> read(String json) {
        if (json == null || json.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("expected a JSON object of at most " + MAX_LENGTH + " characters");
        }
        Reader r = new Reader(json);
        Map<String, String> out = new LinkedHashMap<>();
        r.skipWs();
        r.expect('{');
        r.skipWs();
        if (r.peek() == '}') {
            r.pos++;
        } else {
            while (true) {
                r.skipWs();
                String k = r.string();
                r.skipWs();
                r.expect(':');
                r.skipWs();
                String v = r.string();
                if (out.put(k, v) != null) {
                    throw new IllegalArgumentException("JSON key '" + k + "' appears twice");
                }
                r.skipWs();
                char c = r.next();
                if (c == '}') {
                    break;
                }
                if (c != ',') {
                    throw new IllegalArgumentException("expected ',' or '}' at " + (r.pos - 1));
                }
            }
        }
        r.skipWs();
        if (r.pos != json.length()) {
            throw new IllegalArgumentException("unexpected text after the JSON object at " + r.pos);
        }
        return out;
    }

    private static final class Reader {
        private final String s;
        private int pos;

        Reader(String s) {
            this.s = s;
        }

        char peek() {
            if (pos >= s.length()) {
                throw new IllegalArgumentException("JSON ends early");
            }
            return s.charAt(pos);
        }

        char next() {
            char c = peek();
            pos++;
            return c;
        }

        void expect(char c) {
            if (next() != c) {
                throw new IllegalArgumentException("expected '" + c + "' at " + (pos - 1));
            }
        }

        void skipWs() {
            while (pos < s.length() && " \t\r\n".indexOf(s.charAt(pos)) >= 0) {
                pos++;
            }
        }

        String string() {
            expect('"');
            StringBuilder sb = new StringBuilder();
            while (true) {
                char c = next();
                if (c == '"') {
                    return sb.toString();
                }
                if (c < 0x20) {
                    throw new IllegalArgumentException("control character in a JSON string at " + (pos - 1));
                }
                if (c != '\\') {
                    sb.append(c);
                    continue;
                }
                char e = next();
                switch (e) {
                    case '"', '\\', '/' -> sb.append(e);
                    case 'n' -> sb.append('\n');
                    case 'r' -> sb.append('\r');
                    case 't' -> sb.append('\t');
                    case 'b' -> sb.append('\b');
                    case 'f' -> sb.append('\f');
                    case 'u' -> {
                        int code = 0;
                        for (int k = 0; k < 4; k++) {
                            char h = next();
                            int digit = h < 128 ? Character.digit(h, 16) : -1; // ASCII hex only
                            if (digit < 0) {
                                throw new IllegalArgumentException("a \\u escape needs four hex digits, at " + (pos - 1));
                            }
                            code = code * 16 + digit;
                        }
                        sb.append((char) code);
                    }
                    default -> throw new IllegalArgumentException("bad escape '\\" + e + "' at " + (pos - 1));
                }
            }
        }
    }
}
