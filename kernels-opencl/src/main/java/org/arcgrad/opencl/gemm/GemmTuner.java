package org.arcgrad.opencl.gemm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.arcgrad.opencl.bench.Warmup;
import org.arcgrad.opencl.runtime.CacheSettings;
import org.arcgrad.opencl.runtime.DeviceBuffer;
import org.arcgrad.opencl.runtime.DeviceContext;
import org.arcgrad.opencl.runtime.Devices;

/**
 * Tries candidate parameter sets on the actual device for one shape and keeps the fastest
 * (median kernel time of a few runs after a warm-up). Candidates that do not fit the device, or
 * fail to build, are skipped and reported.
 */
public final class GemmTuner {

    /** Measured candidate: {@code medianNanos} is Long.MAX_VALUE when it could not run ({@code failure} says why). */
    public record Trial(GemmParams params, long medianNanos, String failure) {
        public double gflops(int m, int n, int k) {
            return GemmKernel.flops(m, n, k) / medianNanos;
        }
    }

    private final DeviceContext context;
    private final int repetitions;

    public GemmTuner(DeviceContext context, int repetitions) {
        this.context = context;
        this.repetitions = repetitions;
    }

    /**
     * All candidates measured on a random problem of the given shape, fastest first. Candidates
     * are timed round-robin (one launch each per round, {@code repetitions} rounds, median per
     * candidate), so that load from other processes that comes and goes hits all of them alike;
     * untimed rounds first until the JIT compiler has gone quiet ({@link Warmup}), which on few
     * cores would otherwise halve the rate of whichever candidates run while it works.
     */
    public List<Trial> tune(GemmVariant variant, int m, int n, int k, List<GemmParams> candidates) {
        Random rng = new Random(1);
        DeviceBuffer a = context.upload("tuner A", randomFloats(rng, (long) m * k));
        DeviceBuffer b = context.upload("tuner B", randomFloats(rng, (long) n * k));
        DeviceBuffer c = context.floatBuffer("tuner C", (long) m * n);
        List<Trial> trials = new ArrayList<>();
        List<CompiledGemm> built = new ArrayList<>();
        try {
            for (GemmParams p : candidates) {
                try {
                    CompiledGemm gemm = new CompiledGemm(context, GemmTemplate.render(variant, p, Epilogue.identity()));
                    gemm.run(m, n, k, a, b, c); // warm-up: first launch pays for PoCL's work-group function build
                    built.add(gemm);
                } catch (RuntimeException e) {
                    trials.add(new Trial(p, Long.MAX_VALUE, e.getMessage().lines().findFirst().orElse(e.toString())));
                }
            }
            Warmup.run(() -> built.forEach(g -> g.run(m, n, k, a, b, c)), 1);
            long[][] times = new long[built.size()][repetitions];
            for (int r = 0; r < repetitions; r++) {
                for (int i = 0; i < built.size(); i++) {
                    times[i][r] = built.get(i).run(m, n, k, a, b, c).kernelNanos();
                }
            }
            for (int i = 0; i < built.size(); i++) {
                Arrays.sort(times[i]);
                trials.add(new Trial(built.get(i).kernel().params(), times[i][repetitions / 2], null));
            }
        } finally {
            built.forEach(CompiledGemm::close);
            a.release();
            b.release();
            c.release();
        }
        trials.sort(Comparator.comparingLong(Trial::medianNanos));
        return trials;
    }

    static float[] randomFloats(Random rng, long size) {
        float[] x = new float[Math.toIntExact(size)];
        for (int i = 0; i < x.length; i++) {
            x[i] = rng.nextFloat() - 0.5f;
        }
        return x;
    }

    /**
     * Explores parameters from the command line: {@code GemmTuner VARIANT M N K [reps] [params...]}
     * where each params is "mwg,nwg,kwg,mdimc,ndimc,vwn,vwk,kwi,local,rowsFirst"; without params,
     * the device kind's built-in candidate list is tried.
     */
    public static void main(String[] args) {
        GemmVariant variant = GemmVariant.valueOf(args[0]);
        int m = Integer.parseInt(args[1]);
        int n = Integer.parseInt(args[2]);
        int k = Integer.parseInt(args[3]);
        int reps = args.length > 4 ? Integer.parseInt(args[4]) : 5;
        // Memory-only program cache: the candidates are throw-away programs.
        try (DeviceContext context = DeviceContext.open(Devices.choose(), CacheSettings.memoryOnly())) {
            DeviceLimits limits = DeviceLimits.of(context.device().info());
            List<GemmParams> candidates = new ArrayList<>();
            for (int i = 5; i < args.length; i++) {
                int[] v = Arrays.stream(args[i].split(",")).mapToInt(Integer::parseInt).toArray();
                candidates.add(new GemmParams(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8] != 0, v[9] != 0));
            }
            if (candidates.isEmpty()) {
                candidates = GemmCandidates.forDevice(limits, variant);
            }
            System.out.println(context.device().name() + ": " + variant + " M=" + m + " N=" + n + " K=" + k);
            for (Trial t : new GemmTuner(context, reps).tune(variant, m, n, k, candidates)) {
                System.out.printf("%8.1f GFLOP/s  %s%s%n", t.failure() == null ? t.gflops(m, n, k) : 0.0, t.params(),
                    t.failure() == null ? "" : "  (" + t.failure() + ")");
            }
        }
    }
}
