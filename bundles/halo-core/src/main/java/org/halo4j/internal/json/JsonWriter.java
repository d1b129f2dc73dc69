package org.halo4j.internal.json;

import java.util.Arrays;

/**
 * A minimal JSON (RFC 8259) writer for the documents halo-core produces: objects, arrays and strings, written
 * in the order they are given, compact. Strings are escaped so that any Java string gives valid JSON. No JSON
 * library is needed at runtime, so halo-core keeps its small set of OSGi imports.
 */
public final class JsonWriter {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final StringBuilder out = new StringBuilder(256);
    /** One entry per open container: true until its first member is written. */
    private boolean[] first = new boolean[8];
    private int depth;
    private boolean afterName;

    public JsonWriter beginObject() {
        return open('{');
    }

    public JsonWriter endObject() {
        return close('}');
    }

    public JsonWriter beginArray() {
        return open('[');
    }

    public JsonWriter endArray() {
        return close(']');
    }

    /** Writes a member name; the next value belongs to it. */
    public JsonWriter name(String name) {
        separate();
        string(name);
        out.append(':');
        afterName = true;
        return this;
    }

    public JsonWriter value(String value) {
        separate();
        string(value);
        return this;
    }

    /** Writes a JSON boolean. */
    public JsonWriter value(boolean value) {
        separate();
        out.append(value);
        return this;
    }

    /** Writes {@code name} with an array of string values. */
    public JsonWriter stringArray(String name, Iterable<String> values) {
        name(name).beginArray();
        for (String v : values) {
            value(v);
        }
        return endArray();
    }

    /** The document written so far; every container must be closed. */
    public String toJson() {
        if (depth != 0) {
            throw new IllegalStateException("JSON has " + depth + " unclosed containers");
        }
        return out.toString();
    }

    private JsonWriter open(char c) {
        separate();
        out.append(c);
        if (depth == first.length) {
            first = Arrays.copyOf(first, depth * 2);
        }
        first[depth++] = true;
        return this;
    }

    private JsonWriter close(char c) {
        if (depth == 0) {
            throw new IllegalStateException("no open JSON container to close");
        }
        depth--;
        out.append(c);
        return this;
    }

    private void separate() {
        if (afterName) {
            afterName = false;
            return;
        }
        if (depth > 0) {
            if (!first[depth - 1]) {
                out.append(',');
            }
            first[depth - 1] = false;
        }
    }

    private void string(String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20 || c == '\u2028' || c == '\u2029' || Character.isSurrogate(c) && !wellFormedPair(s, i)) {
                        unicodeEscape(c);
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    /** True if the surrogate at {@code i} is part of a proper pair (high then low). */
    private static boolean wellFormedPair(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
        }
        return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }

    private void unicodeEscape(char c) {
        out.append("\\u").append(HEX[(c >> 12) & 0xf]).append(HEX[(c >> 8) & 0xf]).append(HEX[(c >> 4) & 0xf]).append(HEX[c & 0xf]);
    }
}
