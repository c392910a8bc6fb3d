package org.arcgrad.opencl.gemm;

import org.arcgrad.opencl.runtime.DeviceType;

/**
 * Default parameters, chosen by device kind and variant.
 *
 * <h2>CPU (measured with PoCL 3.1 on 2 AMD EPYC cores with AVX-512, shared with other work; see GemmBenchmark)</h2>
 * PoCL turns a work-group into a loop over its work-items and vectorizes only what the kernel
 * spells as vectors, so the CPU sets use explicit float16 vectors (one AVX-512 register) and
 * register tiles that fill most of the 32 vector registers without spilling:
 * <ul>
 *   <li>NT (forward x·Wᵀ): dot-product form, 4×6 elements per work-item, each a float16 of
 *   partial sums along K; one work-item per group; row tiles first, so the 6 rows of W a
 *   work-item reads stay in L1 while the rows of x (a few hundred KB) stream from L2. Measured
 *   side by side (round-robin): 153-167 GFLOP/s, against 78 with column tiles first and 40-98
 *   for groups of 2-8 work-items (PoCL keeps every work-item's 24 float16 accumulators in memory
 *   across the K-chunk barrier).</li>
 *   <li>NN (grad_x = G·W, K = C is long): outer-product form, 8 rows × 2 float16 vectors per
 *   work-item, 8×2 work-items per group (a 64×64 tile), walking K in chunks of 256 with a barrier
 *   after each: PoCL then runs the 16 work-items on the same chunk of W one after the other, the
 *   K-blocking of a CPU BLAS. Without it a 100 000-long K ran from memory at 20 GFLOP/s; with it
 *   at 150-240. Bigger groups (128×64, 256×128) measured the same within noise but waste more
 *   work when M is small.</li>
 *   <li>TN (grad_W = Gᵀ·x, K = batch is short): outer-product form, 8×32 per work-item, one
 *   work-item per group, column tiles first (the 8 rows of Gᵀ stay in L1, x streams from L2);
 *   K is short enough that blocking it only adds overhead (K-blocked groups: 115-159 GFLOP/s
 *   against 165-190).</li>
 *   <li>TT runs as NN internally and takes NN's set.</li>
 * </ul>
 * For contrast, the GPU form (local-memory tiles, barriers every KWG) ran NT at 16-32 GFLOP/s on
 * PoCL, and register tiles written as loops over private arrays (not unrolled) at about 34.
 * Other shapes may prefer other sets: {@link GemmTuner} measures {@link GemmCandidates} on the
 * device for a given shape.
 *
 * <h2>GPU (measured on an NVIDIA H200, 132 compute units, with {@link GemmTuner}; see forShape)</h2>
 * The local-memory form, with the tile by how many work-groups a product gives. The middle set
 * ({@link #gpu}): 64×64 tiles, 8×8 work-items (two NVIDIA warps, one AMD wavefront), 8×8
 * accumulators per work-item in float4 vectors, KWG=16 (8.3 KB of local memory). Larger products
 * take 128×128 tiles of 16×16 work-items ({@link #gpuLarge}), products with few output tiles
 * 32×32 tiles of 16×16 work-items walking K 32 at a time ({@link #gpuSmall}). Run {@link GemmTuner}
 * with {@link GemmCandidates#gpu} on another card to see whether it agrees.
 */
public final class GemmDefaults {
    private GemmDefaults() {
    }

    public static GemmParams forDevice(DeviceLimits device, GemmVariant variant) {
        return device.type() == DeviceType.CPU ? cpu(variant) : gpu(variant);
    }

    /** Above this K, NN and TT products on a CPU walk K in blocks ({@link #cpu}); at or below it, they do not. */
    public static final int CPU_SHORT_K = 4096;

    /**
     * Work-groups a GPU product should give at the least (about four per compute unit of the
     * H200's 132) before larger tiles pay: below it, units idle while a few groups walk all of K.
     */
    public static final int GPU_ENOUGH_GROUPS = 512;

