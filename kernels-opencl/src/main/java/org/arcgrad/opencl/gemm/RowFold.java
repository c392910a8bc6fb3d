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
 * @param name       the fold function's name
 * @param combine    the combining function's name
 * @param source     OpenCL C defining both (and any helpers)
 * @param initial    the running values' initial values, as C expressions
 * @param parameters kernel parameter declarations the fold reads, each ending in its name, passed on in order
 */
public record RowFold(String name, String combine, String source, List<String> initial, List<String> parameters) {
    public RowFold {
        initial = List.copyOf(initial);
        parameters = List.copyOf(parameters);
        if (initial.isEmpty()) {
            throw new IllegalArgumentException("a row fold needs at least one running value");
        }
    }
}
