package org.arcgrad.opencl.gemm;

import org.arcgrad.opencl.bench.Median;
import org.arcgrad.opencl.bench.PythonPeer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import org.arcgrad.opencl.bench.Warmup;
import org.arcgrad.opencl.runtime.DeviceBuffer;
import org.arcgrad.opencl.runtime.DeviceContext;
import org.arcgrad.opencl.runtime.Devices;

/**
 * GFLOP/s of our GEMM kernels on the ArcFace head's products beside OpenBLAS sgemm through
 * PyTorch on the same machine (bench/gemm_torch.py), as a table. Not a test: it asserts nothing.
 *
 * <pre>
 * ./arcgrad bench gemm [--classes 10000,100000] [--batch 256] [--dim 512] [--warmup 5] [--reps 10] [--tune]
 *               [--no-torch] [--python /usr/bin/python3] [--torch-script bench/gemm_torch.py]
 *               [--openblas-coretype SkylakeX]
 * </pre>
 * (from the repository root; it builds kernels-opencl and runs this class with its classpath).
 * The device is the runtime's choice: ARCGRAD_DEVICE, else a GPU, else the CPU. OpenBLAS runs
 * with the environment's OPENBLAS_CORETYPE unless {@code --openblas-coretype} sets one (the
 * table's header line says which): an environment that forces Haswell on an AVX-512 CPU halves
 * OpenBLAS's rate, so compare against the best core type before drawing conclusions.
 *
 * All figures are GFLOP/s (2·M·N·K per product). Ours: median over {@code reps} launches after
 * at least {@code warmup} launches and until the JIT compiler has gone quiet ({@link Warmup}), of
 * the profiled kernel time ("ours kernel") and of the host wall time
 * from enqueue to the end of the wait for the launch ("ours wall"), and the fastest launch
 * ("ours best"). OpenBLAS: median and fastest of as many repetitions (see bench/gemm_torch.py).
 * The ratios are of medians. The fastest launches show what each side does when other processes
 * leave the cores alone; on a shared machine the medians move with the load. With {@code --tune},
 * each product first runs {@link GemmTuner} over the device's candidates and is measured with
 * the winner; otherwise with {@link GemmDefaults}.
 */
public final class GemmBenchmark {

    /** Our rates (median kernel, median wall, fastest kernel) and OpenBLAS's, in GFLOP/s. */
    private record Row(HeadProduct product, GemmDefaults.Choice kernel, double kernelGflops, double wallGflops,
                       double bestKernelGflops, Optional<TorchBaseline.Rate> torch) {
    }

    /** What the compiler gives a head product ({@link GemmDefaults#forProduct}; a copy of A is not timed). */
    static GemmDefaults.Choice compilerChoice(DeviceLimits limits, HeadProduct p) {
        return GemmDefaults.forProduct(limits, p.variant(), p.m(), p.n(), p.k());
    }

    private static String describe(GemmDefaults.Choice c) {
        return (c.copiesA() ? "as TT over a transposed copy of A, " : "") + c.params()
            + (c.slices() > 1 ? ", split K into " + c.slices() + " slices and summed (kernel time: both kernels)" : "");
    }

