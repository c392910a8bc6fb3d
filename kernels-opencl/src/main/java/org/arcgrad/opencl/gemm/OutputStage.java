package org.arcgrad.opencl.gemm;

import java.util.List;

/**
 * Where each value of C goes after the epilogue; nothing else in the template knows that values
 * end up in a buffer. {@link StoreOutput} writes C.
 *
 * <p>This is the door for the fused row reduction (online log-sum-exp across N tiles, so that a
 * margin loss never writes the N×C logits; {@link RowFoldOutput}): such a stage returns true from
 * {@link #walksAllColumnTiles}, which makes each work-group loop over its share of the column
 * tiles of its row tile (every get_num_groups(0)-th; the register tile and the epilogue run
 * unchanged inside that loop); it declares
 * per-row running state in {@link #renderBeforeTiles} (one per row slot of the work-item, so it
 * stays in registers), folds each value in at {@link #renderConsume}, and combines and writes
 * the state in {@link #renderAfterTiles}. Row slot i of a work-item is row {@code p<i>} of C
 * (declared before the column loop), valid when {@code p<i> < P}.
 */
interface OutputStage {

    /** Kernel parameter declarations this stage needs, appended after A and B. */
    List<String> kernelParameters();

    /**
     * True: launch one work-group per row tile (or several, {@link GemmKernel#globalSize(int, int, int)}) and let it walk
     * all column tiles of C (its share of them) in a loop
     * (for reductions along rows). False: one work-group per tile.
     */
    default boolean walksAllColumnTiles() {
        return false;
    }

    /** Code before the first tile, at work-item scope, after the row indices p0..p{rowSlots-1}. */
    default void renderBeforeTiles(SourceWriter w, int rowSlots) {
    }

    /** Code that consumes {@code value} of element ({@code row}, {@code col}) of C, row slot {@code rowSlot}. */
    void renderConsume(SourceWriter w, int rowSlot, String row, String col, String value);

    /**
     * Code that consumes {@code values.length} consecutive elements of one row of C, starting at
     * ({@code row}, {@code firstCol}), all known to be inside C. Stages that can do better than one
     * element at a time (a vector store) override this.
     */
    default void renderConsumeRun(SourceWriter w, int rowSlot, String row, String firstCol, String[] values) {
        for (int v = 0; v < values.length; v++) {
            renderConsume(w, rowSlot, row, column(firstCol, v), values[v]);
        }
    }

    /** Column {@code v} of a run that starts at {@code firstCol}, as C text. */
    static String column(String firstCol, int v) {
        return v == 0 ? firstCol : "(" + firstCol + " + " + v + ")";
    }

    /** Code after the last tile, at work-item scope. */
    default void renderAfterTiles(SourceWriter w, int rowSlots) {
    }
}
