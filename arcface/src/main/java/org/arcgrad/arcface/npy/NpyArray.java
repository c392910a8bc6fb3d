package org.arcgrad.arcface.npy;

import java.util.Arrays;
import java.util.Objects;

/**
 * An array as stored in an NPY file: a C-order (row-major) shape, one of the {@link NpyDType}s, and
 * the elements in a primitive array of the matching Java type ({@code float[]} for float32,
 * {@code double[]} for float64, {@code int[]} for int32, {@code long[]} for int64).
 *
 * <p>Rank 0 (shape {@code ()}) holds exactly one element. The factories and accessors do not copy,
 * so a reader's result costs no second copy of a large tensor; the {@code to...Array} conversions
 * always return a fresh array.
 */
public final class NpyArray {
    /** The largest element count a Java array reliably holds (the JDK's own soft limit). */
    public static final int MAX_ELEMENTS = Integer.MAX_VALUE - 8;

    private final NpyDType dtype;
    private final int[] shape;
    private final Object data;

    private NpyArray(NpyDType dtype, int[] shape, Object data, int length) {
        this.dtype = dtype;
        this.shape = shape.clone();
        long expected = elementCount(this.shape);
        if (expected != length) {
            throw new IllegalArgumentException("shape " + shapeString(this.shape) + " holds " + expected
                    + " elements, but " + length + " values were given");
        }
        this.data = data;
    }

    public static NpyArray ofFloat32(int[] shape, float[] data) {
        return new NpyArray(NpyDType.FLOAT32, shape, data, data.length);
    }

    public static NpyArray ofFloat64(int[] shape, double[] data) {
        return new NpyArray(NpyDType.FLOAT64, shape, data, data.length);
    }

    public static NpyArray ofInt32(int[] shape, int[] data) {
        return new NpyArray(NpyDType.INT32, shape, data, data.length);
    }

    public static NpyArray ofInt64(int[] shape, long[] data) {
        return new NpyArray(NpyDType.INT64, shape, data, data.length);
    }

    public NpyDType dtype() {
        return dtype;
    }

    /** The shape (a copy); empty for rank 0. */
    public int[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    /** Size of dimension {@code axis}. */
    public int dim(int axis) {
        return shape[axis];
    }

    /** Number of elements: the product of the shape, 1 for rank 0. */
    public int size() {
        return (int) elementCount(shape);
    }

    /** The float32 elements themselves (not a copy). */
    public float[] float32Data() {
        requireDtype(NpyDType.FLOAT32);
        return (float[]) data;
    }

    /** The float64 elements themselves (not a copy). */
    public double[] float64Data() {
        requireDtype(NpyDType.FLOAT64);
        return (double[]) data;
    }

    /** The int32 elements themselves (not a copy). */
    public int[] int32Data() {
        requireDtype(NpyDType.INT32);
        return (int[]) data;
    }

    /** The int64 elements themselves (not a copy). */
    public long[] int64Data() {
        requireDtype(NpyDType.INT64);
        return (long[]) data;
    }

    /** The elements as doubles (a copy). Exact for every dtype except int64 beyond ±2^53. */
    public double[] toDoubleArray() {
        int n = size();
        double[] out = new double[n];
        switch (dtype) {
            case FLOAT32 -> { float[] d = (float[]) data; for (int i = 0; i < n; i++) out[i] = d[i]; }
            case FLOAT64 -> System.arraycopy(data, 0, out, 0, n);
            case INT32 -> { int[] d = (int[]) data; for (int i = 0; i < n; i++) out[i] = d[i]; }
            case INT64 -> { long[] d = (long[]) data; for (int i = 0; i < n; i++) out[i] = d[i]; }
        }
        return out;
    }

    /** The elements as floats (a copy), rounded to nearest for float64 and large integers. */
    public float[] toFloatArray() {
        int n = size();
        float[] out = new float[n];
        switch (dtype) {
            case FLOAT32 -> System.arraycopy(data, 0, out, 0, n);
            case FLOAT64 -> { double[] d = (double[]) data; for (int i = 0; i < n; i++) out[i] = (float) d[i]; }
            case INT32 -> { int[] d = (int[]) data; for (int i = 0; i < n; i++) out[i] = d[i]; }
            case INT64 -> { long[] d = (long[]) data; for (int i = 0; i < n; i++) out[i] = d[i]; }
        }
        return out;
    }

    /**
     * The elements as ints (a copy), for label files. Only integer dtypes convert: silently
     * truncating floats would hide a wrong file. int64 values outside the int range are refused.
     */
    public int[] toIntArray() {
        int n = size();
        switch (dtype) {
            case INT32 -> {
                return ((int[]) data).clone();
            }
            case INT64 -> {
                long[] d = (long[]) data;
                int[] out = new int[n];
                for (int i = 0; i < n; i++) {
                    if (d[i] != (int) d[i]) {
                        throw new ArithmeticException("int64 element " + i + " = " + d[i] + " does not fit in an int");
                    }
                    out[i] = (int) d[i];
                }
                return out;
            }
            default -> throw new IllegalStateException("toIntArray needs an integer array, this one is " + dtype.numpyName());
        }
    }

    /** The elements as longs (a copy); integer dtypes only, for the same reason as {@link #toIntArray}. */
    public long[] toLongArray() {
        int n = size();
        switch (dtype) {
            case INT32 -> {
                int[] d = (int[]) data;
                long[] out = new long[n];
                for (int i = 0; i < n; i++) out[i] = d[i];
                return out;
            }
            case INT64 -> {
                return ((long[]) data).clone();
            }
            default -> throw new IllegalStateException("toLongArray needs an integer array, this one is " + dtype.numpyName());
        }
    }

    private void requireDtype(NpyDType wanted) {
        if (dtype != wanted) {
            throw new IllegalStateException("array is " + dtype.numpyName() + ", not " + wanted.numpyName());
        }
    }

    /** Product of the dimensions as a long (1 for rank 0); negative dimensions are refused by callers. */
    static long elementCount(int[] shape) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("shape " + shapeString(shape) + " has a negative dimension");
            }
            n *= d;
            if (n > MAX_ELEMENTS) {
                throw new IllegalArgumentException("shape " + shapeString(shape) + " holds more elements than a Java array can");
            }
        }
        return n;
    }

    /** The shape as numpy prints it: {@code ()}, {@code (3,)}, {@code (2, 3)}. */
    static String shapeString(int[] shape) {
        if (shape.length == 1) {
            return "(" + shape[0] + ",)";
        }
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(shape[i]);
        }
        return sb.append(')').toString();
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof NpyArray other) || dtype != other.dtype || !Arrays.equals(shape, other.shape)) {
            return false;
        }
        return switch (dtype) {
            case FLOAT32 -> Arrays.equals((float[]) data, (float[]) other.data);
            case FLOAT64 -> Arrays.equals((double[]) data, (double[]) other.data);
            case INT32 -> Arrays.equals((int[]) data, (int[]) other.data);
            case INT64 -> Arrays.equals((long[]) data, (long[]) other.data);
        };
    }

    @Override
    public int hashCode() {
        int h = Objects.hash(dtype, Arrays.hashCode(shape));
        return 31 * h + switch (dtype) {
            case FLOAT32 -> Arrays.hashCode((float[]) data);
            case FLOAT64 -> Arrays.hashCode((double[]) data);
            case INT32 -> Arrays.hashCode((int[]) data);
            case INT64 -> Arrays.hashCode((long[]) data);
        };
    }

    @Override
    public String toString() {
        return "NpyArray[" + dtype.numpyName() + " " + shapeString(shape) + "]";
    }
}
