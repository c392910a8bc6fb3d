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

    /** Elements per alignment unit of a sub-buffer's start on this device. */
    private long alignedElements() {
        return ctx.baseAddressAlignBytes() / ElementType.FLOAT32.bytes();
    }

    @Test
    void aViewSharesItsBuffersMemoryAndAddsNoBytes() {
        long unit = alignedElements();
        float[] data = new float[(int) (3 * unit)];
        for (int i = 0; i < data.length; i++) {
            data[i] = i;
        }
        DeviceBuffer whole = ctx.upload("whole", data);
        long before = ctx.allocatedBytes();
        DeviceBuffer tail = whole.view("tail", unit, 2 * unit).orElseThrow();
        assertTrue(tail.isView());
        assertEquals(before, ctx.allocatedBytes(), "a view allocates nothing");
        float[] seen = tail.downloadFloats();
        assertEquals(2 * unit, seen.length);
        assertEquals(unit, seen[0]);
        assertEquals(3 * unit - 1, seen[seen.length - 1]);
        // a view of a view starts in the first one's buffer: element unit of the tail is element 2·unit of the whole
        DeviceBuffer last = tail.view("last", unit, unit).orElseThrow();
        assertEquals(2 * unit, last.downloadFloats()[0]);
        last.upload(new float[] {-1f}, 0); // a write through a view lands in the whole buffer
        assertEquals(-1f, whole.downloadFloats()[(int) (2 * unit)]);
        assertTrue(tail.view("empty", 0, 0).isEmpty(), "an empty view is refused");
        last.release();
        tail.release();
        assertEquals(before, ctx.allocatedBytes(), "releasing a view frees none of its buffer");
        assertEquals(1f, whole.downloadFloats()[1]);
        assertThrows(IllegalArgumentException.class, () -> whole.view("past the end", 2 * unit, unit + 1));
    }

    @Test
    void aViewAtAnUnalignedOffsetIsRefused() {
        long unit = alignedElements();
        if (unit > 1) {
            DeviceBuffer whole = ctx.floatBuffer("whole", 4 * unit);
            assertTrue(whole.view("odd", 1, unit).isEmpty());
            assertTrue(whole.view("aligned", 2 * unit, unit).isPresent());
        }
    }

    @Test
    void copiesBetweenBuffersOnTheDevice() {
        DeviceBuffer from = ctx.upload("from", new float[] {1, 2, 3, 4, 5});
        DeviceBuffer to = ctx.floatBuffer("to", 4).upload(new float[4]);
        from.copyTo(to, 1, 2, 2);
        assertArrayEquals(new float[] {0, 0, 2, 3}, to.downloadFloats());
        assertThrows(IllegalArgumentException.class, () -> from.copyTo(to, 4, 0, 2));
        assertThrows(IllegalArgumentException.class, () -> from.copyTo(to, 0, 3, 2));
        assertThrows(IllegalArgumentException.class, () -> from.copyTo(ctx.intBuffer("ints", 5), 0, 0, 1));
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
