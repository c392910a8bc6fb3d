package org.arcgrad.tests.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.arcgrad.autodiff.Functional;
import org.arcgrad.autodiff.Interpreter;
import org.arcgrad.autodiff.NDArray;
import org.arcgrad.autodiff.Tape;
import org.arcgrad.autodiff.Tensor;
import org.arcgrad.opencl.compile.PlanChoice;

/**
 * A chunk's running log-sum-exp (the running max, the running sum of exp, the label's logit) and
 * the rows' own log-sum-exp, over logits made from fed values [10, cols] whose rows are those an
 * online or chunked form could get wrong: a NaN; a row of −∞ in the first chunk (running max −∞:
 * −∞ − −∞ is NaN) and in a later one; −∞ among finite values; one +∞, and two far apart (+∞ − +∞:
 * NaN); values whose exp overflows fp32 unshifted, rising and falling along the row; a running max
 * of +∞, and one far above the row. Held to the interpreter exactly where it gives NaN or ±∞, which
 * the agreement rule leaves unchecked, and to 1e-5 elsewhere.
 *
 * @param outputs the running max, the running sum, the label's logit and the rows' log-sum-exp
 * @param feeds   every source's value, fp32-rounded
 */
public record RunningLogSumExpEdges(List<Tensor> outputs, Map<Tensor, NDArray> feeds) {
    public static final int ROWS = 10;

    /**
     * The case over logits {@code logitsOf(edges)}, edges an input [10, cols] fed with the rows above
     * (Gaussian elsewhere); {@code feeds} holds the values of any other source the logits read.
     */
    public static RunningLogSumExpEdges of(Tape tape, int cols, Function<Tensor, Tensor> logitsOf, Map<Tensor, NDArray> feeds, Random random) {
        Tensor edges = tape.input("edges", ROWS, cols);
        Tensor mask = tape.input("mask", ROWS, cols);
        Tensor runningMax = tape.input("runningMax", ROWS, 1);
        Tensor runningSum = tape.input("runningSum", ROWS, 1);
        Tensor logits = logitsOf.apply(edges);
        Tensor max = runningMax.maximum(logits.max(1, true));
        Tensor sum = runningSum.mul(runningMax.sub(max).exp()).add(logits.sub(max).exp().sum(1, true));
        Tensor label = logits.mul(mask).sum(1, true);
        Tensor lse = Functional.logSumExp(logits, 1, true);
        double[] e = NDArray.gaussian(edges.shape(), random).data().clone();
        double[] first = NDArray.gaussian(runningMax.shape(), random).data().clone();
        e[5] = Double.NaN;                                                          // row 0
        Arrays.fill(e, cols, 3 * cols, Double.NEGATIVE_INFINITY);                  // rows 1 (the first chunk) and 2
        first[1] = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < cols; j += 3) {
            e[3 * cols + j] = Double.NEGATIVE_INFINITY;                             // row 3
        }
        e[4 * cols + 7] = Double.POSITIVE_INFINITY;                                 // row 4
        e[5 * cols + 2] = Double.POSITIVE_INFINITY;                                 // row 5
        e[5 * cols + 3 * cols / 4] = Double.POSITIVE_INFINITY;
        for (int j = 0; j < cols; j++) {
            e[6 * cols + j] = 60 + 100.0 * j / cols;                                // row 6: rising to 160; exp(89) overflows fp32
            e[7 * cols + j] = 160 - 100.0 * j / cols;                               // row 7: falling
        }
        first[6] = Double.NEGATIVE_INFINITY;
        first[8] = Double.POSITIVE_INFINITY;                                        // row 8
        first[9] = 70;                                                              // row 9: exp(x − 70) underflows to 0 or nearly
        double[] hot = new double[ROWS * cols];
        for (int i = 0; i < ROWS; i++) {
            hot[i * cols + random.nextInt(cols)] = 1;
        }
        Map<Tensor, NDArray> all = new HashMap<>(feeds);
        all.putAll(Map.of(edges, NDArray.of(edges.shape(), e), mask, NDArray.of(mask.shape(), hot),
                runningMax, NDArray.of(runningMax.shape(), first), runningSum, NDArray.uniform(runningSum.shape(), 0.5, 2, random)));
        return new RunningLogSumExpEdges(List.of(max, sum, label, lse), DeviceComparison.roundToFloat(all));
    }

    /**
     * The case over logits x·Wᵀ + edges, x [10, 4] and W [200, 4] Gaussian: on a GPU plan the row
     * fold's GEMM, five work-groups walking seven column tiles, and its merge.
     */
    public static RunningLogSumExpEdges overAProduct(Tape tape) {
        Tensor x = tape.input("x", ROWS, 4);
        Tensor w = tape.input("w", 200, 4);
        Random random = new Random(9);
        return of(tape, 200, edges -> x.matmul(w.transpose()).add(edges),
                Map.of(x, NDArray.gaussian(x.shape(), random), w, NDArray.gaussian(w.shape(), random)), random);
    }

    /** The device's values under {@code plan} against the interpreter's, row by row; the rows above reach NaN or ±∞ twelve times at least. */
    void assertDeviceAgrees(PlanChoice plan) {
        NDArray[] ref = Interpreter.run(feeds, outputs.toArray(new Tensor[0]));
        NDArray[] dev = DeviceComparison.deviceValues(outputs, feeds, plan);
        int nonFinite = 0;
        for (int k = 0; k < outputs.size(); k++) {
            for (int i = 0; i < ROWS; i++) {
                double r = ref[k].data()[i];
                nonFinite += Double.isFinite(r) ? 0 : 1;
                assertEquals(r, dev[k].data()[i], Double.isFinite(r) ? 1e-5 * Math.max(1, Math.abs(r)) : 0,
                        plan + " plan, output " + k + ", row " + i);
            }
        }
        assertTrue(nonFinite >= 12, nonFinite + " values of NaN or ±∞");
    }
}
