package org.arcgrad.opencl.gemm;

import java.util.List;

/** The plain GEMM output: each value is written to row-major C with leading dimension ldc. */
final class StoreOutput implements OutputStage {

    @Override
    public List<String> kernelParameters() {
        return List.of("__global float* restrict C", "const int ldc");
    }

    @Override
    public void renderConsume(SourceWriter w, String row, String col, String value) {
        w.line("C[(size_t)(" + row + ") * ldc + (" + col + ")] = " + value + ";");
    }
}
