package org.arcgrad.arcface.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

    /** JSON text as plain Java values (LinkedHashMap, ArrayList, Integer/Long/Double, String, Boolean, null), read by stock Jackson. */
    static Object read(String text) {
        try {
            return new ObjectMapper().readValue(text, Object.class);
        } catch (JsonProcessingException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    @Test
    void nestedValuesRoundTripInOrder() {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("ints", new int[] {1, -2, 3});
        inner.put("doubles", new double[] {0.1, -1e-300, 1.7976931348623157E308, -0.0});
        inner.put("floats", new float[] {0.1f});
        inner.put("longs", new long[] {Long.MAX_VALUE});
        inner.put("flags", new boolean[] {true, false});
        inner.put("empty", new double[0]);
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("z", 1);
        doc.put("nested", inner);
        doc.put("list", List.of(Map.of("k", "v"), List.of(1, 2)));
        doc.put("nothing", null);
        doc.put("emptyMap", Map.of());
        doc.put("kind", Thread.State.NEW);
        doc.put("text", "quote \" backslash \\ newline \n bell \u0007 nul \u0000 é 日本 \uD83D\uDE00");

        String json = Json.text(doc);
        for (char c : json.toCharArray()) {
            assertTrue(c >= 0x20 || c == '\n', "raw control character " + (int) c + " in output");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) read(json);
        assertEquals(List.copyOf(doc.keySet()), List.copyOf(m.keySet()), "key order kept, not sorted");
        @SuppressWarnings("unchecked")
        Map<String, Object> n = (Map<String, Object>) m.get("nested");
        assertEquals(List.of(1, -2, 3), n.get("ints"));
        assertEquals(List.of(0.1, -1e-300, 1.7976931348623157E308, -0.0), n.get("doubles"), "doubles read back exactly");
        assertEquals(0.1f, ((Double) ((List<?>) n.get("floats")).get(0)).floatValue());
        assertEquals(List.of(Long.MAX_VALUE), n.get("longs"));
        assertEquals(List.of(true, false), n.get("flags"));
        assertEquals(List.of(), n.get("empty"));
        assertEquals(List.of(Map.of("k", "v"), List.of(1, 2)), m.get("list"));
        assertTrue(m.containsKey("nothing") && m.get("nothing") == null);
        assertEquals(Map.of(), m.get("emptyMap"));
        assertEquals("NEW", m.get("kind"));
        assertEquals(doc.get("text"), m.get("text"), "escaping survives the round trip");
    }

    @Test
    void layoutIsTwoSpacesWithScalarArraysOnOneLine() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("b", new int[] {1, 2});
        doc.put("a", Map.of("c", true));
        doc.put("e", List.of());
        doc.put("f", Map.of());
        assertEquals("{\n  \"b\": [1, 2],\n  \"a\": {\n    \"c\": true\n  },\n  \"e\": [],\n  \"f\": {}\n}\n", Json.text(doc));
    }

    @Test
    void nonFiniteIsRefusedWithItsPath() {
        Map<String, Object> doc = Map.of("history", Map.of("loss", new double[] {1.0, Double.NaN}));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.text(doc));
        assertTrue(e.getMessage().contains("$.history.loss[1]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Json.text(Double.POSITIVE_INFINITY));
        assertThrows(IllegalArgumentException.class, () -> Json.text(new float[] {Float.NEGATIVE_INFINITY}));
    }

    @Test
    void nonFiniteAsNullListsWhatItReplacedInDocumentOrder() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("v", Arrays.asList(1.0, Double.NaN, Float.POSITIVE_INFINITY));
        doc.put("w", Map.of("x", Double.NEGATIVE_INFINITY));
        doc.put("u", 2.5);
        JsonNode tree = Json.tree(doc);
        assertEquals(List.of("$.v[1]: NaN", "$.v[2]: Infinity", "$.w.x: -Infinity"), Json.nullNonFinite(tree));
        @SuppressWarnings("unchecked")
        Map<String, Object> back = (Map<String, Object>) read(Json.text(tree));
        assertEquals(Arrays.asList(1.0, null, null), back.get("v"));
        assertEquals(Arrays.asList((Object) null), new ArrayList<>(((Map<?, ?>) back.get("w")).values()));
        assertEquals(2.5, back.get("u"));
        assertEquals(List.of(), Json.nullNonFinite(tree), "nothing left to replace");
    }

    @Test
    void refusesWhatItCannotWrite() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.text(Map.of("x", new Object())));
        assertTrue(e.getMessage().contains("java.lang.Object"), e.getMessage());
    }

    @Test
    void parseReadsTextAndNamesBadText() {
        assertEquals(3, Json.parse("{\"a\": [1, 2, 3]}").get("a").size());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"a\": [1, 2"));
        assertTrue(e.getMessage().startsWith("not JSON"), e.getMessage());
    }
}
