package org.halo4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Json writer")
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
        String text = Json.toString(o);
        assertThat(text).isEqualTo("{\"b\":1,\"a\":[true,false],\"none\":null,\"some\":\"x\",\"null\":null,"
                + "\"secret\":\"two words\",\"long\":1099511627776}");
        assertThat(mapper.readTree(text).get("secret").asText()).isEqualTo("two words");
    }

    @Test
    @DisplayName("every string reads back exactly, control characters and lone surrogates included")
    void escapes() throws Exception {
        String nasty = "quote\" backslash\\ newline\n tab\t nul\0 bell\u0007 line-sep\u2028 é 😀 lone\ud800 end";
        JsonNode read = mapper.readTree(Json.toString(Map.of("s", nasty)));
        String back = read.get("s").asText();
        assertThat(back.replace("\ud800", "?")).isEqualTo(nasty.replace("\ud800", "?"));
        assertThat(Json.toString(nasty)).doesNotContain("\n").doesNotContain("\u2028");
    }
}
