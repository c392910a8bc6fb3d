package org.arcgrad.opencl.gemm;

import java.util.List;

/**
 * A test-only output stage that reduces along rows instead of storing C: the mechanics a fused
 * online log-sum-exp will use (column-tile loop, per-row-slot state in registers, partials of the
 * NDIMC work-items sharing a row written side by side), with the simplest reduction, a sum.
 */
final class RowSumOutput implements OutputStage {
    private final int ndimc;

    RowSumOutput(int ndimc) {
        this.ndimc = ndimc;
    }

    @Override
    public List<String> kernelParameters() {
        return List.of("__global float* restrict rowSums");
    }

    @Override
    public boolean walksAllColumnTiles() {
        return true;
    }

    @Override
    public void renderBeforeTiles(SourceWriter w, int rowSlots) {
        for (int i = 0; i < rowSlots; i++) {
            w.line("float rowSum" + i + " = 0.0f;");
        }
    }

    @Override
    public void renderConsume(SourceWriter w, int rowSlot, String row, String col, String value) {
        w.line("rowSum" + rowSlot + " += " + value + ";");
    }

    @Override
    public void renderAfterTiles(SourceWriter w, int rowSlots) {
        for (int i = 0; i < rowSlots; i++) {
            w.line("if (p" + i + " < P) rowSums[p" + i + " * " + ndimc + " + tn] = rowSum" + i + ";");
        }
    }
}
