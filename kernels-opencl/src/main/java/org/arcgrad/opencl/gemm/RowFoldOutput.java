package org.arcgrad.opencl.gemm;

import java.util.ArrayList;
import java.util.List;

/**
 * The output stage of {@link RowFold}: C stored, each value folded into its row slot's running
 * values, and after its share of the column tiles the work-group's running values (its
 * work-items' combined) written as partials. With centres, the values it consumes are the
 * centres' maxima, which it stores to CM; each centre's product goes through {@link #centreStore}.
 */
final class RowFoldOutput implements OutputStage {
    private final RowFold fold;
    private final int ndimc;
    private final int mdimc;
    private final StoreOutput centreStore;
    private final StoreOutput store;

    RowFoldOutput(RowFold fold, int ndimc, int mdimc) {
        this.fold = fold;
        this.ndimc = ndimc;
        this.mdimc = mdimc;
        this.centreStore = fold.centres() == 1 ? null : new StoreOutput("C", "ldc", fold.centres());
        this.store = fold.centres() == 1 ? new StoreOutput() : new StoreOutput("CM", "ldcm", 1);
    }

    /** Centres of each folded column ({@link RowFold#centres}). */
    int centres() {
        return fold.centres();
    }

    /** Where each centre's product goes, at column col·K + centre of C (with centres only). */
    OutputStage centreStore() {
        return centreStore;
    }

    @Override
    public List<String> kernelParameters() {
        List<String> p = new ArrayList<>();
        if (centreStore != null) {
            p.addAll(centreStore.kernelParameters());
        }
        p.addAll(store.kernelParameters());
        p.add("__global float* restrict partials");
        p.addAll(fold.parameters());
        return p;
    }

    @Override
    public boolean walksAllColumnTiles() {
        return true;
    }

    @Override
    public void renderBeforeTiles(SourceWriter w, int rowSlots) {
        for (int i = 0; i < rowSlots; i++) {
            for (int v = 0; v < fold.initial().size(); v++) {
                w.line("float fold" + i + "_" + v + " = " + fold.initial().get(v) + ";");
            }
        }
    }

    @Override
    public void renderConsume(SourceWriter w, int rowSlot, String row, String col, String value) {
        store.renderConsume(w, rowSlot, row, col, value);
        w.line(call(rowSlot, row, col, value) + ";");
    }

    @Override
    public void renderConsumeRun(SourceWriter w, int rowSlot, String row, String firstCol, String[] values) {
        store.renderConsumeRun(w, rowSlot, row, firstCol, values);
        for (int v = 0; v < values.length; v++) {
            w.line(call(rowSlot, row, OutputStage.column(firstCol, v), values[v]) + ";");
        }
    }

    private String call(int rowSlot, String row, String col, String value) {
        StringBuilder c = new StringBuilder(fold.name()).append('(').append(row).append(", ").append(col).append(", ").append(value);
        for (int v = 0; v < fold.initial().size(); v++) {
            c.append(", &fold").append(rowSlot).append('_').append(v);
        }
        for (String p : fold.parameters()) {
            c.append(", ").append(Epilogue.parameterName(p));
        }
        return c.append(')').toString();
    }

    @Override
    public void renderAfterTiles(SourceWriter w, int rowSlots) {
        int values = fold.initial().size();
        int rows = rowSlots * mdimc;
        w.line("// The work-items of a row tile's row combine their running values; the first writes the group's partials.");
        w.line("__local float foldShare[" + values * rows * ndimc + "];");
        for (int i = 0; i < rowSlots; i++) {
            for (int v = 0; v < values; v++) {
                w.line("foldShare[(" + v * rows + " + p" + i + " - tileP) * " + ndimc + " + tn] = fold" + i + "_" + v + ";");
            }
        }
        w.line("barrier(CLK_LOCAL_MEM_FENCE);");
        w.open("if (tn == 0)");
        for (int i = 0; i < rowSlots; i++) {
            w.open("for (int other = 1; other < " + ndimc + "; other++)");
            StringBuilder c = new StringBuilder(fold.combine()).append('(');
            for (int v = 0; v < values; v++) {
                c.append(v == 0 ? "" : ", ").append("&fold").append(i).append('_').append(v);
            }
            for (int v = 0; v < values; v++) {
                c.append(", foldShare[(").append(v * rows).append(" + p").append(i).append(" - tileP) * ").append(ndimc).append(" + other]");
            }
            w.line(c.append(");").toString());
            w.close();
            w.open("if (p" + i + " < P)");
            for (int v = 0; v < values; v++) {
                w.line("partials[((size_t)" + v + " * get_num_groups(0) + get_group_id(0)) * P + p" + i + "] = fold" + i + "_" + v + ";");
            }
            w.close();
        }
        w.close();
    }
}
