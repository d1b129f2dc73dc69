package org.halo4j.internal.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Json: one writer and one strict flat reader, on Jackson's streaming core")
class JsonTest {

    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    @DisplayName("objects keep their order; Optional.empty and null are null; char[] is a string")
    void shapes() throws Exception {
        Map<String, Object> o = Json.object();
        o.put("b", 1);
        o.put("a", List.of(true, false));
        o.put("none", Optional.empty());
        o.put("some", Optional.of("x"));
        o.put("null", null);
        o.put("secret", "two words".toCharArray());
        o.put("long", 1L << 40);
        o.put("nested", Map.of("k", List.of()));
        String text = Json.write(o);
        assertThat(text).isEqualTo("{\"b\":1,\"a\":[true,false],\"none\":null,\"some\":\"x\",\"null\":null,"
                + "\"secret\":\"two words\",\"long\":1099511627776,\"nested\":{\"k\":[]}}");
        assertThat(mapper.readTree(text).get("secret").asText()).isEqualTo("two words");
    }

    @Test
    @DisplayName("any Java string is written as valid JSON that reads back exactly, lone surrogates escaped")
    void escapes() throws Exception {
        String nasty = "q\"b\\s/\n\r\t\b\f\u0000\u001f\u007f\u2028\u2029\u00e9\uD83D\uDE00\uD800x\uDC00";
        String json = Json.write(List.of(nasty));
        assertThat(json).doesNotContain("\n").doesNotContain("\u2028").doesNotContain("\uD800").containsIgnoringCase("\\ud800");
        assertThat(json.chars()).allMatch(c -> c >= 0x20 && c <= 0x7f);
        assertThat(mapper.readTree(json).get(0).asText()).isEqualTo(nasty);
    }

    @Test
    @DisplayName("deep nesting is written as given")
    void deep() {
        Object v = List.of();
        for (int i = 0; i < 39; i++) {
            v = List.of(v);
        }
        assertThat(Json.write(v)).isEqualTo("[".repeat(40) + "]".repeat(40));
    }

    @Test
    @DisplayName("writing to a caller's Writer leaves it open")
    void leavesTheStreamOpen() {
        StringWriter out = new StringWriter();
        Json.write(out, Map.of("a", "b"));
        out.write('\n');
        assertThat(out).hasToString("{\"a\":\"b\"}\n");
    }

    @Test
    @DisplayName("a flat object reads back what was written, control characters included, in document order")
    void flatRoundTrip() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("z", "x\b\f\n\t\"\\\u0001é");
        m.put("a", "");
        assertThat(Json.readFlat(Json.write(m))).containsExactlyEntriesOf(m);
        assertThat(new ArrayList<>(Json.readFlat(Json.write(m)).keySet())).containsExactly("z", "a");
    }

    @Test
    @DisplayName("a \\u escape takes exactly four hex digits: no sign, no short form, no other digits")
    void unicodeEscape() {
        assertThat(Json.readFlat("{\"a\":\"\\u0041\"}")).containsEntry("a", "A");
        for (String bad : new String[] {"{\"a\":\"\\u+041\"}", "{\"a\":\"\\u-001\"}", "{\"a\":\"\\u41\"}", "{\"a\":\"\\u00g1\"}",
                "{\"a\":\"\\u00\u0663\u0663\"}"}) {
            assertThatThrownBy(() -> Json.readFlat(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    @DisplayName("duplicate keys, trailing text, nesting, other value types and oversize are refused")
    void refusals() {
        for (String bad : new String[] {"{\"a\":\"1\",\"a\":\"2\"}", "{\"a\":\"1\"} x", "{\"a\":{}}", "{\"a\":1}", "[]", "",
                "{\"a\":\"1\"", "{\"a\":\"" + "x".repeat(Json.MAX_FLAT_LENGTH) + "\"}", null}) {
            assertThatThrownBy(() -> Json.readFlat(bad)).as(String.valueOf(bad)).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