    /**
     * The parameters for one product of M×N×K. On a CPU, NN and TT products with a short K (at
     * most {@value #CPU_SHORT_K}: an MLP's input gradients, where K is a layer width; a
     * convolution's weights · patches) take the direct outer-product form of TN, 8×32 per
     * work-item, without K-blocking and rows first ({@link #cpuShortK}): blocking pays off
     * only when a B panel no longer stays in cache. Measured on the same 2 PoCL cores, NN
     * 256×512×K, GFLOP/s direct vs blocked: K=512 175 vs 153, 1024 345 vs 290, 2048 338 vs 315,
     * 4096 364 vs 314, 10000 196 vs 298, 30000 138 vs 276; and on an MLP's 256×256×128 301 vs 157.
     * With a longer K, an output of whole 256×128 tiles takes those tiles ({@link #cpuLongK}).
     *
     * <p>On a GPU the largest tile that still gives {@value #GPU_ENOUGH_GROUPS} work-groups:
     * 128×128 ({@link #gpuLarge}), else 64×64 ({@link #gpu}), else 32×32 ({@link #gpuSmall}); a
     * set the device cannot run (work-groups of 256) falls back to 64×64. Measured on the H200,
     * GFLOP/s of the chosen set against 64×64 everywhere: the head's x·Wᵀ 256×100000×512 22 571
     * vs 18 611, Gᵀ·x 100000×512×256 24 446 vs 21 696, and G·W 256×512×K, 32 tiles of 64×64:
     * K=100000 3 658 vs 806, K=10000 4 325 vs 1 068; an MLP's 256×256×256 1 808 vs 564.
     * Every other case takes {@link #forDevice}.
     */
    public static GemmParams forShape(DeviceLimits device, GemmVariant variant, int m, int n, int k) {
        if (device.type() == DeviceType.CPU) {
            if (variant == GemmVariant.NN || variant == GemmVariant.TT) {
                if (k <= CPU_SHORT_K) {
                    return cpuShortK();
                }
                if (m % 256 == 0 && n % 128 == 0 && cpuLongK().fitsOn(device)) {
                    return cpuLongK();
                }
            }
            return cpu(variant);
        }
        GemmParams chosen = gpuLarge().workGroups(variant, m, n) >= GPU_ENOUGH_GROUPS ? gpuLarge()
                : gpu(variant).workGroups(variant, m, n) >= GPU_ENOUGH_GROUPS ? gpu(variant) : gpuSmall();
        return chosen.fitsOn(device) ? chosen : gpu(variant);
    }

    /**
     * NN and TT products with a long K on a CPU whose output is whole 256×128 tiles: K-blocked like
     * {@link #cpu}'s NN set, but tiles of 256×128 of 32×4 work-items. Measured on 2 PoCL cores
     * (AMD EPYC, AVX-512) with {@link GemmTuner}, GFLOP/s against 64×64 tiles: the head's G·W
     * 256×512×K, K = 10 000 191 vs 169, 100 000 188 vs 151-155, 1 000 000 181 vs 151; 512×128×30 000
     * 180 vs 158; 256×256×8192 190 vs 179. The head's G·W then gives 4 work-groups, so {@link
     * SplitK} splits it 4 ways: 180 GFLOP/s with the sum, in {@code ./arcgrad bench gemm}. An
     * output that does not fill the tiles keeps 64×64: the larger tile would compute its padding.
     */
    public static GemmParams cpuLongK() {
        return new GemmParams(256, 128, 256, 32, 4, 16, 16, 2, false, false);
    }

    /**
     * How the compiler runs a product: its variant and parameters, the slices of K it is split
     * into ({@link SplitK}), and whether it reads a transposed copy of A (a CPU's wide x·Wᵀ, which
     * then runs as TT, unsplit: {@link #cpuTransposesA}).
     */
    public record Choice(GemmVariant variant, GemmParams params, int slices, boolean copiesA) {
    }

    /**
     * The {@link Choice} for a product of M×N×K read as {@code variant}: {@link #forShape}'s
     * parameters and {@link SplitK}'s slices, except that an unsplit NT product that
     * {@link #cpuTransposesA} runs as TT over a copy of A with {@link #cpuTransposedA}.
     */
    public static Choice forProduct(DeviceLimits device, GemmVariant variant, int m, int n, int k) {
        GemmParams params = forShape(device, variant, m, n, k);
        int slices = SplitK.slices(device, variant, params, m, n, k);
        if (slices == 1 && cpuTransposesA(device, variant, n)) {
            return new Choice(GemmVariant.TT, cpuTransposedA(), 1, true);
        }
        return new Choice(variant, params, slices, false);
    }

    /** CPU NT products with at least this many output columns may run as TT over a transposed copy of A ({@link #cpuTransposesA}). */
    public static final int CPU_TRANSPOSED_A_COLUMNS = 768;

