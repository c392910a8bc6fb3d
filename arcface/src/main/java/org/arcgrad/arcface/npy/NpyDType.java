package org.arcgrad.arcface.npy;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The element types this library reads and writes: little-endian IEEE floats and two's-complement
 * integers of 4 and 8 bytes, the types the margin heads, their fixtures and label files need.
 */
public enum NpyDType {
    FLOAT32('f', 4, "float32"),
    FLOAT64('f', 8, "float64"),
    INT32('i', 4, "int32"),
    INT64('i', 8, "int64");

    private final char kind;
    private final int itemSize;
    private final String numpyName;

    NpyDType(char kind, int itemSize, String numpyName) {
        this.kind = kind;
        this.itemSize = itemSize;
        this.numpyName = numpyName;
    }

    /** Bytes per element. */
    public int itemSize() {
        return itemSize;
    }

    /** numpy's name for the type, e.g. {@code float32}. */
    public String numpyName() {
        return numpyName;
    }

    /** The descr this library writes into headers, e.g. {@code <f4}. */
    public String descr() {
        return "<" + kind + itemSize;
    }

    /** The dtype for a descr's kind and size (byte order already checked), or null if not one of ours. */
    static NpyDType forKindAndSize(char kind, int itemSize) {
        for (NpyDType t : values()) {
            if (t.kind == kind && t.itemSize == itemSize) {
                return t;
            }
        }
        return null;
    }

    /** "<f4 (float32), <f8 (float64), ...": for messages that refuse a type. */
    static String acceptedList() {
        return Arrays.stream(values()).map(t -> t.descr() + " (" + t.numpyName + ")").collect(Collectors.joining(", "));
    }
}
