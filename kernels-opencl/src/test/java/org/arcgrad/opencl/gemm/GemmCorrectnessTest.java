package org.arcgrad.opencl.gemm;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.arcgrad.opencl.runtime.DeviceBuffer;
import org.arcgrad.opencl.runtime.DeviceContext;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every variant × every kernel form against fp64, on sizes that hit every edge path: 1, primes,
 * non-multiples of the tiles, exact multiples, and the ArcFace head's shapes scaled down.
 *
 * <p>Tolerance: |c − c_ref| ≤ 2e-6 · Σ_k |a_ik·b_kj|, per element. That is the normalization of
 * the reference BLAS tests (fp32 summation error is bounded by γ_K·Σ|a·b| with γ_K ≈ K·2⁻²⁴, and
 * grows like √K·2⁻²⁴ in practice); relative to |c| itself it would fail on elements that cancel to
 * near zero. Measured maxima with the default parameters on these shapes (K up to 4096) were
 * 0.3e-6; any indexing mistake (a product missed, doubled or taken from the wrong row) is an
 * error of order Σ|a·b|/K or more, far above 2e-6.
 */
class GemmCorrectnessTest {
    static final double TOLERANCE = 2e-6;

    /**
     * Each form of the template for {@code variant}: the defaults, and small tiles so that small
     * sizes still cross tile edges (direct outer/dot product, K-blocked groups, local memory).
     */
    static List<GemmParams> paramSets(GemmVariant variant) {
        List<GemmParams> sets = new ArrayList<>(List.of(
            GemmDefaults.cpu(variant),
            GemmDefaults.gpu(variant),
            GemmDefaults.gpuLarge(),                                  // GPU, many tiles: 128×128 of 16×16 work-items
            GemmDefaults.gpuSmall(),                                  // GPU, few tiles: 32×32, K 32 at a time
            new GemmParams(4, 16, 8, 1, 1, 8, 8, 2, false, false),   // direct, vectors of 8
            new GemmParams(6, 12, 8, 2, 3, 2, 2, 3, false, true),    // direct, K-blocked group of 6, odd unroll
            new GemmParams(3, 5, 8, 1, 1, 1, 1, 1, false, false),    // scalar everything
            new GemmParams(16, 16, 8, 4, 4, 4, 4, 4, true, false),   // local memory, vectors of 4
            new GemmParams(8, 12, 5, 2, 3, 1, 1, 5, true, true)));   // local memory, scalar, odd KWG
        if (variant != GemmVariant.NT) {
            sets.add(GemmDefaults.cpuShortK()); // CPU, NN/TT with a short K: the outer-product form, rows first
            sets.add(GemmDefaults.cpuLongK());  // CPU, NN/TT with a long K and whole 256×128 tiles: 32×4 work-items
        }
        if (variant == GemmVariant.TT) {
            sets.add(GemmDefaults.cpuTransposedA()); // CPU, x·Wᵀ over a transposed copy of x: 6×64, columns first
        }
        return sets;
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
            for (GemmParams p : paramSets(v)) {
                cases.add(Arguments.of(v, p));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void matchesFp64Reference(GemmVariant variant, GemmParams params) {
        DeviceContext device = OpenClTestDevice.get();
        Random rng = new Random(variant.ordinal() * 1000L + params.hashCode());
        try (CompiledGemm gemm = new CompiledGemm(device, GemmTemplate.render(variant, params, Epilogue.identity()))) {
            for (int[] s : shapes()) {
                check(device, gemm, rng, s[0], s[1], s[2], null);
            }
        }
    }

    static Stream<Arguments> splitCases() {
        List<Arguments> cases = new ArrayList<>();
        for (GemmVariant v : GemmVariant.values()) {
            for (GemmParams p : List.of(GemmDefaults.cpu(v), GemmDefaults.gpuSmall(), new GemmParams(3, 5, 8, 1, 1, 1, 1, 1, false, false))) {
                cases.add(Arguments.of(v, p));
            }
        }
        return cases.stream();
    }

    /** Split K as {@link CompiledGemm#splitK} runs it (partial products, then their sum), over 1, 2, 3 and 7 slices. */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("splitCases")
    void splitKMatchesFp64Reference(GemmVariant variant, GemmParams params) {
        DeviceContext device = OpenClTestDevice.get();
        Random rng = new Random(variant.ordinal() * 1000L + params.hashCode() + 1);
        for (int slices : new int[] {1, 2, 3, 7}) {
            try (CompiledGemm gemm = CompiledGemm.splitK(device, variant, params, slices)) {
                for (int[] s : new int[][] {{1, 1, 600}, {5, 3, 600}, {7, 11, 1001}, {33, 65, 517}}) {
                    // slices as the compiler counts them: a shorter K may need fewer, never more than K / 16 of 16
                    if (s[2] >= slices && (s[2] + SplitK.sliceLength(s[2], slices) - 1) / SplitK.sliceLength(s[2], slices) == slices) {
                        check(device, gemm, rng, s[0], s[1], s[2], null);
                    }
                }
            }
        }
    }

    /** One parameter set per form (direct outer/dot, local, K-blocked groups) is enough to check the epilogue's wiring. */
    static Stream<Arguments> epilogueCases() {
        List<Arguments> cases = new ArrayList<>();
        for (GemmVariant v : GemmVariant.values()) {
            cases.add(Arguments.of(v, GemmDefaults.cpu(v)));
            cases.add(Arguments.of(v, GemmDefaults.gpu(v)));
            cases.add(Arguments.of(v, new GemmParams(6, 12, 8, 2, 3, 2, 2, 3, false, true)));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("epilogueCases")
    void appliesEpilogueWithScalarAndBufferArguments(GemmVariant variant, GemmParams params) {
        DeviceContext device = OpenClTestDevice.get();
        Random rng = new Random(7 + variant.ordinal());
        // Uses row, col, acc, a scalar, a per-column buffer and a helper function of its preamble: a
        // cosine-margin-like shape.
        Epilogue epilogue = Epilogue.of("scaled(s, acc) - (col == (row % 7) ? margin[col] : 0.0f)",
            "const float s", "__global const float* restrict margin").withPreamble("float scaled(float s, float v) { return s * v; }");
        try (CompiledGemm gemm = new CompiledGemm(device, GemmTemplate.render(variant, params, epilogue))) {
            // Edge tiles, and a shape whose tiles are all inside C (the vector-store path).
            for (int[] s : new int[][] {{1, 1, 1}, {13, 29, 17}, {40, 70, 33}, {128, 64, 20}}) {
                check(device, gemm, rng, s[0], s[1], s[2], 1.5f);
            }
        }
    }

    private static void check(DeviceContext device, CompiledGemm gemm, Random rng, int m, int n, int k, Float scale) {
        GemmVariant v = gemm.kernel().variant();
        float[] a = ReferenceGemm.random(rng, m * k);
        float[] b = ReferenceGemm.random(rng, n * k);
        float[] marginValues = ReferenceGemm.random(rng, n);
        DeviceBuffer ab = device.upload("A", a);
        DeviceBuffer bb = device.upload("B", b);
        DeviceBuffer cb = device.upload("C", new float[m * n]);
        DeviceBuffer margin = device.upload("margin", marginValues);
        try {
            if (scale == null) {
                gemm.run(m, n, k, ab, bb, cb);
            } else {
                gemm.run(m, n, k, ab, bb, cb, scale, margin);
            }
            float[] c = cb.downloadFloats();
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
            ab.release();
            bb.release();
            cb.release();
            margin.release();
        }
    }
}
