package org.arcgrad.arcface.data;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The element types of the IDX format (LeCun's MNIST files): the third magic byte. Multi-byte
 * elements are stored big-endian, like the dimensions.
 */
public enum IdxType {
    UNSIGNED_BYTE(0x08, 1, "unsigned byte"),
    SIGNED_BYTE(0x09, 1, "signed byte"),
    SHORT(0x0B, 2, "int16"),
    INT(0x0C, 4, "int32"),
    FLOAT(0x0D, 4, "float32"),
    DOUBLE(0x0E, 8, "float64");

    private final int code;
    private final int itemSize;
    private final String description;

    IdxType(int code, int itemSize, String description) {
        this.code = code;
        this.itemSize = itemSize;
        this.description = description;
    }

    /** The type byte in the magic number, e.g. 0x08. */
    public int code() {
        return code;
    }

    /** Bytes per element. */
    public int itemSize() {
        return itemSize;
    }

    /** Whether elements are integers (and so fit an {@code int} exactly). */
    public boolean isInteger() {
        return this != FLOAT && this != DOUBLE;
    }

    /** The type for a magic type byte, or null if the format has no such type. */
    static IdxType forCode(int code) {
        for (IdxType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        return null;
    }

    /** "0x08 (unsigned byte), 0x09 (signed byte), ...": for messages that refuse a type code. */
    static String knownCodes() {
        return Arrays.stream(values()).map(IdxType::toString).collect(Collectors.joining(", "));
    }

    /** E.g. "0x08 (unsigned byte)". */
    @Override
    public String toString() {
        return String.format("0x%02X (%s)", code, description);
    }
}
