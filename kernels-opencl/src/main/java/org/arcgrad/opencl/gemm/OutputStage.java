package org.arcgrad.opencl.gemm;

import java.util.List;

/**
 * Where each value of C goes after the epilogue. The template calls {@link #renderConsume} once
 * per owned element (already bounds-checked) inside the work-item, with the element's row and
 * column in C; nothing else in the template knows that values end up in a buffer.
 *
 * <p>{@link StoreOutput} writes C. A row reduction (online log-sum-exp across N tiles, for a
 * fused margin loss) is meant to be another implementation: it keeps per-row state in the
 * work-item ({@link #renderBeforeTiles}), folds values in ({@link #renderConsume}) and combines
 * and writes the state at the end ({@link #renderAfterTiles}), with the tile walk going over all
 * column tiles of its rows instead of one.
 */
interface OutputStage {

    /** Kernel parameter declarations this stage needs, appended after A and B. */
    List<String> kernelParameters();

    /** Code before the first tile, at work-item scope. */
    default void renderBeforeTiles(SourceWriter w) {
    }

    /** Code that consumes {@code value} of element ({@code row}, {@code col}) of C. */
    void renderConsume(SourceWriter w, String row, String col, String value);

    /**
     * Code that consumes {@code values.length} consecutive elements of one row of C, starting at
     * ({@code row}, {@code firstCol}), all known to be inside C. Stages that can do better than one
     * element at a time (a vector store) override this.
     */
    default void renderConsumeRun(SourceWriter w, String row, String firstCol, String[] values) {
        for (int v = 0; v < values.length; v++) {
            renderConsume(w, row, v == 0 ? firstCol : "(" + firstCol + " + " + v + ")", values[v]);
        }
    }

    /** Code after the last tile, at work-item scope. */
    default void renderAfterTiles(SourceWriter w) {
    }
}
