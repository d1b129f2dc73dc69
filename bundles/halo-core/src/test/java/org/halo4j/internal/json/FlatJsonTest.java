package org.halo4j.internal.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("FlatJson: strict, bounded reading of flat string objects")
class FlatJsonTest {

    @Test
    @DisplayName("what it writes, it reads back, control characters included")
    void roundTrip() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("a", "x\b\f\n\t\"\\\u0001é");
        m.put("b", "");
        assertThat(FlatJson.read(FlatJson.write(m))).isEqualTo(m);
    }

    @Test
    @DisplayName("a \\u escape takes exactly four hex digits: no sign, no short form")
    void unicodeEscape() {
        assertThat(FlatJson.read("{\"a\":\"\\u0041\"}")).containsEntry("a", "A");
        for (String bad : new String[] {"{\"a\":\"\\u+041\"}", "{\"a\":\"\\u-001\"}", "{\"a\":\"\\u41\"}", "{\"a\":\"\\u00g1\"}", "{\"a\":\"\\u00\u0663\u0663\"}"}) {
            assertThatThrownBy(() -> FlatJson.read(bad)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    @DisplayName("duplicate keys, trailing text, nesting and oversize are refused")
    void refusals() {
        for (String bad : new String[] {"{\"a\":\"1\",\"a\":\"2\"}", "{\"a\":\"1\"} x", "{\"a\":{}}", "{\"a\":1}",
                "{\"a\":\"" + "x".repeat(FlatJson.MAX_LENGTH) + "\"}"}) {
            assertThatThrownBy(() -> FlatJson.read(bad)).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
