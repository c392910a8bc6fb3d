package org.arcgrad.arcface.npy;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses the small subset of Python literal syntax an NPY header is written in: a dict of string
 * keys whose values are strings, True/False/None, integers, and tuples or lists of those. numpy
 * evaluates the header with {@code ast.literal_eval}; this is the same grammar cut down to what a
 * header can hold, so that a hand-made or damaged header fails with a position instead of a guess.
 *
 * <p>Values come back as {@link String}, {@link Boolean}, {@link BigInteger} (dimensions may be
 * larger than any Java integer, and we want to say so rather than overflow), {@link #NONE},
 * {@link List} for tuples and lists, and {@link Map} for dicts.
 */
final class PythonLiteral {
    /** Python's None (a distinct object, so that a missing value and None differ). */
    static final Object NONE = new Object() {
        @Override
        public String toString() {
            return "None";
        }
    };

    /** A syntax error at a character position of the parsed text. */
    static final class SyntaxError extends Exception {
        SyntaxError(String message) {
            super(message);
        }
    }

    private final String text;
    private int pos;

    private PythonLiteral(String text) {
        this.text = text;
    }

    /** The one value {@code text} holds; surrounding whitespace is allowed, anything else after it is not. */
    static Object parse(String text) throws SyntaxError {
        PythonLiteral p = new PythonLiteral(text);
        p.skipSpace();
        Object value = p.value();
        p.skipSpace();
        if (p.pos != text.length()) {
            throw p.error("unexpected text after the literal");
        }
        return value;
    }

    private Object value() throws SyntaxError {
        if (pos >= text.length()) {
            throw error("expected a value, found the end of the header");
        }
        char c = text.charAt(pos);
        if (c == '{') {
            return dict();
        }
        if (c == '(') {
            return sequence('(', ')');
        }
        if (c == '[') {
            return sequence('[', ']');
        }
        if (c == '\'' || c == '"') {
            return string();
        }
        if (c == '-' || c == '+' || Character.isDigit(c)) {
            return integer();
        }
        if (Character.isLetter(c)) {
            return keyword();
        }
        throw error("unexpected character '" + printable(c) + "'");
    }

    private Map<String, Object> dict() throws SyntaxError {
        Map<String, Object> map = new LinkedHashMap<>();
        pos++; // '{'
        skipSpace();
        while (!tryConsume('}')) {
            int keyAt = pos;
            Object key = value();
            if (!(key instanceof String k)) {
                pos = keyAt;
                throw error("dict keys must be strings");
            }
            skipSpace();
            expect(':');
            skipSpace();
            if (map.containsKey(k)) {
                pos = keyAt;
                throw error("key '" + k + "' appears twice");
            }
            map.put(k, value());
            skipSpace();
            if (!tryConsume(',')) {
                skipSpace();
                expect('}');
                break;
            }
            skipSpace();
        }
        return map;
    }

    private List<Object> sequence(char open, char close) throws SyntaxError {
        List<Object> items = new ArrayList<>();
        pos++; // open
        skipSpace();
        while (!tryConsume(close)) {
            items.add(value());
            skipSpace();
            if (!tryConsume(',')) {
                skipSpace();
                expect(close);
                break;
            }
            skipSpace();
        }
        return items;
    }

    private String string() throws SyntaxError {
        char quote = text.charAt(pos++);
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (pos >= text.length()) {
                throw error("string is not closed");
            }
            char c = text.charAt(pos++);
            if (c == quote) {
                return sb.toString();
            }
            if (c == '\\') {
                if (pos >= text.length()) {
                    throw error("string is not closed");
                }
                c = text.charAt(pos++); // \\ \' \" keep the character; dtype strings need nothing more
            }
            sb.append(c);
        }
    }

    private BigInteger integer() throws SyntaxError {
        int start = pos;
        if (text.charAt(pos) == '-' || text.charAt(pos) == '+') {
            pos++;
        }
        int digits = pos;
        while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
            pos++;
        }
        if (pos == digits) {
            throw error("expected digits");
        }
        BigInteger value = new BigInteger(text.substring(start, pos));
        // Python 2 wrote long dimensions as 3L; numpy still strips the suffix, so we accept it.
        if (pos < text.length() && (text.charAt(pos) == 'L' || text.charAt(pos) == 'l')) {
            pos++;
        }
        if (pos < text.length() && (text.charAt(pos) == '.' || Character.isLetterOrDigit(text.charAt(pos)))) {
            throw error("expected an integer");
        }
        return value;
    }

    private Object keyword() throws SyntaxError {
        int start = pos;
        while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_')) {
            pos++;
        }
        String word = text.substring(start, pos);
        switch (word) {
            case "True":
                return Boolean.TRUE;
            case "False":
                return Boolean.FALSE;
            case "None":
                return NONE;
            default:
                pos = start;
                throw error("unknown name '" + word + "' (only True, False and None are literals)");
        }
    }

    private void skipSpace() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }

    private boolean tryConsume(char c) {
        if (pos < text.length() && text.charAt(pos) == c) {
            pos++;
            return true;
        }
        return false;
    }

    private void expect(char c) throws SyntaxError {
        if (!tryConsume(c)) {
            throw error(pos >= text.length() ? "expected '" + c + "', found the end of the header"
                    : "expected '" + c + "', found '" + printable(text.charAt(pos)) + "'");
        }
    }

    private SyntaxError error(String what) {
        return new SyntaxError(what + " at character " + pos);
    }

    private static String printable(char c) {
        return c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\u%04x", (int) c);
    }
}
