package org.arcgrad.opencl.bench;

import java.util.Arrays;

/**
 * The median every benchmark reports: the middle value, or the mean of the two middle ones of an
 * even count (the benchmarks once had three helpers, one of which took the upper middle).
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
