package org.arcgrad.autodiff;

import java.util.Arrays;
import java.util.Random;

/** A dense fp64 host array in row-major order: the interpreter's values, feeds and results. */
public final class NDArray {
    private final Shape shape;
    private final double[] data;

    private NDArray(Shape shape, double[] data) {
        this.shape = shape;
        this.data = data;
    }

    /** Wraps {@code data} (not copied); its length must equal the shape's element count. */
    public static NDArray of(Shape shape, double... data) {
        if (data.length != shape.numel()) {
            throw new IllegalArgumentException("shape " + shape + " needs " + shape.numel() + " values, got " + data.length);
        }
        return new NDArray(shape, data);
    }

    public static NDArray scalar(double v) {
        return new NDArray(Shape.SCALAR, new double[] {v});
    }

    public static NDArray zeros(Shape shape) {
        return new NDArray(shape, new double[shape.size()]);
    }

    public static NDArray full(Shape shape, double v) {
        double[] d = new double[shape.size()];
        Arrays.fill(d, v);
        return new NDArray(shape, d);
    }

    /** Values from [lo, hi), uniformly. */
    public static NDArray uniform(Shape shape, double lo, double hi, Random random) {
        double[] d = new double[shape.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = lo + (hi - lo) * random.nextDouble();
        }
        return new NDArray(shape, d);
    }

    public static NDArray gaussian(Shape shape, Random random) {
        double[] d = new double[shape.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = random.nextGaussian();
        }
        return new NDArray(shape, d);
    }

    public Shape shape() {
        return shape;
    }

    /** The backing array (not a copy): row-major values. */
    public double[] data() {
        return data;
    }

    public int size() {
        return data.length;
    }

    public double get(int... index) {
        return data[offset(index)];
    }

    public void set(double v, int... index) {
        data[offset(index)] = v;
    }

    /** The single value of a one-element array. */
    public double item() {
        if (data.length != 1) {
            throw new IllegalStateException("item() needs one element, shape is " + shape);
        }
        return data[0];
    }

    public NDArray copy() {
        return new NDArray(shape, data.clone());
    }

    public NDArray reshape(Shape to) {
        if (to.numel() != shape.numel()) {
            throw new IllegalArgumentException("cannot reshape " + shape + " to " + to);
        }
        return new NDArray(to, data);
    }

    private int offset(int[] index) {
        if (index.length != shape.rank()) {
            throw new IllegalArgumentException("index of rank " + index.length + " for shape " + shape);
        }
        int[] st = shape.strides();
        int off = 0;
        for (int i = 0; i < index.length; i++) {
            if (index[i] < 0 || index[i] >= shape.dim(i)) {
                throw new IndexOutOfBoundsException("index " + Arrays.toString(index) + " outside " + shape);
            }
            off += index[i] * st[i];
        }
        return off;
    }

    @Override
    public String toString() {
        int shown = Math.min(data.length, 8);
        StringBuilder b = new StringBuilder("NDArray").append(shape).append(" [");
        for (int i = 0; i < shown; i++) {
            b.append(i == 0 ? "" : ", ").append(data[i]);
        }
        return b.append(data.length > shown ? ", ...]" : "]").toString();
    }
}
