package org.arcgrad.arcface.data;

import java.util.Arrays;

/**
 * What an IDX file's header says: the element type and the dimensions (outermost first, e.g.
 * [60000, 28, 28] for MNIST images). Only headers whose element count fits a Java array are ever
 * built, so {@link #elements()} is an {@code int}.
 */
public final class IdxHeader {
    /** The largest array the JVM reliably allocates (a few words below Integer.MAX_VALUE). */
    static final int MAX_ELEMENTS = Integer.MAX_VALUE - 8;

    private final IdxType type;
    private final int[] dims;
    private final int elements;

    IdxHeader(IdxType type, int[] dims, int elements) {
        this.type = type;
        this.dims = dims.clone();
        this.elements = elements;
    }

    public IdxType type() {
        return type;
    }

    /** A copy of the dimensions, outermost first. */
    public int[] dims() {
        return dims.clone();
    }

    public int rank() {
        return dims.length;
    }

    public int dim(int axis) {
        return dims[axis];
    }

    /** The number of elements, the product of the dimensions. */
    public int elements() {
        return elements;
    }

    /** Bytes of data that follow the header. */
    public long dataBytes() {
        return (long) elements * type.itemSize();
    }

    /** Bytes of the header itself: the 4-byte magic and one int32 per dimension. */
    public int headerBytes() {
        return 4 + 4 * dims.length;
    }

    /** E.g. "dims [60000, 28, 28] of 0x08 (unsigned byte)": for messages. */
    public String describe() {
        return "dims " + Arrays.toString(dims) + " of " + type;
    }

    @Override
    public String toString() {
        return "IdxHeader[" + describe() + "]";
    }
}
