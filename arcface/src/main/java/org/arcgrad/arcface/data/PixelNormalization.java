package org.arcgrad.arcface.data;

import java.util.Locale;

/**
 * The transform from an 8-bit pixel value v to a feature: {@code (v/255 − mean) / std}, where mean
 * and std are those of v/255 over every pixel of every training image (std with divisor N, not
 * N−1; over 47 million pixels the two differ in the 8th digit). For Fashion-MNIST they come out at
 * mean 0.2860406 and std 0.3530242 (the usual 0.2860, 0.3530). The same transform, fitted on the training set, is applied to the
 * test set.
 *
 * <p>The PyTorch equivalent, which any benchmark against arcgrad must use:
 * {@code x = train_images.float() / 255; mean, std = x.mean(), x.std(unbiased=False)}, then
 * {@code transforms.Compose([transforms.ToTensor(), transforms.Normalize((mean,), (std,))])}
 * (or the values from {@link #toString()}). arcgrad computes each of the 256 possible values in
 * double and rounds once to float; torchvision computes in float, which differs by at most an ulp
 * or two.
 */
public record PixelNormalization(double mean, double std) {
    public PixelNormalization {
        if (!(std > 0) || !Double.isFinite(mean) || !Double.isFinite(std)) {
            throw new IllegalArgumentException("need a finite mean and a positive std, got mean " + mean + ", std " + std);
        }
    }

    /** Fits the transform to a histogram of 8-bit pixels: {@code counts[v]} pixels have value v. */
    public static PixelNormalization fit(long[] counts) {
        if (counts.length != 256) {
            throw new IllegalArgumentException("a histogram of 8-bit pixels has 256 bins, got " + counts.length);
        }
        long n = 0;
        double sum = 0;
        for (int v = 0; v < 256; v++) {
            n += counts[v];
            sum += counts[v] * (v / 255.0);
        }
        double mean = sum / n;
        double squares = 0;
        for (int v = 0; v < 256; v++) {
            double d = v / 255.0 - mean;
            squares += counts[v] * d * d;
        }
        return new PixelNormalization(mean, Math.sqrt(squares / n));
    }

    /** The feature for pixel value {@code v} (0..255). */
    public float apply(int v) {
        return (float) ((v / 255.0 - mean) / std);
    }

    /** {@link #apply} for all 256 pixel values, indexed by the value. */
    public float[] lookupTable() {
        float[] table = new float[256];
        for (int v = 0; v < 256; v++) {
            table[v] = apply(v);
        }
        return table;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "(v/255 - %.6f) / %.6f", mean, std);
    }
}
