package org.halo4j.internal.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("JsonWriter: 'any Java string gives valid JSON (RFC 8259), members in the order written'")
class JsonWriterTest {

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();


    @Nested
    @DisplayName("structure")
    class Structure {

        @Test
        @DisplayName("nested objects and arrays, commas only between members")
        void nesting() {
            String json = new JsonWriter().beginObject()
                    .name("a").value("1")
                    .stringArray("b", List.of())
                    .stringArray("c", List.of("x", "y"))
                    .name("d").beginArray().beginObject().endObject().beginArray().endArray().endArray()
                    .name("e").beginObject().name("f").value("g").endObject()
                    .endObject().toJson();
            assertEquals("{\"a\":\"1\",\"b\":[],\"c\":[\"x\",\"y\"],\"d\":[{},[]],\"e\":{\"f\":\"g\"}}", json);
        }

        @Test
        @DisplayName("deep nesting beyond the initial stack")
        void deep() throws Exception {
            JsonWriter w = new JsonWriter();
            for (int i = 0; i < 40; i++) {
                w.beginArray();
            }
            for (int i = 0; i < 40; i++) {
                w.endArray();
            }
            JsonNode n = JSON.readTree(w.toJson());
            int depth = 0;
            while (n.isArray() && n.size() > 0) {
                n = n.get(0);
                depth++;
            }
            assertEquals("[".repeat(40) + "]".repeat(40), w.toJson());
            assertEquals(39, depth, "39 arrays hold one element, the innermost is empty");
        }

        @Test
        @DisplayName("an unclosed or over-closed document is a programming error")
        void unbalanced() {
            assertThrows(IllegalStateException.class, () -> new JsonWriter().beginObject().toJson());
            assertThrows(IllegalStateException.class, () -> new JsonWriter().endArray());
        }
    }

    @Nested
    @DisplayName("strings")
    class Strings {

        @Test
        @DisplayName("quotes, backslashes, control characters, line separators and lone surrogates are escaped")
        void escaping() throws Exception {
            String nasty = "q\"b\\s/\n\r\t\b\f\u0000\u001f\u007f\u2028\u2029\u00e9\uD83D\uDE00\uD800x\uDC00";
            String json = new JsonWriter().beginArray().value(nasty).endArray().toJson();
            assertEquals("[\"q\\\"b\\\\s/\\n\\r\\t\\b\\f\\u0000\\u001f\u007f\\u2028\\u2029\u00e9\uD83D\uDE00\\ud800x\\udc00\"]", json);
            JsonNode parsed = JSON.readTree(json);
            assertEquals(nasty, parsed.get(0).asText());
        }
    }
}
