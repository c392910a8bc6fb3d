package org.arcgrad.opencl.gemm;

import java.util.function.IntFunction;

/**
 * Outer-product register tile read straight from global memory (no local memory): for each k,
 * MWI scalars of L are broadcast against NWI/VWN vectors of R along Q. The form of a CPU BLAS
 * micro-kernel; on a CPU the caches stand in for local memory, and PoCL runs the work-items of a
 * group one after the other, so there is nothing to share through local memory anyway. Needs R
 * contiguous along Q (NN, TN, and TT after the swap).
 *
 * <p>Edges: rows past P are clamped (loaded but never stored). Columns past Q would make a
 * vector load run off the end of a row, so the loop is rendered twice: with plain vector loads
 * for work-items whose block of columns lies wholly inside Q, and with clamped per-lane loads for
 * the (at most NDIMC) work-items that straddle the edge.
 */
final class DirectOuterProduct extends OuterProductTile {

    DirectOuterProduct(GemmParams params, KernelProblem problem) {
        super(params, problem);
    }

    @Override
    void render(SourceWriter w) {
        int vw = params.vwn();
        for (int j = 0; j < columnSlots(); j++) {
            w.line("const int q" + j + " = tileQ + " + slotOffset(j, vw) + ";");
        }
        declareAccumulators(w, vw);
        // The edge branch sits inside the K loop, before its barrier: PoCL replicates all code after
        // a barrier that lies in a branch, which made the output code compile for tens of seconds.
        openKLoop(w);
        // Work-items whose block lies wholly past the edge of C skip the arithmetic (not the barrier).
        w.open("if (p0 < P && q0 < Q)");
        // This work-item's columns are one contiguous block ending at q<last> + VWN - 1.
        w.open("if (q" + (columnSlots() - 1) + " + " + vw + " <= Q)");
        renderChunk(w, j -> Vectors.load(vw, problem.rightAlongQ("k", "q" + j)));
        w.reopen("else");
        renderChunk(w, j -> clampedLoad(vw, j));
        w.close();
        w.close();
        closeKLoop(w);
    }

    private String clampedLoad(int vw, int j) {
        String[] lanes = new String[vw];
        for (int v = 0; v < vw; v++) {
            lanes[v] = problem.right("k", "min(" + column(j, v) + ", Q - 1)");
        }
        return Vectors.literal(lanes);
    }

    /** The steps from k0 to kEnd, unrolled KWI times, then a remainder loop. */
    private void renderChunk(SourceWriter w, IntFunction<String> loadB) {
        int kwi = params.kwi();
        w.line("int k0 = kStart;");
        if (kwi > 1) {
            w.open("for (; k0 + " + kwi + " <= kEnd; k0 += " + kwi + ")");
            for (int u = 0; u < kwi; u++) {
                w.open("");
                w.line("const int k = k0 + " + u + ";");
                renderStep(w, loadB);
                w.close();
            }
            w.close();
        }
        w.open("for (; k0 < kEnd; ++k0)");
        w.line("const int k = k0;");
        renderStep(w, loadB);
        w.close();
    }

    private void renderStep(SourceWriter w, IntFunction<String> loadB) {
        for (int i = 0; i < params.mwi(); i++) {
            w.line("const float a" + i + " = " + problem.left("pc" + i, "k") + ";");
        }
        for (int j = 0; j < columnSlots(); j++) {
            w.line("const " + Vectors.type(params.vwn()) + " b" + j + " = " + loadB.apply(j) + ";");
        }
        renderFmas(w, params.vwn(), true);
    }
}
