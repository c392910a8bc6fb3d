package org.arcgrad.opencl.gemm;

import org.arcgrad.opencl.runtime.DeviceType;

/**
 * Split K: a product whose output has too few tiles to keep the device busy, but a long K (the
 * head's grad x = G·W, 256×512 with K = C classes; a convolution's weight gradient, 16×144 with K
 * = batch × positions), is computed as S partial products over consecutive slices of K, one
 * layer of work-groups each ({@link GemmTemplate#renderSplitK}), into S blocks of M×N, and a
 * second kernel sums the blocks in a fixed order ({@link #sumSource}): deterministic, no atomics.
 *
 * <p>Without it, the H200 ran the head's G·W at C = 100 000 on 128 work-groups at 3.7 TFLOP/s,
 * where its wide products ran at 22; a 2-core CPU ran a 16×144 weight gradient on one core.
 */
public final class SplitK {
    /** Below this depth a product is small: a second launch and the partial blocks cost more than idle units. */
    public static final int MIN_DEPTH = 4096;
    /** Each slice is at least this deep, so that a work-group's walk along K still amortizes its tile loads. */
    public static final int MIN_SLICE = 1024;
    /** Slices are multiples of this (16 floats: a 64-byte line), so every slice starts aligned where K does. */
    static final int SLICE_ALIGN = 16;
    /** At most this many slices: the partial blocks take S × M × N floats. */
    public static final int MAX_SLICES = 32;
    /** Work-groups a CPU product should give: one or more per core on the machines we run on. */
    public static final int CPU_ENOUGH_GROUPS = 16;
    /**
     * On a CPU, an NT product's slices are at most this deep. Its dot-product tiles (4×6) read each
     * row of A once per 6 rows of B and each row of B once per 4 rows of A, all along K; over a K
     * of 200 704 these reads come from memory, over a slice of 6 144 from the caches. Measured on 2
     * PoCL cores, a convolution's weight gradients, unsplit vs this deep: 16×144×200 704 14.4 vs 7.5
     * ms, 32×288×50 176 9.3 vs 5.0, 64×576×12 544 5.9 vs 4.7, 32×16×50 176 0.77 vs 0.61, and
     * 128×256×50 176 27.4 vs 23.9; only for outputs of at most {@value #CPU_NT_SMALL_OUTPUT}
     * elements: 256×512×8 192 ran 12.8 ms unsplit and 15.6 in two slices. Rerun with
     * {@code java -cp arcface/target/arcgrad-cli.jar tools/SplitKTiming.java NT 16 144 200704 1 32}.
     */
    public static final int CPU_NT_SLICE = 6144;
    /** The most elements M·N an NT product split by depth ({@link #CPU_NT_SLICE}) has. */
    public static final long CPU_NT_SMALL_OUTPUT = 1L << 16;

    private SplitK() {
    }

    /**
     * How many slices of K the product M×N×K with {@code params} gets on {@code device}: 1 (no
     * split) when K is short; when the output gives too few work-groups ({@value #CPU_ENOUGH_GROUPS}
     * on a CPU, {@link GemmDefaults#GPU_ENOUGH_GROUPS} on a GPU), enough layers of them to reach
     * that, within {@value #MIN_SLICE}-deep slices; a small NT product on a CPU, slices at most
     * {@value #CPU_NT_SLICE} deep; {@value #MAX_SLICES} at most.
     */
    public static int slices(DeviceLimits device, GemmVariant variant, GemmParams params, int m, int n, int k) {
        if (k < MIN_DEPTH) {
            return 1;
        }
        boolean cpu = device.type() == DeviceType.CPU;
        long groups = params.workGroups(variant, m, n);
        long enough = cpu ? CPU_ENOUGH_GROUPS : GemmDefaults.GPU_ENOUGH_GROUPS;
        long forGroups = groups >= enough ? 1 : Math.min(ceilDiv(enough, groups), k / MIN_SLICE);
        long forCache = cpu && variant == GemmVariant.NT && (long) m * n <= CPU_NT_SMALL_OUTPUT ? ceilDiv(k, CPU_NT_SLICE) : 1;
        long wanted = Math.min(Math.max(forGroups, forCache), MAX_SLICES);
        if (wanted <= 1) {
            return 1;
        }
        // the slices actually launched: the length rounds up, which may leave fewer of them
        return (int) ceilDiv(k, sliceLength(k, (int) wanted));
    }

    /** The depth of each slice (the last may be shorter): K / S rounded up to a multiple of {@value #SLICE_ALIGN}. */
    public static int sliceLength(int k, int slices) {
        long length = ceilDiv(k, slices);
        return (int) Math.min(k, ceilDiv(length, SLICE_ALIGN) * SLICE_ALIGN);
    }

    /** Global size {dim0, dim1, S} of the partial products: {@link GemmKernel#globalSize} per layer. */
    public static long[] globalSize(GemmKernel kernel, int m, int n, int slices) {
        long[] g = kernel.globalSize(m, n);
        return new long[] {g[0], g[1], slices};
    }

    /** Local size {NDIMC, MDIMC, 1}. */
    public static long[] localSize(GemmKernel kernel) {
        long[] l = kernel.localSize();
        return new long[] {l[0], l[1], 1};
    }

    /** Work-items per work-group of the sum kernel. */
    public static final int SUM_GROUP = 64;

    /** The sum kernel's global size for {@code elements} outputs: one work-item each, rounded up to {@value #SUM_GROUP}. */
    public static long[] sumGlobalSize(long elements) {
        return new long[] {ceilDiv(elements, SUM_GROUP) * SUM_GROUP};
    }

    /** The sum kernel's local size, {{@value #SUM_GROUP}}. */
    public static long[] sumLocalSize() {
        return new long[] {SUM_GROUP};
    }

    /** The sum kernel's name: one source for every shape, built once and shared through the program cache. */
    public static final String SUM_KERNEL = "arcgrad_split_k_sum";

    /**
     * OpenCL C of {@value #SUM_KERNEL}{@code (out, parts, elements, slices)}: out[i] is the sum of
     * the {@code slices} blocks of {@code elements} partial products at i, slice 0 first; one
     * work-item per element (launch {@code elements} rounded up to any work-group size: the rest
     * return).
     */
    public static String sumSource() {
        return "__kernel void " + SUM_KERNEL + "(__global float* restrict out, const __global float* restrict parts,\n"
                + "                                  const int elements, const int slices) {\n"
                + "    const int i = get_global_id(0);\n"
                + "    if (i >= elements) return;\n"
                + "    float s = parts[i];\n"
                + "    for (int z = 1; z < slices; ++z) {\n"
                + "        s += parts[(size_t)z * elements + i];\n"
                + "    }\n"
                + "    out[i] = s;\n"
                + "}\n";
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }
}
