package org.arcgrad.opencl.gemm;

import java.util.List;

/**
 * What a GEMM folds each row of its product into, for a row reduction fused into the product
 * ({@link GemmTemplate#renderRowFold}), which stores C as the plain GEMM does too: per row of C, {@code initial.size()} running values (a
 * max, a sum, ...) in registers, one set per row slot of each work-item, each element of the row
 * folded in by the OpenCL C function {@code name} (defined in {@code source}, placed before the
 * kernel), called as {@code name(row, col, acc, &s0, &s1, …, <parameter names>)} with acc the
 * finished dot product. After its share of the columns, the NDIMC work-items sharing a row
 * combine their running values through local memory with {@code combine}, called as
 * {@code combine(&s0, &s1, …, t0, t1, …)} (t the other work-item's values, folded into s), and
 * the first writes the work-group's as partial results: value v of row r from partial s (of
 * S = splits, s = the group's index along N) at {@code partials[(v · S + s) · M + r]}, which a
 * later kernel merges. A group with no column of a row leaves it the initial values. The
 * combining takes values × MWG × NDIMC floats of local memory beside the tiles'.
 *
 * <p>With {@code centres} K above 1 (a sub-center head: K columns of the product per class), the
 * value folded at (row, c) is the max of the product's columns c·K … c·K + K − 1 (NaN if any is
 * NaN, as the MAX op), and col counts classes: the kernel runs its loop over the depth once per
 * centre, over B's rows c·K + centre, stores each centre's product where it belongs in C, keeps
 * the running max of each element in registers, and after the last centre stores the max in CM
 * (kernel parameters {@code CM, ldcm} after C and ldc) and folds it. Only where R is read along the
 * depth (NT, B's rows being the product's columns), so that a centre's columns are B from row
 * {@code centre} with a row stride K·ldb.
 *
 * @param name       the fold function's name
 * @param combine    the combining function's name
 * @param source     OpenCL C defining both (and any helpers)
 * @param initial    the running values' initial values, as C expressions
 * @param parameters kernel parameter declarations the fold reads, each ending in its name, passed on in order
 * @param centres    columns of the product per folded column, their max folded (1: the product itself)
 */
public record RowFold(String name, String combine, String source, List<String> initial, List<String> parameters, int centres) {
    public RowFold {
        initial = List.copyOf(initial);
        parameters = List.copyOf(parameters);
        if (initial.isEmpty()) {
            throw new IllegalArgumentException("a row fold needs at least one running value");
        }
        if (centres < 1) {
            throw new IllegalArgumentException("a row fold takes the max of at least one column, not " + centres);
        }
    }

    /** The fold of the product's own values (one centre). */
    public RowFold(String name, String combine, String source, List<String> initial, List<String> parameters) {
        this(name, combine, source, initial, parameters, 1);
    }
}
