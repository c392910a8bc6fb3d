package org.arcgrad.arcface.npy;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the text of an NPY header (a Python dict literal with the keys descr, fortran_order and
 * shape) into an {@link NpyHeader}, refusing with a message that names the file whatever we do not
 * read: other dtypes, big-endian data, Fortran order, odd shapes, extra or missing keys.
 */
final class NpyHeaderParser {
    private static final Set<String> KEYS = Set.of("descr", "fortran_order", "shape");
    /** A simple dtype string: optional byte order, kind letter, item size; e.g. "<f4", "|b1", "<M8[ns]". */
    private static final Pattern DESCR = Pattern.compile("([<>|=]?)([A-Za-z])(\\d*)(.*)");

    private NpyHeaderParser() {
    }

    static NpyHeader parse(String source, int major, int minor, String headerText) throws NpyFormatException {
        Object literal;
        try {
            literal = PythonLiteral.parse(headerText);
        } catch (PythonLiteral.SyntaxError e) {
            throw new NpyFormatException(source, "header is not a Python dict literal (" + e.getMessage() + "): "
                    + quoteHeader(headerText));
        }
        if (!(literal instanceof Map<?, ?> dict)) {
            throw new NpyFormatException(source, "header is not a dict: " + quoteHeader(headerText));
        }
        checkKeys(source, dict.keySet());
        NpyDType dtype = dtype(source, dict.get("descr"));
        Object fortran = dict.get("fortran_order");
        if (!(fortran instanceof Boolean isFortran)) {
            throw new NpyFormatException(source, "header's fortran_order is " + describe(fortran) + ", expected True or False");
        }
        int[] shape = shape(source, dict.get("shape"), dtype);
        if (isFortran) {
            throw new NpyFormatException(source, "array is stored in Fortran (column-major) order, only C order is"
                    + " supported; save it with np.save(path, np.ascontiguousarray(a))");
        }
        return new NpyHeader(major, minor, dtype, shape);
    }

    private static void checkKeys(String source, Set<?> found) throws NpyFormatException {
        Set<String> missing = new TreeSet<>(KEYS);
        missing.removeAll(found);
        Set<String> extra = new TreeSet<>();
        for (Object k : found) {
            if (!KEYS.contains(k)) {
                extra.add(String.valueOf(k));
            }
        }
        if (!missing.isEmpty() || !extra.isEmpty()) {
            StringBuilder sb = new StringBuilder("header has the wrong keys:");
            if (!missing.isEmpty()) {
                sb.append(" missing ").append(quoted(missing));
            }
            if (!extra.isEmpty()) {
                sb.append(missing.isEmpty() ? "" : ";").append(" unexpected ").append(quoted(extra));
            }
            sb.append(" (an NPY header has exactly 'descr', 'fortran_order' and 'shape')");
            throw new NpyFormatException(source, sb.toString());
        }
    }

    private static NpyDType dtype(String source, Object descr) throws NpyFormatException {
        String accepted = "; accepted: " + NpyDType.acceptedList();
        if (descr instanceof List<?>) {
            throw new NpyFormatException(source, "structured dtype (descr is a list of fields) is not supported" + accepted);
        }
        if (!(descr instanceof String d)) {
            throw new NpyFormatException(source, "header's descr is " + describe(descr) + ", expected a dtype string" + accepted);
        }
        Matcher m = DESCR.matcher(d);
        if (!m.matches()) {
            throw new NpyFormatException(source, "dtype '" + d + "' is not supported" + accepted);
        }
        String order = m.group(1);
        char kind = m.group(2).charAt(0);
        String size = m.group(3);
        NpyDType known = m.group(4).isEmpty() && !size.isEmpty() && size.length() <= 2
                ? NpyDType.forKindAndSize(kind, Integer.parseInt(size)) : null;
        if (known == null) {
            throw new NpyFormatException(source, "dtype '" + d + "' (" + numpyKindName(kind, size) + ") is not supported" + accepted);
        }
        if (order.equals(">")) {
            throw new NpyFormatException(source, "dtype '" + d + "' is big-endian, only little-endian is supported"
                    + accepted + "; convert with a.astype('" + known.descr() + "')");
        }
        // '<' is explicit. '|' ("not applicable") and '=' / no mark ("native") are never written by
        // numpy for multi-byte types, but numpy itself reads them as native order; every platform this
        // library runs on (x86-64, aarch64) is little-endian, so native means little-endian here.
        return known;
    }

