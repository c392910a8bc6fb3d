package org.arcgrad.opencl.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class KernelLaunchTest {
    static final String AXPY = """
            __kernel void axpy(__global const float* x, __global float* y, const float a, const int n) {
                int i = get_global_id(0);
                if (i < n) {
                    y[i] = a * x[i] + y[i];
                }
            }
            __kernel void block_sums(__global const float* x, __global float* sums, __local float* scratch,
                                     const int n) {
                int lid = get_local_id(0);
                int gid = get_global_id(0);
                scratch[lid] = gid < n ? x[gid] : 0.0f;
                barrier(CLK_LOCAL_MEM_FENCE);
                for (int s = get_local_size(0) / 2; s > 0; s /= 2) {
                    if (lid < s) {
                        scratch[lid] += scratch[lid + s];
                    }
                    barrier(CLK_LOCAL_MEM_FENCE);
                }
                if (lid == 0) {
                    sums[get_group_id(0)] = scratch[0];
                }
            }
            """;

    private DeviceContext ctx;

    @BeforeEach
    void open() {
        ctx = TestDevices.openMemoryOnly(TestDevices.preferred());
    }

    @AfterEach
    void close() {
        ctx.close();
    }

    @Test
    void axpyRunsAndReadsBack() {
        int n = 1000;
        float[] x = new float[n];
        float[] y = new float[n];
        float[] expected = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = i;
            y[i] = 1 - i;
            expected[i] = 2 * x[i] + y[i];
        }
        Program program = ctx.build(AXPY);
        assertEquals(List.of("axpy", "block_sums"), program.kernelNames().stream().sorted().toList());
        Kernel axpy = program.kernel("axpy");
        assertEquals(4, axpy.argCount());
        DeviceBuffer xs = ctx.upload("x", x);
        DeviceBuffer ys = ctx.upload("y", y);
        axpy.args(xs, ys, 2.0f, n).launch(new long[] {Kernel.roundUp(n, 64)}, new long[] {64});
        assertArrayEquals(expected, ys.downloadFloats());
    }

    @Test
    void profiledLaunchReportsADeviceTime() {
        Kernel axpy = ctx.build(AXPY).kernel("axpy");
        DeviceBuffer xs = ctx.upload("x", new float[] {1, 2, 3});
        DeviceBuffer ys = ctx.upload("y", new float[] {1, 1, 1});
        long nanos = axpy.args(xs, ys, 3.0f, 3).launchProfiled(new long[] {3}, null);
        assertTrue(nanos >= 0, "END - START is never negative");
        assertArrayEquals(new float[] {4, 7, 10}, ys.downloadFloats());
    }

    @Test
    void localMemoryArguments() {
        int n = 256;
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = i % 7;
        }
        int local = 64;
        long maxLocal = Math.min(ctx.device().info().maxWorkGroupSize(), local);
        DeviceBuffer xs = ctx.upload("x", x);
        DeviceBuffer sums = ctx.floatBuffer("sums", n / maxLocal);
        ctx.build(AXPY).kernel("block_sums")
                .args(xs, sums, new Kernel.LocalMemory(maxLocal * 4), n)
                .launch(new long[] {n}, new long[] {maxLocal});
        float total = 0;
        for (float s : sums.downloadFloats()) {
            total += s;
        }
        float expected = 0;
        for (float v : x) {
            expected += v;
        }
        assertEquals(expected, total);
    }

    @Test
    void aDoubleArgumentIsRefusedWithTheFix() {
        Kernel axpy = ctx.build(AXPY).kernel("axpy");
        DeviceBuffer xs = ctx.floatBuffer("x", 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> axpy.args(xs, xs, 2.0, 1));
        assertTrue(e.getMessage().contains("Argument 2 of kernel 'axpy' is a Double"), e.getMessage());
        assertTrue(e.getMessage().contains("2.0f"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> axpy.set(4, 1), "index past the last argument");
    }

    @Test
    void launchingWithUnsetArgumentsSaysWhichOnes() {
        Kernel axpy = ctx.build(AXPY).kernel("axpy");
        axpy.set(0, ctx.floatBuffer("x", 4));
        OpenClException e = assertThrows(OpenClException.class, () -> axpy.launch(4));
        assertEquals("CL_INVALID_KERNEL_ARGS", e.errorName());
        assertTrue(e.getMessage().contains("launching kernel 'axpy'"), e.getMessage());
        assertTrue(e.getMessage().contains("arguments never set: [1, 2, 3]"), e.getMessage());
    }

    @Test
    void anUnknownKernelNameListsTheRealOnes() {
        OpenClException e = assertThrows(OpenClException.class, () -> ctx.build(AXPY).kernel("axpby"));
        assertEquals("CL_INVALID_KERNEL_NAME", e.errorName());
        assertTrue(e.getMessage().contains("axpy") && e.getMessage().contains("block_sums"), e.getMessage());
    }

    @Test
    void buffersOfAnotherContextAreRefused() {
        Kernel axpy = ctx.build(AXPY).kernel("axpy");
        try (DeviceContext other = TestDevices.openMemoryOnly(ctx.device())) {
            DeviceBuffer foreign = other.floatBuffer("foreign", 4);
            assertThrows(IllegalArgumentException.class, () -> axpy.set(0, foreign));
        }
    }

    @Test
    void aClosedContextRefusesWork() {
        DeviceContext closing = TestDevices.openMemoryOnly(ctx.device());
        DeviceBuffer b = closing.floatBuffer("b", 4);
        Kernel k = closing.build(AXPY).kernel("axpy");
        closing.close();
        closing.close();
        assertThrows(IllegalStateException.class, b::downloadFloats);
        assertThrows(IllegalStateException.class, () -> k.launch(4));
        assertThrows(IllegalStateException.class, () -> closing.build(AXPY));
    }
}
