package org.arcgrad.opencl.gemm;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every variant × every kernel form against fp64, on sizes that hit every edge path: 1, primes,
 * non-multiples of the tiles, exact multiples, and the ArcFace head's shapes scaled down.
 *
 * <p>Tolerance: |c − c_ref| ≤ 4e-6 · Σ_k |a_ik·b_kj|. fp32 sums of K products carry a rounding
 * error bounded by about K·2⁻²⁴ times that magnitude in the worst case and √K·2⁻²⁴ typically;
 * for K up to ~600 here the typical bound is ~1.5e-6, so 4e-6 leaves room for unlucky elements
 * while any indexing mistake (a wrong or missing product) shows up as an error of order 1.
 * Normalizing by Σ|a·b| rather than |c| keeps elements that cancel to near zero from failing.
 */
class GemmCorrectnessTest {
    static final double TOLERANCE = 4e-6;

    /** Each form of the template, with small tiles so that small sizes still cross tile edges. */
    static List<GemmParams> paramSets() {
        return List.of(
            GemmDefaults.cpu(GemmVariant.NN),
            GemmDefaults.cpu(GemmVariant.NT),
            GemmDefaults.gpu(GemmVariant.NN),
            new GemmParams(4, 16, 8, 1, 1, 8, 8, 2, false, false),   // direct, vectors of 8
            new GemmParams(6, 12, 8, 2, 3, 2, 2, 3, false, true),    // direct, MDIMC/NDIMC > 1, odd unroll
            new GemmParams(3, 5, 8, 1, 1, 1, 1, 1, false, false),    // scalar everything
            new GemmParams(16, 16, 8, 4, 4, 4, 4, 4, true, false),   // local memory, vectors of 4
            new GemmParams(8, 12, 5, 2, 3, 1, 1, 5, true, true));    // local memory, scalar, odd KWG
    }

    static int[][] shapes() {
        return new int[][] {
            {1, 1, 1}, {1, 1, 7}, {1, 13, 1}, {11, 1, 3}, {2, 3, 5},
            {7, 11, 13}, {17, 19, 23}, {31, 37, 41}, {67, 61, 59},
            {64, 64, 64}, {33, 65, 17}, {16, 96, 48},
            // ArcFace head, N=256 D=512 C=10000 scaled down by 8: forward M=32 N=1250 K=64 and the backward products.
            {32, 1250, 64}, {32, 64, 1250}, {1250, 64, 32},
            {5, 3, 600}};
    }

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (GemmVariant v : GemmVariant.values()) {
            for (GemmParams p : paramSets()) {
                cases.add(Arguments.of(v, p));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void matchesFp64Reference(GemmVariant variant, GemmParams params) {
        JoclDevice device = OpenClTestDevice.get();
        Random rng = new Random(variant.ordinal() * 1000L + params.hashCode());
        try (CompiledGemm gemm = new CompiledGemm(device, GemmTemplate.render(variant, params, Epilogue.identity()))) {
            for (int[] s : shapes()) {
                check(device, gemm, rng, s[0], s[1], s[2], null);
            }
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void appliesEpilogueWithScalarAndBufferArguments(GemmVariant variant, GemmParams params) {
        JoclDevice device = OpenClTestDevice.get();
        Random rng = new Random(7 + variant.ordinal());
        // Uses row, col, acc, a scalar and a per-column buffer: a cosine-margin-like shape.
        Epilogue epilogue = Epilogue.of("s * acc - (col == (row % 7) ? margin[col] : 0.0f)",
            "const float s", "__global const float* restrict margin");
        try (CompiledGemm gemm = new CompiledGemm(device, GemmTemplate.render(variant, params, epilogue))) {
            for (int[] s : new int[][] {{1, 1, 1}, {13, 29, 17}, {40, 70, 33}}) {
                check(device, gemm, rng, s[0], s[1], s[2], 1.5f);
            }
        }
    }

    private static void check(JoclDevice device, CompiledGemm gemm, Random rng, int m, int n, int k, Float scale) {
        GemmVariant v = gemm.kernel().variant();
        float[] a = ReferenceGemm.random(rng, m * k);
        float[] b = ReferenceGemm.random(rng, n * k);
        float[] marginValues = ReferenceGemm.random(rng, n);
        JoclDevice.Buffer ab = device.upload(a);
        JoclDevice.Buffer bb = device.upload(b);
        JoclDevice.Buffer cb = device.upload(new float[m * n]);
        JoclDevice.Buffer margin = device.upload(marginValues);
        try {
            if (scale == null) {
                gemm.run(m, n, k, ab, bb, cb);
            } else {
                gemm.run(m, n, k, ab, bb, cb, scale, margin);
            }
            float[] c = device.read(cb);
            ReferenceGemm ref = new ReferenceGemm(v, m, n, k, a, b);
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    int e = i * n + j;
                    double expected = ref.c[e];
                    double bound = ref.magnitude[e];
                    if (scale != null) {
                        expected = scale * expected - (j == i % 7 ? marginValues[j] : 0.0);
                        bound = scale * bound + Math.abs(marginValues[j]);
                    }
                    double error = Math.abs(c[e] - expected);
                    if (!(error <= TOLERANCE * bound + 1e-30)) {
                        fail(v + " " + m + "x" + n + "x" + k + " " + gemm.kernel().params() + ": C[" + i + "," + j + "] = " + c[e]
                            + ", expected " + expected + " (error " + error + " > " + TOLERANCE + " * " + bound + ")");
                    }
                }
            }
        } finally {
            device.release(ab);
            device.release(bb);
            device.release(cb);
            device.release(margin);
        }
    }
}