    private static int[] shape(String source, Object shape, NpyDType dtype) throws NpyFormatException {
        if (!(shape instanceof List<?> dims)) {
            throw new NpyFormatException(source, "header's shape is " + describe(shape) + ", expected a tuple of integers");
        }
        List<BigInteger> values = new ArrayList<>();
        for (Object d : dims) {
            if (!(d instanceof BigInteger b)) {
                throw new NpyFormatException(source, "shape " + shapeText(dims) + " holds " + describe(d) + ", expected integers");
            }
            values.add(b);
        }
        BigInteger count = BigInteger.ONE;
        for (BigInteger v : values) {
            if (v.signum() < 0) {
                throw new NpyFormatException(source, "shape " + shapeText(dims) + " has a negative dimension");
            }
            count = count.multiply(v);
        }
        if (count.compareTo(BigInteger.valueOf(NpyArray.MAX_ELEMENTS)) > 0) {
            throw new NpyFormatException(source, "shape " + shapeText(dims) + " of " + dtype.numpyName() + " holds " + count
                    + " elements, more than a Java array can hold (" + NpyArray.MAX_ELEMENTS + ")");
        }
        int[] out = new int[values.size()];
        for (int i = 0; i < out.length; i++) {
            if (values.get(i).bitLength() > 31) {
                // Only possible beside a zero dimension (otherwise the count check fired).
                throw new NpyFormatException(source, "shape " + shapeText(dims) + " has a dimension larger than "
                        + Integer.MAX_VALUE + ", which a Java int cannot index");
            }
            out[i] = values.get(i).intValue();
        }
        return out;
    }

    /** numpy's name for a dtype kind, so that a refusal says what was actually found. */
    private static String numpyKindName(char kind, String size) {
        String bits = size.isEmpty() || size.length() > 6 ? "" : String.valueOf(Integer.parseInt(size) * 8);
        return switch (kind) {
            case 'b' -> "bool";
            case 'i' -> "int" + bits;
            case 'u' -> "uint" + bits;
            case 'f' -> "float" + bits;
            case 'c' -> "complex" + bits;
            case 'U' -> "unicode string";
            case 'S', 'a' -> "byte string";
            case 'O' -> "Python object";
            case 'M' -> "datetime64";
            case 'm' -> "timedelta64";
            case 'V' -> "raw bytes";
            default -> "unknown kind '" + kind + "'";
        };
    }

    private static String describe(Object value) {
        if (value == null) {
            return "missing";
        }
        if (value instanceof String s) {
            return "the string '" + s + "'";
        }
        if (value instanceof List<?> l) {
            return "the sequence " + shapeText(l);
        }
        return String.valueOf(value);
    }

    private static String shapeText(List<?> dims) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < dims.size(); i++) {
            Object d = dims.get(i);
            sb.append(i == 0 ? "" : ", ").append(d instanceof String s ? "'" + s + "'" : String.valueOf(d));
        }
        return sb.append(dims.size() == 1 ? ",)" : ")").toString();
    }

    private static String quoted(Set<String> keys) {
        StringBuilder sb = new StringBuilder();
        for (String k : keys) {
            sb.append(sb.length() == 0 ? "" : ", ").append('\'').append(k).append('\'');
        }
        return sb.toString();
    }

    /** The header as it was, trimmed and shortened, so that the message shows what was wrong. */
    private static String quoteHeader(String header) {
        String t = header.strip();
        return "\"" + (t.length() > 200 ? t.substring(0, 200) + "..." : t) + "\"";
    }
}
