package org.arcgrad.opencl.gemm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.arcgrad.opencl.runtime.DeviceBuffer;
import org.arcgrad.opencl.runtime.DeviceContext;
import org.arcgrad.opencl.runtime.Kernel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link GemmTemplate#renderRowFold}: with a fold of two running values (each row's max and sum),
 * C is stored as by the plain GEMM, and the partials, laid out as {@link RowFold} says, give each
 * row's max and sum, in every variant that keeps C's rows, under CPU, GPU and odd parameters,
 * with one work-group a row tile or several walking every third or fifth column tile. This is
 * also the door of {@link OutputStage#walksAllColumnTiles}: the register tile and the epilogue run
 * unchanged inside the column walk, in every form.
 */
class RowFoldGemmTest {
    private static final RowFold MAX_AND_SUM = new RowFold("fold", "combine",
            "void fold(const int row, const int col, const float acc, float* s0, float* s1) { *s0 = fmax(*s0, acc); *s1 += acc; }\n"
                    + "void combine(float* s0, float* s1, const float t0, const float t1) { *s0 = fmax(*s0, t0); *s1 += t1; }\n",
            List.of("-INFINITY", "0.0f"), List.of());

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (GemmVariant v : List.of(GemmVariant.NN, GemmVariant.NT, GemmVariant.TN)) {
            cases.add(Arguments.of(v, GemmDefaults.cpu(v)));
            cases.add(Arguments.of(v, GemmDefaults.gpu(v)));
            cases.add(Arguments.of(v, new GemmParams(6, 12, 8, 2, 3, 2, 2, 3, false, true)));
        }
        return cases.stream();
    }

    @Test
    void ttCannotFoldRowsBecauseItComputesTheTranspose() {
        assertThrows(IllegalArgumentException.class, () -> GemmTemplate.renderRowFold(GemmVariant.TT, GemmDefaults.cpu(GemmVariant.TT),
                "folded", MAX_AND_SUM));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void partialsGiveEachRowsMaxAndSumAndCIsStored(GemmVariant variant, GemmParams params) {
        DeviceContext context = OpenClTestDevice.get();
        GemmKernel k = GemmTemplate.renderRowFold(variant, params, "folded", MAX_AND_SUM);
        Random rng = new Random(5);
        Kernel kernel = context.build(k.source()).kernel(k.name());
        try {
            for (int[] s : new int[][] {{1, 1, 1, 1}, {7, 300, 33, 3}, {70, 131, 19, 5}}) {
                int m = s[0];
                int n = s[1];
                int depth = s[2];
                int splits = s[3];
                float[] a = ReferenceGemm.random(rng, m * depth);
                float[] b = ReferenceGemm.random(rng, n * depth);
                int[] ld = k.denseLeadingDimensions(m, n, depth);
                try (DeviceBuffer ab = context.upload("A", a);
                     DeviceBuffer bb = context.upload("B", b);
                     DeviceBuffer cb = context.floatBuffer("C", (long) m * n);
                     DeviceBuffer partials = context.floatBuffer("partials", 2L * splits * m)) {
                    kernel.args(m, n, depth, ab, ld[0], bb, ld[1], cb, ld[2], partials).launch(k.globalSize(m, n, splits), k.localSize());
                    float[] c = cb.downloadFloats();
                    float[] p = partials.downloadFloats();
                    ReferenceGemm ref = new ReferenceGemm(variant, m, n, depth, a, b);
                    for (int i = 0; i < m; i++) {
                        double max = Double.NEGATIVE_INFINITY;
                        double sum = 0;
                        double gotMax = Double.NEGATIVE_INFINITY;
                        double gotSum = 0;
                        double bound = 0;
                        for (int j = 0; j < n; j++) {
                            assertEquals(ref.c[i * n + j], c[i * n + j], 2e-6 * ref.magnitude[i * n + j] + 1e-30, "C[" + i + "," + j + "]");
                            max = Math.max(max, c[i * n + j]);
                            sum += ref.c[i * n + j];
                            bound += ref.magnitude[i * n + j];
                        }
                        for (int g = 0; g < splits; g++) {
                            gotMax = Math.max(gotMax, p[g * m + i]);
                            gotSum += p[(splits + g) * m + i];
                        }
                        assertEquals(max, gotMax, 0, variant + " " + params + ": row " + i + "'s max");
                        if (!(Math.abs(gotSum - sum) <= 3e-6 * bound)) {
                            fail(variant + " " + m + "x" + n + "x" + depth + " " + params + ": row " + i + " sums to " + gotSum
                                    + ", expected " + sum);
                        }
                    }
                }
            }
        } finally {
            kernel.release();
        }
    }
}
