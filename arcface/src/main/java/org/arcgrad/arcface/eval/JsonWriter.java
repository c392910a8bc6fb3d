package org.arcgrad.arcface.eval;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * A small JSON writer (RFC 8259) for what metrics files hold: maps with string keys (written in
 * their iteration order, so a {@code LinkedHashMap} fixes the layout), lists and other iterables,
 * primitive arrays, numbers, strings, booleans, enums (by name) and null. Anything else is refused
 * with its path, rather than written as some {@code toString()}.
 *
 * <p>JSON has no NaN or Infinity. {@link #write(Object)} refuses them, naming the path;
 * {@link #writeNonFiniteAsNull} writes null in their place and reports each path, so that a caller
 * can say in the document itself what was replaced (a diverged run still gets its metrics file).
 *
 * <p>Layout: two-space indentation, one key per line; arrays whose elements are all scalars stay
 * on one line. Strings: {@code "} and {@code \} escaped, control characters as {@code \n}-style or
 * {@code \}{@code u00XX} escapes, U+2028/U+2029 and unpaired surrogates as {@code \}{@code uXXXX}
 * (so the text is valid UTF-8 and safe to embed in JavaScript); everything else as is.
 */
public final class JsonWriter {
    private static final int MAX_DEPTH = 64;

    private final StringBuilder out = new StringBuilder();
    private final List<String> replaced; // null: refuse non-finite numbers

    private JsonWriter(List<String> replaced) {
        this.replaced = replaced;
    }

    /** {@code value} as JSON text; NaN and infinities are refused. */
    public static String write(Object value) {
        JsonWriter w = new JsonWriter(null);
        w.value(value, "$", 0);
        return w.out.append('\n').toString();
    }

    /** {@code value} as JSON text, NaN and infinities written as null and their paths added to {@code replacedPaths}. */
    public static String writeNonFiniteAsNull(Object value, List<String> replacedPaths) {
        JsonWriter w = new JsonWriter(replacedPaths);
        w.value(value, "$", 0);
        return w.out.append('\n').toString();
    }

    /** The paths (as {@code $.history.loss[3]: NaN}) of the non-finite numbers in {@code value}. */
    public static List<String> nonFinitePaths(Object value) {
        List<String> paths = new ArrayList<>();
        writeNonFiniteAsNull(value, paths);
        return Collections.unmodifiableList(paths);
    }

    private void value(Object v, String path, int depth) {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException(path + ": nested deeper than " + MAX_DEPTH + " levels (a cycle?)");
        }
        if (v == null) {
            out.append("null");
        } else if (v instanceof CharSequence s) {
            string(s.toString());
        } else if (v instanceof Boolean b) {
            out.append(b);
        } else if (v instanceof Enum<?> e) {
            string(e.name());
        } else if (v instanceof Number n) {
            number(n, path);
        } else if (v instanceof Map<?, ?> m) {
            object(m, path, depth);
        } else if (v instanceof Iterable<?> it) {
            List<Object> items = new ArrayList<>();
            it.forEach(items::add);
            array(items, path, depth);
        } else if (v instanceof Object[] a) {
            array(Arrays.asList(a), path, depth);
        } else if (v instanceof double[] a) {
            array(Arrays.stream(a).boxed().toList(), path, depth);
        } else if (v instanceof float[] a) {
            List<Object> items = new ArrayList<>(a.length);
            for (float f : a) {
                items.add(f);
            }
            array(items, path, depth);
        } else if (v instanceof int[] a) {
            array(Arrays.stream(a).boxed().toList(), path, depth);
        } else if (v instanceof long[] a) {
            array(Arrays.stream(a).boxed().toList(), path, depth);
        } else if (v instanceof boolean[] a) {
            List<Object> items = new ArrayList<>(a.length);
            for (boolean b : a) {
                items.add(b);
            }
            array(items, path, depth);
        } else {
            throw new IllegalArgumentException(path + ": cannot write a " + v.getClass().getName() + " as JSON");
        }
    }

    private void number(Number n, String path) {
        if (n instanceof Double || n instanceof Float) {
            double d = n.doubleValue();
            if (!Double.isFinite(d)) {
                if (replaced == null) {
                    throw new IllegalArgumentException(path + ": " + d + " has no JSON form");
                }
                replaced.add(path + ": " + d);
                out.append("null");
                return;
            }
            // Float.toString is the shortest text that reads back as the same float.
            out.append(n instanceof Float f ? Float.toString(f) : Double.toString(d));
        } else if (n instanceof Integer || n instanceof Long || n instanceof Short || n instanceof Byte
                || n instanceof BigInteger) {
            out.append(n);
        } else if (n instanceof BigDecimal b) {
            out.append(b.toString());
        } else {
            throw new IllegalArgumentException(path + ": cannot write a " + n.getClass().getName() + " as a JSON number");
        }
    }

    private void object(Map<?, ?> map, String path, int depth) {
        if (map.isEmpty()) {
            out.append("{}");
            return;
        }
        out.append('{');
        boolean first = true;
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getKey() instanceof String key)) {
                throw new IllegalArgumentException(path + ": map key " + e.getKey() + " is not a string");
            }
            out.append(first ? "\n" : ",\n");
            first = false;
            indent(depth + 1);
            string(key);
            out.append(": ");
            value(e.getValue(), path + "." + key, depth + 1);
        }
        out.append('\n');
        indent(depth);
        out.append('}');
    }

    private void array(List<?> items, String path, int depth) {
        boolean flat = items.stream().noneMatch(JsonWriter::isContainer);
        out.append('[');
        for (int i = 0; i < items.size(); i++) {
            if (flat) {
                out.append(i == 0 ? "" : ", ");
            } else {
                out.append(i == 0 ? "\n" : ",\n");
                indent(depth + 1);
            }
            value(items.get(i), path + "[" + i + "]", depth + 1);
        }
        if (!flat && !items.isEmpty()) {
            out.append('\n');
            indent(depth);
        }
        out.append(']');
    }

    private static boolean isContainer(Object v) {
        return v instanceof Map || v instanceof Iterable || (v != null && v.getClass().isArray());
    }

    private void indent(int depth) {
        out.append("  ".repeat(depth));
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
                    boolean pairedHigh = Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
                    if (pairedHigh) {
                        out.append(c).append(s.charAt(++i));
                    } else if (c < 0x20 || c == '\u2028' || c == '\u2029' || Character.isSurrogate(c)) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
