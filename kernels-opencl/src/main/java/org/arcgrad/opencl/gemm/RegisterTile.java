package org.arcgrad.opencl.gemm;

/**
 * The part of the kernel that fills one work-item's accumulators: declares them, runs the loop
 * over K, and then says, for each owned element, its (p, q) position in the kernel's product and
 * the expression holding its value. The template around it is the same for every form.
 *
 * <p>Which rows a work-item owns depends on the form ({@link #stridedOwnership}): strided by MDIMC
 * ({@code p_i = tileP + i*MDIMC + tm}) where neighbouring work-items should touch neighbouring
 * addresses (GPUs: coalescing, local-memory banks), contiguous ({@code p_i = tileP + tm*MWI + i})
 * where a work-item should own whole cache lines and work-items wholly past the edge of C should
 * be able to skip their work (CPUs). Columns follow the same rule in units of vectors.
 * {@code pc_i} is p_i clamped to P-1, so that loads of rows past the edge stay inside the buffer;
 * their results are never stored.
 */
abstract class RegisterTile {
    final GemmParams params;
    final KernelProblem problem;
    /** Prefix of helper functions this tile's code calls (the kernel's name). */
    String functionPrefix = "arcgrad_gemm";

    RegisterTile(GemmParams params, KernelProblem problem) {
        this.params = params;
        this.problem = problem;
    }

    /** More floats of accumulators than this per work-item spill on every device we target. */
    static final int MAX_ACCUMULATOR_FLOATS = 1024;

    static RegisterTile choose(GemmParams params, KernelProblem problem) {
        RegisterTile tile;
        if (params.localMemory()) {
            tile = new LocalOuterProduct(params, problem);
        } else {
            tile = problem.prefersDotProduct() ? new DirectDotProduct(params, problem) : new DirectOuterProduct(params, problem);
        }
        long floats = (long) params.mwi() * tile.columnSlots() * tile.accumulatorWidth();
        if (floats > MAX_ACCUMULATOR_FLOATS) {
            throw new IllegalArgumentException("register tile of " + tile.getClass().getSimpleName() + " needs " + floats
                + " floats of accumulators per work-item (MWI=" + params.mwi() + " rows × " + tile.columnSlots()
                + " accumulators of " + tile.accumulatorWidth() + " floats), more than " + MAX_ACCUMULATOR_FLOATS
                + "; parameters tuned for another variant? (" + params + ")");
        }
        return tile;
    }

    /** Floats per accumulator variable: VWN for the outer-product forms, VWK for the dot-product form. */
    int accumulatorWidth() {
        return lanes();
    }

    /** Declarations that OpenCL allows only at the kernel's outermost scope (local memory). */
    void renderKernelScope(SourceWriter w) {
    }

    /** Declares the row indices p_i and pc_i; once per work-item, before any column tile. */
    void renderRowIndices(SourceWriter w) {
        for (int i = 0; i < params.mwi(); i++) {
            String offset = stridedOwnership() ? i * params.mdimc() + " + tm" : "tm * " + params.mwi() + " + " + i;
            w.line("const int p" + i + " = tileP + " + offset + ";");
            w.line("const int pc" + i + " = min(p" + i + ", P - 1);");
        }
    }

    /** For the column tile at {@code tileQ}: declares column indices and accumulators and accumulates over all of K. */
    abstract void render(SourceWriter w);

    /** Number of accumulator columns per row (vectors or scalars). */
    abstract int columnSlots();

    /** Lanes per accumulator column: VWN for outer-product forms, 1 for the dot-product form. */
    abstract int lanes();

    /** Column q (in the kernel's product) of lane {@code lane} of column slot {@code j}. */
    abstract String column(int j, int lane);

    /** Expression for the finished value of element (i, j, lane). */
    abstract String value(int i, int j, int lane);

    String row(int i) {
        return "p" + i;
    }

    String acc(int i, int j) {
        return "acc" + i + "_" + j;
    }

    /** True where work-items interleave (GPU form), false where each owns a contiguous block (CPU forms). */
    boolean stridedOwnership() {
        return false;
    }

    /**
     * Expression for the first column (in units of {@code width}-wide slots) of slot j: strided
     * {@code (j*NDIMC + tn)*width} or contiguous {@code (tn*slots + j)*width}.
     */
    String slotOffset(int j, int width) {
        String slot = stridedOwnership() ? "(" + j * params.ndimc() + " + tn)" : "(tn * " + columnSlots() + " + " + j + ")";
        return width == 1 ? slot : slot + " * " + width;
    }

    /**
     * Opens the loop over K for the direct forms. With more than one work-item per group, K is
     * walked in KWG-deep chunks with a barrier after each, so that all work-items of a group work
     * on the same slice of A and B at a time: on a CPU, where PoCL runs the work-items of a group
     * one after the other between barriers, this is the K-blocking of a CPU BLAS (the slices stay
     * in cache while every work-item uses them). Inside, the steps run from {@code kStart} up to
     * {@code kEnd}. Close with {@link #closeKLoop}. The loop is at the kernel's top level, never
     * inside a branch, because PoCL replicates whatever follows a barrier that sits in a branch.
     */
    void openKLoop(SourceWriter w) {
        if (params.workGroupSize() > 1) {
            w.open("for (int kStart = 0; kStart < K; kStart += " + params.kwg() + ")");
            w.line("const int kEnd = min(kStart + " + params.kwg() + ", K);");
        } else {
            w.open("");
            w.line("const int kStart = 0, kEnd = K;");
        }
    }

    void closeKLoop(SourceWriter w) {
        if (params.workGroupSize() > 1) {
            w.line("barrier(CLK_LOCAL_MEM_FENCE); // keeps the group on one K chunk (cache blocking), no data exchanged");
        }
        w.close();
    }

    void declareAccumulators(SourceWriter w, int width) {
        for (int i = 0; i < params.mwi(); i++) {
            StringBuilder s = new StringBuilder(Vectors.type(width)).append(' ');
            for (int j = 0; j < columnSlots(); j++) {
                s.append(j == 0 ? "" : ", ").append(acc(i, j)).append(" = 0.0f");
            }
            w.line(s.append(';').toString());
        }
    }

    /** {@code acc = fma(a, b, acc)} for every accumulator, with a_i and b_j already loaded. */
    void renderFmas(SourceWriter w, int width, boolean broadcastA) {
        for (int i = 0; i < params.mwi(); i++) {
            for (int j = 0; j < columnSlots(); j++) {
                String a = broadcastA ? Vectors.broadcast(width, "a" + i) : "a" + i;
                w.line(acc(i, j) + " = fma(" + a + ", b" + j + ", " + acc(i, j) + ");");
            }
        }
    }
}