    public static void main(String[] args) {
        int batch = 256;
        int dim = 512;
        int[] classes = {10_000, 100_000};
        int warmup = 5;
        int reps = 10;
        boolean tune = false;
        boolean torch = true;
        String python = "/usr/bin/python3";
        String openblasCoreType = null;
        Path script = PythonPeer.script("gemm_torch.py");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--batch" -> batch = Integer.parseInt(args[++i]);
                case "--dim" -> dim = Integer.parseInt(args[++i]);
                case "--classes" -> classes = Arrays.stream(args[++i].split(",")).mapToInt(Integer::parseInt).toArray();
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--reps" -> reps = Integer.parseInt(args[++i]);
                case "--tune" -> tune = true;
                case "--no-torch" -> torch = false;
                case "--python" -> python = args[++i];
                case "--torch-script" -> script = Path.of(args[++i]);
                case "--openblas-coretype" -> openblasCoreType = args[++i];
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                    + "; options: --classes --batch --dim --warmup --reps --tune --no-torch --python --torch-script"
                    + " --openblas-coretype");
            }
        }
        int threads = Runtime.getRuntime().availableProcessors();
        TorchBaseline baseline = new TorchBaseline(python, script, threads, openblasCoreType);
        List<Row> rows = new ArrayList<>();
        try (DeviceContext context = DeviceContext.open(Devices.choose())) {
            DeviceLimits limits = DeviceLimits.of(context.device().info());
            System.out.println("device: " + context.device().name() + " (" + limits.type() + "), " + threads + " cores; "
                + "median of " + reps + " after " + warmup + " warm-up" + (tune ? "; tuned per product" : "; the compiler's parameters for each shape"));
            for (int c : classes) {
                for (HeadProduct product : HeadProduct.of(batch, dim, c)) {
                    GemmDefaults.Choice kernel = tune ? tuned(context, limits, product) : compilerChoice(limits, product);
                    double[] ours = measure(context, product, kernel, warmup, reps);
                    Optional<TorchBaseline.Rate> theirs =
                        torch ? baseline.measure(product, batch, dim, warmup, reps) : Optional.empty();
                    Row row = new Row(product, kernel, ours[0], ours[1], ours[2], theirs);
                    rows.add(row);
                    System.out.println("  measured " + line(row));
                }
            }
        }
        System.out.println();
        if (!torch) {
            System.out.println("PyTorch baseline skipped (--no-torch): our figures alone.");
        } else if (baseline.unavailable().isPresent()) {
            System.out.println("PyTorch baseline unavailable (" + baseline.unavailable().get() + "): our figures alone.");
        } else {
            System.out.println("OpenBLAS through PyTorch: " + baseline.info());
        }
        System.out.println(header());
        for (Row r : rows) {
            System.out.println(line(r));
        }
        System.out.println();
        for (Row r : rows) {
            System.out.println(r.product().name() + " C=" + r.product().classes() + ": " + describe(r.kernel()));
        }
    }

    /**
     * The products of the class-chunked step alone, summed over its chunks of {@code width} classes
     * (the last one shorter): per chunk the three of the head at that width, and x·Ŵᵀ once more
     * where {@code productAgain} (backward computes it again instead of taking forward's). What
     * the chunked step would take if nothing but its products ran: the bound on how close to
     * the floor ({@link HeadFloor}) fusing the rest into them could bring it.
     */
    public static double chunkProductsMillis(DeviceContext context, int batch, int dim, int classes, int width, boolean productAgain,
                                             int warmup, int reps) {
        DeviceLimits limits = DeviceLimits.of(context.device().info());
        return overChunks(classes, width, w -> oneChunksProductsMillis(context, limits, batch, dim, w, productAgain, warmup, reps));
    }

    /** Σ over the chunks of {@code width} classes (the last one shorter) of {@code perChunk}(its width), each width measured once. */
    static double overChunks(int classes, int width, java.util.function.IntToDoubleFunction perChunk) {
        if (width < 1 || width > classes) {
            throw new IllegalArgumentException("chunks of " + width + " classes for " + classes + " classes");
        }
        int last = classes % width;
        return classes / width * perChunk.applyAsDouble(width) + (last == 0 ? 0 : perChunk.applyAsDouble(last));
    }

    /** One chunk's three or four products at {@code width} classes, by median kernel time. */
    private static double oneChunksProductsMillis(DeviceContext context, DeviceLimits limits, int batch, int dim, int width,
                                                  boolean productAgain, int warmup, int reps) {
        // kernel time: in the step a chunk's products run back to back, without a wait for each (a few
        // milliseconds each, so a wall clock per product would count the wait)
        List<HeadProduct> products = HeadProduct.of(batch, dim, width);
        double ms = 0;
        for (HeadProduct p : products) {
            double once = p.flops() / measure(context, p, compilerChoice(limits, p), warmup, Math.max(reps, 10))[0] / 1e6;
            ms += p == products.get(0) && productAgain ? 2 * once : once; // x·Ŵᵀ: forward, and maybe again in backward
        }
        return ms;
    }

    /** The product in its own variant with the tuner's fastest of the device's candidates, split as SplitK says. */
    private static GemmDefaults.Choice tuned(DeviceContext context, DeviceLimits limits, HeadProduct p) {
        GemmParams params = new GemmTuner(context, 3).tune(p.variant(), p.m(), p.n(), p.k(),
            GemmCandidates.forDevice(limits, p.variant())).get(0).params();
        return new GemmDefaults.Choice(p.variant(), params, SplitK.slices(limits, p.variant(), params, p.m(), p.n(), p.k()), false);
    }

    /** {median kernel, median wall, fastest kernel} GFLOP/s over {@code reps} runs after {@link Warmup} (at least {@code warmup}). */
    private static double[] measure(DeviceContext context, HeadProduct p, GemmDefaults.Choice choice, int warmup, int reps) {
        Random rng = new Random(42);
        DeviceBuffer a = context.upload("A", GemmTuner.randomFloats(rng, (long) p.m() * p.k()));
        DeviceBuffer b = context.upload("B", GemmTuner.randomFloats(rng, (long) p.n() * p.k()));
        DeviceBuffer c = context.floatBuffer("C", (long) p.m() * p.n());
        try (CompiledGemm gemm = CompiledGemm.splitK(context, choice.variant(), choice.params(), choice.slices())) {
            Warmup.run(() -> gemm.run(p.m(), p.n(), p.k(), a, b, c), warmup);
            long[] kernel = new long[reps];
            long[] wall = new long[reps];
            for (int i = 0; i < reps; i++) {
                CompiledGemm.Timing t = gemm.run(p.m(), p.n(), p.k(), a, b, c);
                kernel[i] = t.kernelNanos();
                wall[i] = t.wallNanos();
            }
            return new double[] {p.flops() / Median.of(kernel), p.flops() / Median.of(wall),
                p.flops() / Arrays.stream(kernel).min().orElseThrow()};
        } finally {
            a.release();
            b.release();
            c.release();
        }
    }

    private static String header() {
        return "| product | C      | formula | M×N×K            | ours kernel | ours wall | ours best | OpenBLAS | BLAS best "
            + "| kernel/BLAS | wall/BLAS |\n"
            + "|---------|--------|---------|------------------|-------------|-----------|-----------|----------|-----------"
            + "|-------------|-----------|";
    }

    private static String line(Row r) {
        HeadProduct p = r.product();
        String blas = r.torch().map(t -> format("%8.1f", t.median())).orElse("     n/a");
        String blasBest = r.torch().map(t -> format("%9.1f", t.best())).orElse("      n/a");
        String kr = r.torch().map(t -> format("%11.2f", r.kernelGflops() / t.median())).orElse("        n/a");
        String wr = r.torch().map(t -> format("%9.2f", r.wallGflops() / t.median())).orElse("      n/a");
        return format("| %-7s | %6d | %-7s | %-16s | %11.1f | %9.1f | %9.1f | %s | %s | %s | %s |",
            p.name(), p.classes(), p.formula(), p.m() + "×" + p.n() + "×" + p.k(), r.kernelGflops(), r.wallGflops(),
            r.bestKernelGflops(), blas, blasBest, kr, wr);
    }

    private static String format(String pattern, Object... args) {
        return String.format(Locale.ROOT, pattern, args);
    }
}
