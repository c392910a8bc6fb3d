package org.arcgrad.arcface.eval;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * JSON through Jackson, in the layout our files use: maps keep their iteration order (a
 * {@code LinkedHashMap} fixes the layout), two-space indentation with one key per line, arrays
 * on one line ({@code [1, 2]}), a newline at the end.
 *
 * <p>JSON has no NaN or Infinity, and Jackson's own choice (writing them as strings) would hand a
 * reader a string where it expects a number. {@link #nullNonFinite} replaces them by null and
 * returns their paths, so that a document can say in itself what was replaced (a diverged run
 * still gets its metrics file); {@link #text} refuses a tree that still holds one.
 */
public final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static final ObjectWriter WRITER = MAPPER.writer(new DefaultPrettyPrinter(Separators.createDefaultInstance()
                    .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                    .withArrayValueSpacing(Separators.Spacing.AFTER)
                    .withObjectEmptySeparator("")
                    .withArrayEmptySeparator(""))
            .withObjectIndenter(new DefaultIndenter("  ", "\n"))
            .withArrayIndenter(DefaultPrettyPrinter.NopIndenter.instance));

    private Json() {
    }

    /** {@code value} (maps, lists, arrays, numbers, strings, booleans, enums, null) as a tree. */
    public static JsonNode tree(Object value) {
        return MAPPER.valueToTree(value);
    }

    /**
     * Replaces every NaN and infinity in {@code tree} by null, returning their paths in document
     * order, as {@code $.history.loss[3]: NaN}.
     */
    public static List<String> nullNonFinite(JsonNode tree) {
        List<String> paths = new ArrayList<>();
        scan(tree, "$", paths, true);
        return paths;
    }

    /** Adds the paths of the NaNs and infinities below {@code node}; with {@code replace}, sets them to null there. */
    private static void scan(JsonNode node, String path, List<String> paths, boolean replace) {
        if (node instanceof ObjectNode object) {
            for (Map.Entry<String, JsonNode> e : object.properties()) {
                if (visit(e.getValue(), path + "." + e.getKey(), paths, replace)) {
                    e.setValue(object.nullNode());
                }
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                if (visit(array.get(i), path + "[" + i + "]", paths, replace)) {
                    array.set(i, array.nullNode());
                }
            }
        }
    }

    /** Records {@code node} when it is non-finite (true: the caller replaces it), else scans below it. */
    private static boolean visit(JsonNode node, String path, List<String> paths, boolean replace) {
        if (node.isFloatingPointNumber() && !Double.isFinite(node.doubleValue())) {
            paths.add(path + ": " + node.doubleValue());
            return replace;
        }
        scan(node, path, paths, replace);
        return false;
    }

    /** The tree as text in our layout; a NaN or infinity still in it is refused with its path. */
    public static String text(JsonNode tree) {
        List<String> nonFinite = new ArrayList<>();
        visit(tree, "$", nonFinite, false);
        if (!nonFinite.isEmpty()) {
            throw new IllegalArgumentException(nonFinite.get(0) + " has no JSON form");
        }
        try {
            return WRITER.writeValueAsString(tree) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** {@code value} as text in our layout; a NaN or infinity in it is refused with its path. */
    public static String text(Object value) {
        return text(tree(value));
    }

    /** Parses JSON text into a tree (numbers as Jackson reads them, key order kept). */
    public static JsonNode parse(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
        }
    }
}
