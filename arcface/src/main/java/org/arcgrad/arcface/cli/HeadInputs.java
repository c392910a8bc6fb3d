package org.arcgrad.arcface.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import org.arcgrad.arcface.npy.NpyArray;
import org.arcgrad.arcface.npy.NpyDType;
import org.arcgrad.arcface.npy.NpyFormatException;
import org.arcgrad.arcface.npy.NpyReader;

/**
 * The three inputs of {@code arcgrad head}, read and checked: X float32 [N, D], W float32
 * [rows, D], labels int32 or int64 [N] in [0, C). Every problem is a {@link BadInputException}
 * naming the option and the file.
 */
record HeadInputs(float[] x, float[] w, int[] labels, int n, int d, int wRows) {
    static HeadInputs read(Path xFile, Path wFile, Path labelsFile) {
        NpyArray x = load("--x", xFile);
        NpyArray w = load("--w", wFile);
        NpyArray y = load("--labels", labelsFile);
        expect("--x", xFile, x, 2, NpyDType.FLOAT32);
        expect("--w", wFile, w, 2, NpyDType.FLOAT32);
        expect("--labels", labelsFile, y, 1, NpyDType.INT32, NpyDType.INT64);
        if (w.dim(1) != x.dim(1)) {
            throw new BadInputException("--w: " + wFile + " has " + w.dim(1) + " columns, but X (" + xFile + ") has D = " + x.dim(1));
        }
        if (y.dim(0) != x.dim(0)) {
            throw new BadInputException("--labels: " + labelsFile + " has " + y.dim(0) + " labels, but X (" + xFile + ") has N = "
                    + x.dim(0) + " rows");
        }
        float[] xs = x.float32Data();
        float[] ws = w.float32Data();
        finite("--x", xFile, xs, x.dim(1));
        finite("--w", wFile, ws, w.dim(1));
        long[] raw = y.dtype() == NpyDType.INT64 ? y.toLongArray() : Arrays.stream(y.int32Data()).asLongStream().toArray();
        int[] labels = new int[raw.length];
        for (int i = 0; i < raw.length; i++) {
            if (raw[i] < 0 || raw[i] > Integer.MAX_VALUE) {
                throw new BadInputException("--labels: " + labelsFile + ": label " + raw[i] + " at index " + i + " is negative or too large");
            }
            labels[i] = (int) raw[i];
        }
        return new HeadInputs(xs, ws, labels, x.dim(0), x.dim(1), w.dim(0));
    }

    /**
     * The largest row norm an fp32 device takes: a head normalises rows by the square root of their
     * sum of squares, which fp32 holds up to 3.4e38 (a norm of 1.8e19); beyond, the sum is infinite
     * and every cosine of the row would be 0, silently. 1e19 leaves room for rounding.
     */
    static final double FP32_MOST_NORM = 1e19;

    /** Refuses a row of X or W whose norm fp32 cannot square and sum ({@link #FP32_MOST_NORM}), naming the file and row. */
    void checkFp32Norms(Path xFile, Path wFile) {
        checkNorms("--x", xFile, x, d);
        checkNorms("--w", wFile, w, d);
    }

    private static void checkNorms(String option, Path file, float[] values, int cols) {
        for (int row = 0; row < values.length / cols; row++) {
            double sumSquares = 0;
            for (int k = row * cols; k < (row + 1) * cols; k++) {
                sumSquares += (double) values[k] * values[k];
            }
            if (Math.sqrt(sumSquares) > FP32_MOST_NORM) {
                throw new BadInputException(String.format(java.util.Locale.ROOT, "%s: %s row %d has norm %.3g; the device squares"
                        + " and sums it in fp32, which overflows above %.0e (its cosines would all be 0): scale the rows down or use"
                        + " --backend interpreter (fp64)", option, file, row, Math.sqrt(sumSquares), FP32_MOST_NORM));
            }
        }
    }

    /** Checks every label against the head's class count C. */
    void checkLabels(Path labelsFile, int classes) {
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] >= classes) {
                throw new BadInputException("--labels: " + labelsFile + ": label " + labels[i] + " at index " + i
                        + " is outside [0, " + classes + ") (C = " + classes + " classes)");
            }
        }
    }

    private static NpyArray load(String option, Path file) {
        if (!Files.exists(file)) {
            throw new BadInputException(option + ": " + file + ": no such file");
        }
        if (!Files.isReadable(file) || Files.isDirectory(file)) {
            throw new BadInputException(option + ": " + file + ": not a readable file");
        }
        try {
            return NpyReader.read(file);
        } catch (NpyFormatException e) {
            throw new BadInputException(option + ": " + e.getMessage());
        } catch (NoSuchFileException e) {
            throw new BadInputException(option + ": " + file + ": no such file");
        } catch (IOException e) {
            throw new BadInputException(option + ": " + file + ": cannot read: " + e.getMessage());
        }
    }

    private static void expect(String option, Path file, NpyArray a, int rank, NpyDType... dtypes) {
        if (!Arrays.asList(dtypes).contains(a.dtype())) {
            throw new BadInputException(option + ": " + file + " has dtype " + a.dtype().numpyName() + ", expected "
                    + String.join(" or ", Arrays.stream(dtypes).map(NpyDType::numpyName).toList()));
        }
        if (a.rank() != rank) {
            throw new BadInputException(option + ": " + file + " has shape " + Arrays.toString(a.shape()) + " (rank " + a.rank()
                    + "), expected rank " + rank);
        }
        for (int dim : a.shape()) {
            if (dim == 0) {
                throw new BadInputException(option + ": " + file + " has shape " + Arrays.toString(a.shape()) + ", which is empty");
            }
        }
    }

    private static void finite(String option, Path file, float[] values, int cols) {
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                throw new BadInputException(option + ": " + file + " has " + values[i] + " at [" + i / cols + ", " + i % cols + "]");
            }
        }
    }
}
