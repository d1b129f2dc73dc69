package org.halo4j.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A small JSON writer for {@code --json} output: maps (in insertion order), collections, strings, numbers,
 * booleans, {@code null} and {@link Optional} (empty is {@code null}). A {@code char[]} is written as a string
 * without ever becoming a {@link String}, so a recovery phrase can be printed and then wiped. One document per
 * line, as JSON Lines wants.
 */
public final class Json {

    private Json() {
    }

    /** A map that keeps the order its entries are put in, for building objects. */
    public static Map<String, Object> object() {
        return new LinkedHashMap<>();
    }

    /** {@code value} as one line of JSON. */
    public static String toString(Object value) {
        StringBuilder sb = new StringBuilder();
        write(sb, value);
        return sb.toString();
    }

    /** Writes {@code value} as JSON to {@code out}. */
    public static void write(Appendable out, Object value) {
        try {
            writeValue(out, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeValue(Appendable out, Object value) throws IOException {
        if (value instanceof Optional<?> o) {
            value = o.orElse(null);
        }
        if (value == null) {
            out.append("null");
        } else if (value instanceof CharSequence s) {
            writeString(out, s);
        } else if (value instanceof char[] chars) {
            writeString(out, java.nio.CharBuffer.wrap(chars));
        } else if (value instanceof Boolean b) {
            out.append(b ? "true" : "false");
        } else if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            out.append(value.toString());
        } else if (value instanceof Map<?, ?> m) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                writeString(out, String.valueOf(e.getKey()));
                out.append(':');
                writeValue(out, e.getValue());
            }
            out.append('}');
        } else if (value instanceof Collection<?> c) {
            out.append('[');
            boolean first = true;
            for (Object item : c) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                writeValue(out, item);
            }
            out.append(']');
        } else {
            throw new IllegalArgumentException("no JSON form for " + value.getClass().getName());
        }
    }

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private static void writeString(Appendable out, CharSequence s) throws IOException {
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
                    if (c < 0x20 || c == 0x2028 || c == 0x2029 || Character.isSurrogate(c) && !validSurrogate(s, i)) {
                        out.append("\\u").append(HEX[c >> 12 & 0xf]).append(HEX[c >> 8 & 0xf])
                                .append(HEX[c >> 4 & 0xf]).append(HEX[c & 0xf]);
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    /** True if the surrogate at {@code i} is half of a well-formed pair; a lone one is escaped. */
    private static boolean validSurrogate(CharSequence s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
        }
        return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }
}
