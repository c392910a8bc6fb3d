package org.arcgrad.opencl.gemm;

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
 * The door for GEMM → epilogue → row reduction in one kernel: an output stage that walks all
 * column tiles and reduces each row (here a plain sum of the epilogue's values) gets the same
 * register tile and epilogue as the plain GEMM, in every form.
 */
class RowReductionDoorTest {

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (GemmVariant v : List.of(GemmVariant.NN, GemmVariant.NT, GemmVariant.TN)) {
            cases.add(Arguments.of(v, GemmDefaults.cpu(v)));
            cases.add(Arguments.of(v, GemmDefaults.gpu(v)));
            cases.add(Arguments.of(v, new GemmParams(6, 12, 8, 2, 3, 2, 2, 3, false, true)));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void rowSumsOfTheEpiloguesValuesMatchFp64(GemmVariant variant, GemmParams params) {
        DeviceContext context = OpenClTestDevice.get();
        GemmKernel k = GemmTemplate.render(variant, params, Epilogue.of("acc * s", "const float s"), "rowsum",
            new RowSumOutput(params.ndimc()));
        Random rng = new Random(11);
        Kernel kernel = context.build(k.source()).kernel(k.name());
        try {
            for (int[] s : new int[][] {{1, 1, 1}, {7, 300, 33}, {70, 131, 19}}) {
                int m = s[0];
                int n = s[1];
                int depth = s[2];
                float[] a = ReferenceGemm.random(rng, m * depth);
                float[] b = ReferenceGemm.random(rng, n * depth);
                int[] ld = k.denseLeadingDimensions(m, n, depth);
                try (DeviceBuffer ab = context.upload("A", a);
                     DeviceBuffer bb = context.upload("B", b);
                     DeviceBuffer sums = context.floatBuffer("rowSums", (long) m * params.ndimc())) {
                    kernel.args(m, n, depth, ab, ld[0], bb, ld[1], sums, 0.5f).launch(k.globalSize(m, n), k.localSize());
                    float[] partials = sums.downloadFloats();
                    ReferenceGemm ref = new ReferenceGemm(variant, m, n, depth, a, b);
                    for (int i = 0; i < m; i++) {
                        double got = 0;
                        for (int t = 0; t < params.ndimc(); t++) {
                            got += partials[i * params.ndimc() + t];
                        }
                        double expected = 0;
                        double bound = 0;
                        for (int j = 0; j < n; j++) {
                            expected += 0.5 * ref.c[i * n + j];
                            bound += 0.5 * ref.magnitude[i * n + j];
                        }
                        // fp32 dot products (2e-6 of Σ|a·b|, as the GEMM tests) plus an fp32 sum of up to 300
                        // values (√300·2⁻²⁴ ≈ 1e-6 of the same magnitude, typically).
                        if (!(Math.abs(got - expected) <= 3e-6 * bound)) {
                            fail(variant + " " + m + "x" + n + "x" + depth + " " + params + ": row " + i + " sums to " + got
                                + ", expected " + expected);
                        }
                    }
                }
            }
        } finally {
            kernel.release();
        }
    }

    @Test
    void ttCannotReduceRowsBecauseItComputesTheTranspose() {
        assertThrows(IllegalArgumentException.class, () -> GemmTemplate.render(GemmVariant.TT, GemmDefaults.cpu(GemmVariant.TT),
            Epilogue.identity(), "rowsum", new RowSumOutput(2)));
    }
}
