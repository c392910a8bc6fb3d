package org.arcgrad.opencl.gemm;

import java.util.List;

/** The plain GEMM output: each value is written to row-major C with leading dimension ldc. */
final class StoreOutput implements OutputStage {

    @Override
    public List<String> kernelParameters() {
        return List.of("__global float* restrict C", "const int ldc");
    }

    @Override
    public void renderConsume(SourceWriter w, int rowSlot, String row, String col, String value) {
        w.line("C[(size_t)(" + row + ") * ldc + (" + col + ")] = " + value + ";");
    }

    /** One vector store per run (a run's length is a vector width). */
    @Override
    public void renderConsumeRun(SourceWriter w, int rowSlot, String row, String firstCol, String[] values) {
        if (values.length == 1) {
            renderConsume(w, rowSlot, row, firstCol, values[0]);
            return;
        }
        w.line("vstore" + values.length + "(" + Vectors.literal(values) + ", 0, C + (size_t)(" + row + ") * ldc + (" + firstCol + "));");
    }
}
