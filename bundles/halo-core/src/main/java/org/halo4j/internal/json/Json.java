package org.halo4j.internal.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * halo4j's one way to write and read JSON, on Jackson's streaming core. Writes maps (in their iteration order),
 * collections, strings, {@code char[]} (written without ever becoming a {@link String}, so a secret can be printed
 * and then wiped), numbers, booleans, {@code null} and {@link Optional} (empty is {@code null}) as one line.
 * Every character past ASCII is written as a {@code \\u} escape (surrogates one by one), so the text is ASCII,
 * reads the same in any encoding, and a lone surrogate cannot make it invalid. Reads one kind of untrusted document:
 * a flat object of string values, strictly (duplicate keys, other value types, trailing text refused) and
 * bounded in size and depth before any work.
 */
public final class Json {

    /** Longest flat document {@link #readFlat} accepts. */
    public static final int MAX_FLAT_LENGTH = 8 * 1024;

    /** Made on first use: a command that prints text never loads Jackson. */
    private static final class Factory {
        static final JsonFactory FACTORY = new JsonFactoryBuilder()
                .enable(JsonWriteFeature.ESCAPE_NON_ASCII) // every character past ASCII, surrogates one by one
                .recyclerPool(JsonRecyclerPools.nonRecyclingPool()) // no buffer outlives the call that wrote a secret
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxDocumentLength(MAX_FLAT_LENGTH).maxStringLength(MAX_FLAT_LENGTH).maxNestingDepth(2).build())
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .disable(StreamWriteFeature.AUTO_CLOSE_TARGET) // the caller's stream stays open
                .build();
    }

    private Json() {
    }

    /** A map that keeps the order its entries are put in, for building objects. */
    public static Map<String, Object> object() {
        return new LinkedHashMap<>();
    }

    /** {@code value} as one line of JSON. */
    public static String write(Object value) {
        StringBuilder sb = new StringBuilder(128);
        write(sb, value);
        return sb.toString();
    }

    /** Writes {@code value} as one line of JSON to {@code out}. */
    public static void write(Appendable out, Object value) {
        try (JsonGenerator g = Factory.FACTORY.createGenerator(out instanceof Writer w ? w : new AppendableWriter(out))) {
            value(g, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void value(JsonGenerator g, Object value) throws IOException {
        if (value instanceof Optional<?> o) {
            value = o.orElse(null);
        }
        if (value == null) {
            g.writeNull();
        } else if (value instanceof CharSequence s) {
            g.writeString(s.toString());
        } else if (value instanceof char[] chars) {
            g.writeString(chars, 0, chars.length);
        } else if (value instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            g.writeNumber(((Number) value).intValue());
        } else if (value instanceof Long l) {
            g.writeNumber(l);
        } else if (value instanceof Map<?, ?> m) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                g.writeFieldName(String.valueOf(e.getKey()));
                value(g, e.getValue());
            }
            g.writeEndObject();
        } else if (value instanceof Collection<?> c) {
            g.writeStartArray();
            for (Object item : c) {
                value(g, item);
            }
            g.writeEndArray();
        } else {
            throw new IllegalArgumentException("no JSON form for " + value.getClass().getName());
        }
    }

    /**
     * Reads a flat object whose values are all strings, in document order.
     *
     * @throws IllegalArgumentException if the text is not such an object, repeats a key, has text after it, or is
     *                                  longer than {@link #MAX_FLAT_LENGTH}
     */
    public static Map<String, String> readFlat(String json) {
        if (json == null || json.length() > MAX_FLAT_LENGTH) {
            throw new IllegalArgumentException("expected a JSON object of at most " + MAX_FLAT_LENGTH + " characters");
        }
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if ((c < 0x20 || c > 0x7f) && c != '\t' && c != '\n' && c != '\r') {
                // halo4j's flat documents are ASCII (anything else travels escaped); this also keeps a
                // non-ASCII digit from being read as a hex digit of an escape, as jackson-core 2.20 does
                throw new IllegalArgumentException("character " + i + " of the JSON text is not ASCII");
            }
        }
        Map<String, String> out = new LinkedHashMap<>();
        try (JsonParser p = Factory.FACTORY.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("expected a JSON object");
            }
            for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
                String key = p.currentName();
                if (p.nextToken() != JsonToken.VALUE_STRING) {
                    throw new IllegalArgumentException("the value of '" + key + "' is not a string");
                }
                out.put(key, p.getText());
            }
            if (p.nextToken() != null) {
                throw new IllegalArgumentException("text after the JSON object");
            }
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a flat JSON object of strings: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** Jackson writes to a {@link Writer}; this one forwards to any {@link Appendable}. */
    private static final class AppendableWriter extends Writer {
        private final Appendable out;

        AppendableWriter(Appendable out) {
            this.out = out;
        }

        @Override
        public void write(char[] buf, int off, int len) throws IOException {
            for (int i = 0; i < len; i++) {
                out.append(buf[off + i]);
            }
        }

        @Override
        public void flush() throws IOException {
            if (out instanceof java.io.Flushable f) {
                f.flush();
            }
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
