package org.arcgrad.opencl.gemm;

import java.util.List;

/**
 * The plain GEMM output: each value is written to row-major C with leading dimension ldc. A
 * sub-center fold ({@link RowFold#centres}) stores through two more: each centre's product at
 * column col·K + centre of C, and the centres' max to CM.
 */
final class StoreOutput implements OutputStage {
    private final String buffer;
    private final String leading;
    private final int centres;

    StoreOutput() {
        this("C", "ldc", 1);
    }

    /**
     * Writes {@code buffer[row · leading + col]}, or with {@code centres} above 1
     * {@code buffer[row · leading + col · centres + centre]}, {@code centre} being the template's
     * loop over the centres; declares both as kernel parameters.
     */
    StoreOutput(String buffer, String leading, int centres) {
        this.buffer = buffer;
        this.leading = leading;
        this.centres = centres;
    }

    @Override
    public List<String> kernelParameters() {
        return List.of("__global float* restrict " + buffer, "const int " + leading);
    }

    @Override
    public void renderConsume(SourceWriter w, int rowSlot, String row, String col, String value) {
        String column = centres == 1 ? "(" + col + ")" : "(" + col + ") * " + centres + " + centre";
        w.line(buffer + "[(size_t)(" + row + ") * " + leading + " + " + column + "] = " + value + ";");
    }

    /** One vector store per run (a run's length is a vector width), where a run's columns are consecutive. */
    @Override
    public void renderConsumeRun(SourceWriter w, int rowSlot, String row, String firstCol, String[] values) {
        if (values.length == 1 || centres > 1) {
            OutputStage.super.renderConsumeRun(w, rowSlot, row, firstCol, values);
            return;
        }
        w.line("vstore" + values.length + "(" + Vectors.literal(values) + ", 0, " + buffer + " + (size_t)(" + row + ") * " + leading
                + " + (" + firstCol + "));");
    }
}
