package org.arcgrad.opencl.gemm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

    static Stream<Arguments> centreCases() {
        return Stream.of(GemmDefaults.cpu(GemmVariant.NT), GemmDefaults.gpu(GemmVariant.NT), new GemmParams(6, 12, 8, 2, 3, 2, 2, 3, false, true))
                .map(Arguments::of);
    }

    @Test
    void centresNeedBsRowsAsTheProductsColumns() {
        RowFold centres = withCentres(3);
        for (GemmVariant v : List.of(GemmVariant.NN, GemmVariant.TN, GemmVariant.TT)) {
            assertThrows(IllegalArgumentException.class, () -> GemmTemplate.renderRowFold(v, GemmDefaults.gpu(v), "folded", centres), v::name);
        }
    }

    @Test
    void ttCannotFoldRowsBecauseItComputesTheTranspose() {
        assertThrows(IllegalArgumentException.class, () -> GemmTemplate.renderRowFold(GemmVariant.TT, GemmDefaults.cpu(GemmVariant.TT),
                "folded", MAX_AND_SUM));
    }

    private static RowFold withCentres(int centres) {
        return new RowFold(MAX_AND_SUM.name(), MAX_AND_SUM.combine(), MAX_AND_SUM.source(), MAX_AND_SUM.initial(), MAX_AND_SUM.parameters(),
                centres);
    }

    /**
     * A sub-center head's fold (NT, K centres a class, B's row c·K + k centre k of class c): C holds
     * every centre's product as the plain GEMM would, CM each class's max over its centres (NaN
     * where one centre's product is NaN), and the partials each row's max and sum of CM, for every
     * tile form, edge tiles and several groups a row tile. A NaN in one centre's row of B tests
     * the max's NaN rule at the second of three centres.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("centreCases")
    void withCentresCHoldsEveryCentreAndTheFoldTakesEachClasssMax(GemmParams params) {
        DeviceContext context = OpenClTestDevice.get();
        Random rng = new Random(7);
        Map<Integer, GemmKernel> rendered = new HashMap<>();
        Map<Integer, Kernel> built = new HashMap<>(); // one program per number of centres: PoCL takes seconds a GEMM
        try {
            for (int[] s : new int[][] {{1, 1, 1, 1, 2}, {7, 100, 33, 3, 3}, {70, 45, 19, 5, 2}}) {
                int centres = s[4];
                GemmKernel k = rendered.computeIfAbsent(centres, c -> GemmTemplate.renderRowFold(GemmVariant.NT, params, "folded", withCentres(c)));
                checkCentres(context, rng, params, k, built.computeIfAbsent(centres, c -> context.build(k.source()).kernel(k.name())), s);
            }
        } finally {
            built.values().forEach(Kernel::release);
        }
    }

    private static void checkCentres(DeviceContext context, Random rng, GemmParams params, GemmKernel k, Kernel kernel, int[] s) {
        int m = s[0];
        int classes = s[1];
        int depth = s[2];
        int splits = s[3];
        int centres = s[4];
        int n = classes * centres;
        float[] a = ReferenceGemm.random(rng, m * depth);
        float[] b = ReferenceGemm.random(rng, n * depth);
        int nanClass = classes > 5 ? 5 : -1;
        if (nanClass >= 0) {
            b[(nanClass * centres + 1) * depth + depth / 2] = Float.NaN;
        }
        int[] ld = k.denseLeadingDimensions(m, n, depth);
        try (DeviceBuffer ab = context.upload("A", a);
             DeviceBuffer bb = context.upload("B", b);
             DeviceBuffer cb = context.floatBuffer("C", (long) m * n);
             DeviceBuffer cm = context.floatBuffer("CM", (long) m * classes);
             DeviceBuffer partials = context.floatBuffer("partials", 2L * splits * m)) {
            kernel.args(m, n, depth, ab, ld[0], bb, ld[1], cb, ld[2], cm, classes, partials).launch(k.globalSize(m, n, splits), k.localSize());
            float[] c = cb.downloadFloats();
            float[] maxima = cm.downloadFloats();
            float[] p = partials.downloadFloats();
            ReferenceGemm ref = new ReferenceGemm(GemmVariant.NT, m, n, depth, a, b);
            String at = params + " " + m + "x" + classes + "x" + centres + "x" + depth;
            for (int i = 0; i < m; i++) {
                double max = Double.NEGATIVE_INFINITY;
                double sum = 0;
                double bound = 0;
                for (int j = 0; j < n; j++) {
                    double tolerance = Double.isNaN(ref.c[i * n + j]) ? 0 : 2e-6 * ref.magnitude[i * n + j] + 1e-30;
                    assertEquals(ref.c[i * n + j], c[i * n + j], tolerance, at + ": C[" + i + "," + j + "]");
                }
                for (int cl = 0; cl < classes; cl++) {
                    float expected = Float.NEGATIVE_INFINITY;
                    for (int centre = 0; centre < centres; centre++) {
                        float v = c[i * n + cl * centres + centre];
                        expected = Float.isNaN(expected) || Float.isNaN(v) ? Float.NaN : Math.max(expected, v);
                    }
                    assertEquals(expected, maxima[i * classes + cl], 0, at + ": CM[" + i + "," + cl + "]");
                    assertEquals(cl == nanClass, Float.isNaN(expected), at + ": the NaN is in class " + nanClass + " only");
                    if (!Float.isNaN(expected)) { // the test's fold takes fmax, which passes NaN over
                        max = Math.max(max, expected);
                    }
                    sum += expected;
                    for (int centre = 0; centre < centres; centre++) {
                        bound += ref.magnitude[i * n + cl * centres + centre];
                    }
                }
                double gotMax = Double.NEGATIVE_INFINITY;
                double gotSum = 0;
                for (int g = 0; g < splits; g++) {
                    gotMax = Math.max(gotMax, p[g * m + i]);
                    gotSum += p[(splits + g) * m + i];
                }
                assertEquals(max, gotMax, 0, at + ": row " + i + "'s max");
                if (Double.isNaN(sum) ? !Double.isNaN(gotSum) : !(Math.abs(gotSum - sum) <= 3e-6 * bound)) {
                    fail(at + ": row " + i + " sums to " + gotSum + ", expected " + sum);
                }
            }
        }
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
