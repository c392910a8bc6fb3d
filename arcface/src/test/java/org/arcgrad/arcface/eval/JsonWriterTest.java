package org.arcgrad.arcface.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonWriterTest {

    @Test
    void nestedValuesRoundTrip() {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("ints", new int[] {1, -2, 3});
        inner.put("doubles", new double[] {0.1, -1e-300, 1.7976931348623157E308, -0.0});
        inner.put("floats", new float[] {0.1f});
        inner.put("longs", new long[] {Long.MAX_VALUE});
        inner.put("flags", new boolean[] {true, false});
        inner.put("empty", new double[0]);
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("a", 1);
        doc.put("nested", inner);
        doc.put("list", List.of(Map.of("k", "v"), List.of(1, 2)));
        doc.put("nothing", null);
        doc.put("emptyMap", Map.of());
        doc.put("kind", Thread.State.NEW);

        Object back = MiniJson.parse(JsonWriter.write(doc));
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) back;
        assertEquals(List.copyOf(doc.keySet()), List.copyOf(m.keySet()), "key order kept");
        assertEquals(1.0, m.get("a"));
        @SuppressWarnings("unchecked")
        Map<String, Object> n = (Map<String, Object>) m.get("nested");
        assertEquals(List.of(1.0, -2.0, 3.0), n.get("ints"));
        assertEquals(List.of(0.1, -1e-300, 1.7976931348623157E308, -0.0), n.get("doubles"), "doubles read back exactly");
        assertEquals(0.1f, ((Double) ((List<?>) n.get("floats")).get(0)).floatValue());
        assertEquals(List.of(true, false), n.get("flags"));
        assertEquals(List.of(), n.get("empty"));
        assertEquals(List.of(Map.of("k", "v"), List.of(1.0, 2.0)), m.get("list"));
        assertTrue(m.containsKey("nothing") && m.get("nothing") == null);
        assertEquals(Map.of(), m.get("emptyMap"));
        assertEquals("NEW", m.get("kind"));
    }

    @Test
    void stringsAreEscaped() {
        String nasty = "quote \" backslash \\ slash / newline \n tab \t cr \r bell \u0007 nul \u0000 "
                + "del \u007f line-sep \u2028 é 日本 emoji \uD83D\uDE00 lone \uD800 end";
        Map<String, Object> doc = Map.of("key \"with\" \n", nasty);
        String json = JsonWriter.write(doc);
        assertTrue(json.contains("\\u0007") && json.contains("\\u0000") && json.contains("\\u2028") && json.contains("\\ud800"), json);
        assertTrue(json.contains("\uD83D\uDE00"), "a surrogate pair is written as the character itself");
        for (char c : json.toCharArray()) {
            assertTrue(c >= 0x20 || c == '\n', "raw control character " + (int) c + " in output");
        }
        assertEquals(doc, MiniJson.parse(json));
    }

    @Test
    void nonFiniteIsRefusedWithItsPath() {
        Map<String, Object> doc = Map.of("history", Map.of("loss", new double[] {1.0, Double.NaN}));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JsonWriter.write(doc));
        assertTrue(e.getMessage().contains("$.history.loss[1]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> JsonWriter.write(Double.POSITIVE_INFINITY));
        assertThrows(IllegalArgumentException.class, () -> JsonWriter.write(new float[] {Float.NEGATIVE_INFINITY}));
    }

    @Test
    void nonFiniteAsNullListsWhatItReplaced() {
        List<Object> values = Arrays.asList(1.0, Double.NaN, Float.POSITIVE_INFINITY);
        List<String> replaced = new ArrayList<>();
        String json = JsonWriter.writeNonFiniteAsNull(Map.of("v", values), replaced);
        assertEquals(Arrays.asList(1.0, null, null), ((Map<?, ?>) MiniJson.parse(json)).get("v"));
        assertEquals(List.of("$.v[1]: NaN", "$.v[2]: Infinity"), replaced);
    }

    @Test
    void refusesWhatJsonCannotHoldFaithfully() {
        assertThrows(IllegalArgumentException.class, () -> JsonWriter.write(Map.of(1, "non-string key")));
        assertThrows(IllegalArgumentException.class, () -> JsonWriter.write(Map.of("x", new Object())));
        List<Object> cycle = new ArrayList<>();
        cycle.add(cycle);
        assertThrows(IllegalArgumentException.class, () -> JsonWriter.write(cycle));
    }

    @Test
    void scalarArraysStayOnOneLine() {
        assertEquals("{\n  \"a\": [1, 2],\n  \"b\": {\n    \"c\": true\n  }\n}\n",
                JsonWriter.write(ordered("a", new int[] {1, 2}, "b", Map.of("c", true))));
    }

    private static Map<String, Object> ordered(String k1, Object v1, String k2, Object v2) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(k1, v1);
        m.put(k2, v2);
        return m;
    }
}
