package org.arcgrad.autodiff;

import java.util.Arrays;

/**
 * An immutable tensor shape (row-major). Rank 0 is a scalar. Broadcasting follows numpy:
 * shapes are aligned on the right and a dimension of 1 stretches to match the other.
 */
public final class Shape {
    public static final Shape SCALAR = new Shape(new int[0]);

    private final int[] dims;

    private Shape(int[] dims) {
        this.dims = dims;
    }

    public static Shape of(int... dims) {
        for (int d : dims) {
            if (d < 1) {
                throw new IllegalArgumentException("shape " + Arrays.toString(dims) + ": every dimension must be at least 1");
            }
        }
        return dims.length == 0 ? SCALAR : new Shape(dims.clone());
    }

    public int rank() {
        return dims.length;
    }

    public int dim(int axis) {
        return dims[axis];
    }

    public int[] dims() {
        return dims.clone();
    }

    public long numel() {
        long n = 1;
        for (int d : dims) {
            n *= d;
        }
        return n;
    }

    /** Number of elements as an int, for host arrays; refuses shapes a Java array cannot hold. */
    public int size() {
        long n = numel();
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("shape " + this + " has " + n + " elements, more than a Java array holds");
        }
        return (int) n;
    }

    /** Row-major strides, in elements. */
    public int[] strides() {
        int[] s = new int[dims.length];
        int acc = 1;
        for (int i = dims.length - 1; i >= 0; i--) {
            s[i] = acc;
            acc *= dims[i];
        }
        return s;
    }

    /** Normalises a possibly negative axis; throws when it is out of range. */
    public int axis(int axis) {
        int a = axis < 0 ? axis + dims.length : axis;
        if (a < 0 || a >= dims.length) {
            throw new IllegalArgumentException("axis " + axis + " is out of range for shape " + this);
        }
        return a;
    }

    /** This shape with one dimension replaced. */
    public Shape with(int axis, int size) {
        int[] d = dims.clone();
        d[axis(axis)] = size;
        return new Shape(d);
    }

    /** This shape with one axis removed. */
    public Shape without(int axis) {
        int a = axis(axis);
        int[] d = new int[dims.length - 1];
        for (int i = 0, j = 0; i < dims.length; i++) {
            if (i != a) {
                d[j++] = dims[i];
            }
        }
        return d.length == 0 ? SCALAR : new Shape(d);
    }

    /** The shape both operands broadcast to, or null when they do not broadcast. */
    public static Shape broadcast(Shape a, Shape b) {
        int r = Math.max(a.rank(), b.rank());
        int[] d = new int[r];
        for (int i = 0; i < r; i++) {
            int da = i < r - a.rank() ? 1 : a.dims[i - (r - a.rank())];
            int db = i < r - b.rank() ? 1 : b.dims[i - (r - b.rank())];
            if (da != db && da != 1 && db != 1) {
                return null;
            }
            d[i] = Math.max(da, db);
        }
        return r == 0 ? SCALAR : new Shape(d);
    }

    /** True when this shape broadcasts to {@code target} without changing target. */
    public boolean broadcastsTo(Shape target) {
        return target.equals(broadcast(this, target));
    }

    /**
     * Strides for reading this shape as if broadcast to {@code target}: stretched and missing
     * axes get stride 0. The result has target's rank.
     */
    public int[] broadcastStrides(Shape target) {
        int[] own = strides();
        int[] s = new int[target.rank()];
        int off = target.rank() - rank();
        for (int i = 0; i < rank(); i++) {
            s[i + off] = dims[i] == 1 ? 0 : own[i];
        }
        return s;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Shape && Arrays.equals(dims, ((Shape) o).dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }

    @Override
    public String toString() {
        return Arrays.toString(dims);
    }
}
