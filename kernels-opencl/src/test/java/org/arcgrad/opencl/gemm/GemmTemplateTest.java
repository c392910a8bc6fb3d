package org.arcgrad.opencl.gemm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What a rendered kernel promises its caller, checked on the source and launch sizes alone. */
class GemmTemplateTest {

    @Test
    void argumentsAreTheGemmOnesThenTheEpiloguesInOrder() {
        Epilogue e = Epilogue.of("acc * s + bias[col]", "const float s", "__global const float* restrict bias");
        GemmKernel k = GemmTemplate.render(GemmVariant.NT, GemmDefaults.cpu(GemmVariant.NT), e);
        assertEquals(List.of("M", "N", "K", "A", "lda", "B", "ldb", "C", "ldc", "s", "bias"), k.argumentNames());
        assertTrue(k.source().contains("return (acc * s + bias[col]);"), k.source());
        assertTrue(k.source().contains("arcgrad_gemm_nt_epilogue(p0, q0, arcgrad_gemm_nt_hsum16(acc0_0), s, bias)"), k.source());
        assertTrue(k.source().contains("__kernel __attribute__((reqd_work_group_size(1, 1, 1)))"), k.source());
    }

    @Test
    void kernelsWithDifferentNamesShareOneProgram() {
        GemmKernel a = GemmTemplate.render(GemmVariant.NT, GemmDefaults.cpu(GemmVariant.NT), Epilogue.identity(), "logits");
        GemmKernel b = GemmTemplate.render(GemmVariant.NT, GemmDefaults.cpu(GemmVariant.NT), Epilogue.of("acc * s", "const float s"), "scaled");
        assertTrue(a.source().contains("void logits(") && a.source().contains("float logits_epilogue("), a.source());
        assertTrue(b.source().contains("float scaled_hsum16("), b.source());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
            () -> GemmTemplate.render(GemmVariant.NN, GemmDefaults.cpu(GemmVariant.NN), Epilogue.identity(), "not a name"));
    }

    @Test
    void launchCoversEveryTileIncludingPartialOnes() {
        GemmParams p = new GemmParams(64, 32, 256, 8, 1, 16, 16, 2, false, false);
        GemmKernel nn = GemmTemplate.render(GemmVariant.NN, p, Epilogue.identity());
        // 100 rows -> 2 row tiles of 64; 33 columns -> 2 column tiles of 32.
        assertArrayEquals(new long[] {2, 16}, nn.globalSize(100, 33));
        assertArrayEquals(new long[] {1, 8}, nn.localSize());
        // TT computes C^T: the kernel's rows are C's columns.
        GemmKernel tt = GemmTemplate.render(GemmVariant.TT, p, Epilogue.identity());
        assertArrayEquals(new long[] {4, 8}, tt.globalSize(100, 33));
    }

    @Test
    void denseLeadingDimensionsFollowTheStoredShapes() {
        GemmParams p = GemmDefaults.gpu(GemmVariant.NN);
        assertArrayEquals(new int[] {7, 5, 5}, GemmTemplate.render(GemmVariant.NN, p, Epilogue.identity()).denseLeadingDimensions(3, 5, 7));
        assertArrayEquals(new int[] {7, 7, 5}, GemmTemplate.render(GemmVariant.NT, p, Epilogue.identity()).denseLeadingDimensions(3, 5, 7));
        assertArrayEquals(new int[] {3, 5, 5}, GemmTemplate.render(GemmVariant.TN, p, Epilogue.identity()).denseLeadingDimensions(3, 5, 7));
        assertArrayEquals(new int[] {3, 7, 5}, GemmTemplate.render(GemmVariant.TT, p, Epilogue.identity()).denseLeadingDimensions(3, 5, 7));
    }

    @Test
    void eachDeviceKindGetsItsForm() {
        String cpu = GemmTemplate.render(GemmVariant.NT, GemmDefaults.cpu(GemmVariant.NT), Epilogue.identity()).source();
        String gpu = GemmTemplate.render(GemmVariant.NT, GemmDefaults.gpu(GemmVariant.NT), Epilogue.identity()).source();
        assertTrue(cpu.contains("vload16") && !cpu.contains("__local"), "CPU NT: dot product of float16 along K from global memory");
        assertTrue(gpu.contains("__local float Alm["), "GPU: tiles staged in local memory");
    }
}
