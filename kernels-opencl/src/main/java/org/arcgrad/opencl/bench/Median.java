package org.arcgrad.opencl.bench;

import java.util.Arrays;

/**
 * The median every benchmark reports: the middle value, or the mean of the two middle ones of an
 * even count, as Python's {@code statistics.median} in the PyTorch peers' scripts
 * ({@code bench/*.py}) takes it. The benchmarks once had three helpers, one of which took the
 * upper middle, so that arcgrad's median of 10 steps and PyTorch's were not the same statistic.
 */
public final class Median {
    private Median() {
    }

    public static double of(double... values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("the median of no values");
        }
        double[] v = values.clone();
        Arrays.sort(v);
        int mid = v.length / 2;
        return v.length % 2 == 1 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
    }

    public static double of(long... values) {
        return of(Arrays.stream(values).asDoubleStream().toArray());
    }
}
