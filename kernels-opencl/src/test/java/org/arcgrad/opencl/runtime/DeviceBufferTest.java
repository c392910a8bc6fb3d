package org.arcgrad.opencl.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DeviceBufferTest {
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
    void floatsRoundTrip() {
        float[] data = {1.5f, -2.25f, Float.MIN_VALUE, Float.MAX_VALUE, Float.NaN, -0.0f, 3e-38f};
        DeviceBuffer b = ctx.upload("data", data);
        assertEquals(ElementType.FLOAT32, b.type());
        assertEquals(data.length, b.elements());
        assertArrayEquals(data, b.downloadFloats());
    }

    @Test
    void intsRoundTrip() {
        int[] labels = {0, 9, Integer.MIN_VALUE, Integer.MAX_VALUE, -1};
        assertArrayEquals(labels, ctx.upload("labels", labels).downloadInts());
    }

    @Test
    void partsAtAnOffset() {
        DeviceBuffer b = ctx.floatBuffer("padded", 6).upload(new float[6]);
        b.upload(new float[] {7f, 8f}, 3);
        assertArrayEquals(new float[] {0, 0, 0, 7, 8, 0}, b.downloadFloats());
        float[] part = new float[2];
        b.download(part, 2);
        assertArrayEquals(new float[] {0, 7}, part);
    }

    @Test
    void wrongTypeLengthOrRangeIsRefusedClearly() {
        DeviceBuffer labels = ctx.intBuffer("labels", 4);
        IllegalArgumentException type = assertThrows(IllegalArgumentException.class, () -> labels.upload(new float[4]));
        assertTrue(type.getMessage().contains("'labels' holds int32, not float32"), type.getMessage());
        IllegalArgumentException length = assertThrows(IllegalArgumentException.class, () -> labels.upload(new int[3]));
        assertTrue(length.getMessage().contains("has 4 elements"), length.getMessage());
        assertThrows(IllegalArgumentException.class, () -> labels.upload(new int[2], 3));
        assertThrows(IllegalArgumentException.class, () -> ctx.floatBuffer("empty", 0));
    }

    @Test
    void releaseFreesAndForbidsLaterUse() {
        DeviceBuffer a = ctx.floatBuffer("a", 1000);
        DeviceBuffer b = ctx.intBuffer("b", 10);
        assertEquals(4000 + 40, ctx.allocatedBytes());
        a.release();
        a.release();
        assertTrue(a.isReleased());
        assertEquals(40, ctx.allocatedBytes());
        IllegalStateException e = assertThrows(IllegalStateException.class, a::downloadFloats);
        assertTrue(e.getMessage().contains("'a'") && e.getMessage().contains("released"), e.getMessage());
        b.close();
        assertEquals(0, ctx.allocatedBytes());
        ctx.floatBuffer("c", 100).close();
        assertEquals(4000 + 40, ctx.peakAllocatedBytes(), "the peak stays the most held at one time");
    }

    @Test
    void aBufferLargerThanTheMaxAllocationNamesItselfAndTheLimits() {
        DeviceInfo info = ctx.device().info();
        long elements = info.maxAllocBytes() / 4 + 1;
        DeviceOutOfMemoryException e = assertThrows(DeviceOutOfMemoryException.class,
                () -> ctx.floatBuffer("logits", elements));
        String m = e.getMessage();
        assertTrue(m.contains("'logits'"), m);
        assertTrue(m.contains(ByteSizes.mib(elements * 4)), m);
        assertTrue(m.contains("max single allocation " + ByteSizes.mib(info.maxAllocBytes())), m);
        assertTrue(m.contains("global memory " + ByteSizes.mib(info.globalMemBytes())), m);
        assertEquals(0, ctx.allocatedBytes(), "nothing was allocated");
    }

    @Test
    void aDriverOutOfMemoryNamesTheBuffersAndTheLimits() {
        // Drivers that allocate lazily (NVIDIA) report it at first use; the message is the same either way.
        DeviceBuffer held = ctx.floatBuffer("weights", 1 << 18);
        DeviceOutOfMemoryException e = ctx.outOfMemory(-4, "launching kernel 'head'", List.of(held));
        String m = e.getMessage();
        assertEquals("CL_MEM_OBJECT_ALLOCATION_FAILURE", e.errorName());
        assertTrue(m.contains("Out of device memory: CL_MEM_OBJECT_ALLOCATION_FAILURE (-4) while launching kernel 'head'"), m);
        assertTrue(m.contains("'weights' (float32 x 262144, 1.0 MiB)"), m);
        assertTrue(m.contains("holds 1.0 MiB in live buffers, the largest: 'weights'"), m);
        assertTrue(m.contains("max single allocation"), m);
    }
}
