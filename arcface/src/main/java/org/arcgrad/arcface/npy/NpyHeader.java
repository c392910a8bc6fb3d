package org.arcgrad.arcface.npy;

/**
 * What an NPY header says about the array after it: the element type and the C-order shape, plus
 * the format version it was written with. Only headers this library accepts ever become one of these.
 */
public final class NpyHeader {
    private final int majorVersion;
    private final int minorVersion;
    private final NpyDType dtype;
    private final int[] shape;

    NpyHeader(int majorVersion, int minorVersion, NpyDType dtype, int[] shape) {
        this.majorVersion = majorVersion;
        this.minorVersion = minorVersion;
        this.dtype = dtype;
        this.shape = shape.clone();
    }

    public NpyDType dtype() {
        return dtype;
    }

    /** The shape (a copy); empty for rank 0. */
    public int[] shape() {
        return shape.clone();
    }

    /** Number of elements, 1 for rank 0. */
    public int size() {
        return (int) NpyArray.elementCount(shape);
    }

    /** Bytes of array data that must follow the header. */
    public long dataBytes() {
        return (long) size() * dtype.itemSize();
    }

    /** The format version, e.g. "1.0". */
    public String version() {
        return majorVersion + "." + minorVersion;
    }

    @Override
    public String toString() {
        return "NPY " + version() + " " + dtype.descr() + " " + NpyArray.shapeString(shape);
    }
}
