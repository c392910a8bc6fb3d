package org.arcgrad.tests.fused;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.arcgrad.arcface.heads.ArcFace;
import org.arcgrad.arcface.heads.MarginHead;
import org.arcgrad.arcface.heads.SubCenterArcFace;
import org.arcgrad.autodiff.Functional;
import org.arcgrad.autodiff.Tape;
import org.arcgrad.autodiff.Tensor;
import org.arcgrad.opencl.CompileOptions;
import org.arcgrad.opencl.Executable;
import org.arcgrad.opencl.fused.ChunkedExecutable;
import org.arcgrad.opencl.runtime.DeviceContext;
import org.arcgrad.tests.opencl.SharedDevice;
import org.junit.jupiter.api.Test;

/**
 * {@code --class-chunk auto} for training: the whole graph when it fits the device comfortably,
 * chunks when it does not. The graphs are only planned (nothing is allocated), so a head far
 * larger than this machine's memory can be asked about.
 */
class AutoChunkWidthTest {
    private static Tensor[] headStep(MarginHead head, int n, int d, int rows, int classes) {
        Tape t = new Tape();
        Tensor x = t.param("x", n, d);
        Tensor w = t.param("w", rows, d);
        Tensor labels = t.labels("labels", n);
        Tensor loss = Functional.crossEntropy(head.logits(x, w, labels), labels);
        Tensor[] g = t.grad(loss, x, w);
        return new Tensor[] {loss, g[0], g[1]};
    }

    /** C/25 within [1024, 16 384], a multiple of 32 and not of 512 (a CPU's x·Ŵᵀ runs as TT then), never above C. */
    @Test
    void defaultWidthsAvoidMultiplesOf512() {
        assertEquals(1056, ChunkedExecutable.defaultChunkWidth(10_000));     // 400 raised to 1024, then off 512's multiples
        assertEquals(4000, ChunkedExecutable.defaultChunkWidth(100_000));    // 25 chunks
        assertEquals(1984, ChunkedExecutable.defaultChunkWidth(50_000));     // 2000 down to a multiple of 32
        assertEquals(2592, ChunkedExecutable.defaultChunkWidth(64_000));     // 2560 = 5 · 512, up by 32
        assertEquals(16_352, ChunkedExecutable.defaultChunkWidth(1_000_000)); // 16 384 at the cap, down by 32
        assertEquals(800, ChunkedExecutable.defaultChunkWidth(800));         // C itself when smaller
        assertEquals(1040, ChunkedExecutable.defaultChunkWidth(1040));
    }

    @Test
    void aSmallHeadRunsWholeAndOneLargerThanTheDeviceByChunks() {
        DeviceContext context = SharedDevice.context();
        CompileOptions options = CompileOptions.defaults();
        long memory = context.device().info().globalMemBytes();
        assertNull(ChunkedExecutable.autoChunkWidth(context, options, headStep(new ArcFace(30, 0.5, false), 8, 4, 100, 100)));

        int classes = 1_000_000;
        int n = 2048; // N×C just under 2^31 elements: 8 GiB a value, several of them
        Tensor[] big = headStep(new ArcFace(30, 0.5, false), n, 4, classes, classes);
        Executable.Footprint whole = Executable.footprint(context, options, big);
        assertTrue(whole.bytes() >= 2 * 4L * n * classes && whole.largestBytes() >= 4L * n * classes, whole.toString());
        boolean fits = whole.bytes() <= memory / 2 && whole.largestBytes() <= context.device().info().maxAllocBytes();
        assertEquals(fits ? null : ChunkedExecutable.defaultChunkWidth(classes), ChunkedExecutable.autoChunkWidth(context, options, big),
                whole + " on a device of " + memory + " bytes");
        // past 2^31 elements a value cannot be indexed whole on any device: chunks
        int past = 2100;
        assertEquals(16_352, ChunkedExecutable.autoChunkWidth(context, options, headStep(new ArcFace(30, 0.5, false), past, 4, classes, classes)));

        // a sub-center head splits by classes too: chunks of its C classes (each chunk 3 × 16 352 rows of W)
        assertEquals(16_352, ChunkedExecutable.autoChunkWidth(context, options,
                headStep(new SubCenterArcFace(30, 0.5, false, 3), past, 4, 3 * classes, classes)));
    }

    /**
     * A step whose buffers fill more than half the device's memory runs by chunks even though each
     * buffer would fit: the other half is the process's and the driver's. The step is a head's at
     * N = 8 and C = 100 000 with the first feature count (doubling from 4) that passes half the
     * memory, where W-sized values are the largest and the step needs less than twice the memory
     * (on the suite's PoCL device of 4 GiB, D = 2 048; a device too large for any such step skips it).
     */
    @Test
    void aStepPastHalfTheDevicesMemoryRunsByChunks() {
        DeviceContext context = SharedDevice.context();
        CompileOptions options = CompileOptions.defaults();
        long memory = context.device().info().globalMemBytes();
        int classes = 100_000;
        for (int d = 4; (long) classes * d < 1L << 31; d *= 2) { // beyond, no whole graph can index W
            Tensor[] step = headStep(new ArcFace(30, 0.5, false), 8, d, classes, classes);
            Executable.Footprint whole = Executable.footprint(context, options, step);
            if (whole.bytes() > memory / 2) {
                String what = "D = " + d + ": " + whole + " on a device of " + memory + " bytes";
                assertTrue(whole.bytes() <= 2 * memory && whole.largestBytes() <= context.device().info().maxAllocBytes(), what);
                assertEquals(ChunkedExecutable.defaultChunkWidth(classes), ChunkedExecutable.autoChunkWidth(context, options, step), what);
                return;
            }
        }
        // a device this large (a GPU's tens of GiB) has no such step: any graph that needs half of it cannot be indexed whole
        org.junit.jupiter.api.Assumptions.abort("no step of W below 2^31 elements fills half of a device of " + memory + " bytes");
    }
}
