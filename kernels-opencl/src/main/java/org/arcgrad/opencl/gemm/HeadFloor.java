package org.arcgrad.opencl.gemm;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.arcgrad.opencl.runtime.DeviceBuffer;
import org.arcgrad.opencl.runtime.DeviceContext;

/**
 * The GEMM floor of the head's step at one C, ready to be run again and again: its three products
 * ({@link HeadProduct#of}) with the kernels the compiler gives them, as GemmBenchmark's table
 * chooses them ({@link GemmDefaults#forProduct}; a transposed copy of A is not timed), built and
 * given random operands once. The head benchmark runs it once after each chunked step, so that a
 * step and its floor are timed within the same second: on a shared 2-core machine a kernel's time
 * can double from one second to the next and back, which a floor timed after a whole series of
 * steps misses (rounds of one run then ranged from 1.20 to 1.61 × the floor).
 *
 * <p>The operands are the step's: x [N, D], W [C, D], G [N, C] (x·Wᵀ writes it, G·W and Gᵀ·x read
 * it), grad x [N, D] and grad W [C, D], each allocated once (5 GB at C = 1 000 000, D = 512).
 */
public final class HeadFloor implements AutoCloseable {
    private record Run(HeadProduct product, CompiledGemm gemm, DeviceBuffer a, DeviceBuffer b, DeviceBuffer c) {
    }

    private final List<DeviceBuffer> buffers = new ArrayList<>();
    private final List<Run> runs = new ArrayList<>();

    public HeadFloor(DeviceContext context, int batch, int dim, int classes) {
        DeviceLimits limits = DeviceLimits.of(context.device().info());
        Random rng = new Random(42);
        try {
            DeviceBuffer x = random(context, "x", rng, (long) batch * dim);
            DeviceBuffer w = random(context, "W", rng, (long) classes * dim);
            DeviceBuffer g = random(context, "G", rng, (long) batch * classes);
            DeviceBuffer gradX = random(context, "grad x", rng, (long) batch * dim);
            DeviceBuffer gradW = random(context, "grad W", rng, (long) classes * dim);
            Map<String, DeviceBuffer[]> operands = Map.of(
                    "fwd", new DeviceBuffer[] {x, w, g},
                    "grad_x", new DeviceBuffer[] {g, w, gradX},
                    "grad_w", new DeviceBuffer[] {g, x, gradW});
            for (HeadProduct p : HeadProduct.of(batch, dim, classes)) {
                GemmDefaults.Choice choice = GemmBenchmark.compilerChoice(limits, p);
                DeviceBuffer[] abc = operands.get(p.name());
                runs.add(new Run(p, CompiledGemm.splitK(context, choice.variant(), choice.params(), choice.slices()), abc[0], abc[1], abc[2]));
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** One run of the three products, each waited for: the sum of their wall times, in milliseconds. */
    public double runMillis() {
        long nanos = 0;
        for (Run r : runs) {
            nanos += r.gemm().run(r.product().m(), r.product().n(), r.product().k(), r.a(), r.b(), r.c()).wallNanos();
        }
        return nanos / 1e6;
    }

    private DeviceBuffer random(DeviceContext context, String name, Random rng, long elements) {
        DeviceBuffer b = context.upload(name, GemmTuner.randomFloats(rng, elements));
        buffers.add(b);
        return b;
    }

    @Override
    public void close() {
        for (Run r : runs) {
            r.gemm().close();
        }
        for (DeviceBuffer b : buffers) {
            b.release();
        }
        runs.clear();
        buffers.clear();
    }
}