    /**
     * Whether a product x·Wᵀ (NT) on a CPU runs as TT over a transposed copy of A
     * ({@link TransposedCopy}) with {@link #cpuTransposedA}'s parameters: where N is at least
     * {@value #CPU_TRANSPOSED_A_COLUMNS} and not a multiple of 512. The outer-product form (vectors
     * along M, a row of Aᵀ) then replaces NT's dot products, whose float16 partial sums each end in
     * a horizontal sum; A, a batch of rows, costs one pass to copy. Measured on 2 PoCL cores
     * (AMD EPYC, AVX-512) with {@link GemmTuner}, GFLOP/s NT (4×6) against TT (6×64, columns
     * first): 256×1984×512 158 vs 205-209, 256×2000×512 155 vs 197, 256×100000×512 157 vs 199,
     * 256×1152×512 154 vs 201, 256×800×512 169 vs 208, 512×4000×512 161 vs 195; but where N is a
     * multiple of 512 TT's stores into C (a lane per row of C, N floats apart) alias in the cache:
     * 256×1024×512 165 vs 157-163, 256×1536×512 168 vs 105, 256×2048×512 168 vs 157, 256×16384×512
     * 155 vs 147, 64×4096×128 96 vs 44. Short outputs keep NT: the copy is not paid back.
     */
    public static boolean cpuTransposesA(DeviceLimits device, GemmVariant variant, int n) {
        return device.type() == DeviceType.CPU && variant == GemmVariant.NT && n >= CPU_TRANSPOSED_A_COLUMNS && n % 512 != 0;
    }

    /** TT over a transposed copy of A on a CPU ({@link #cpuTransposesA}): 6×64 per work-item, one work-item per group, columns first. */
    public static GemmParams cpuTransposedA() {
        return new GemmParams(6, 64, 16, 1, 1, 16, 16, 2, false, false);
    }

    public static GemmParams cpu(GemmVariant variant) {
        return switch (variant) {
            case NT -> new GemmParams(4, 6, 16, 1, 1, 1, 16, 2, false, true);
            case NN, TT -> new GemmParams(64, 64, 256, 8, 2, 16, 16, 2, false, false);
            case TN -> new GemmParams(8, 32, 16, 1, 1, 16, 16, 2, false, false);
        };
    }

    /**
     * NN and TT products with a short K on a CPU: TN's direct form (8×32 per work-item, no
     * K-blocking), walking down the rows of C first, so that each K×32 panel of B is read from
     * memory once while the rows of A (at most a few hundred KB) stay in cache. Columns first, B
     * streamed once per 8 rows of C: a convolution's weights · patches (M = output channels, N =
     * batch × positions, B the patch matrix of 10-100 MB) ran 2-2.4× slower. Measured on 2 PoCL
     * cores, GFLOP/s rows first vs columns first: 16×200704×144 67 vs 40, 32×50176×288 135 vs 56,
     * 64×12544×576 220 vs 100, 32×50176×16 91 vs 71, 256×784×512 129 vs 98; an MLP's 256×512×256
     * 144 vs 147 and 256×256×128 153 vs 155 (noise). Rerun with {@link GemmTuner}, e.g.
     * {@code java -cp arcface/target/arcgrad-cli.jar org.arcgrad.opencl.gemm.GemmTuner NN 32 50176 288 7
     * 8,32,16,1,1,16,16,2,0,1 8,32,16,1,1,16,16,2,0,0}.
     */
    public static GemmParams cpuShortK() {
        return new GemmParams(8, 32, 16, 1, 1, 16, 16, 2, false, true);
    }

    public static GemmParams gpu(GemmVariant variant) {
        return new GemmParams(64, 64, 16, 8, 8, 4, 4, 4, true, false);
    }

    /** GPU products of many tiles: 128×128 tiles, 16×16 work-items, 8×8 accumulators each in float4s. */
    public static GemmParams gpuLarge() {
        return new GemmParams(128, 128, 16, 16, 16, 4, 4, 4, true, false);
    }

    /** GPU products of few tiles (G·W, K = C long, output N×D): 32×32 tiles, 16×16 work-items of 2×2, K 32 at a time. */
    public static GemmParams gpuSmall() {
        return new GemmParams(32, 32, 32, 16, 16, 2, 4, 8, true, false);
    }
}
