package org.arcgrad.opencl.gemm;

/**
 * Dot-product register tile read straight from global memory, for L and R both contiguous along
 * K (NT: the ArcFace forward x·Wᵀ). Each accumulator is a vector of VWK partial sums along K
 * for one element; MWI rows of L and NWI rows of R are loaded as VWK-vectors per step, and the
 * lanes are summed once at the end. This avoids transposing R (which an outer product along Q
 * would need) and reads both operands with unit stride.
 *
 * <p>Edges: rows and columns past P and Q are clamped (read, never stored), so there is no edge
 * branch at all; K is handled by a vector loop and a scalar remainder.
 */
final class DirectDotProduct extends RegisterTile {

    DirectDotProduct(GemmParams params, KernelProblem problem) {
        super(params, problem);
    }

    @Override
    int columnSlots() {
        return params.nwi();
    }

    @Override
    int lanes() {
        return 1;
    }

    @Override
    int accumulatorWidth() {
        return params.vwk();
    }

    @Override
    String column(int j, int lane) {
        return "q" + j;
    }

    @Override
    String value(int i, int j, int lane) {
        return Vectors.horizontalSum(functionPrefix, params.vwk(), acc(i, j));
    }

    @Override
    void render(SourceWriter w) {
        int vw = params.vwk();
        int kwi = params.kwi();
        for (int j = 0; j < columnSlots(); j++) {
            w.line("const int q" + j + " = tileQ + " + slotOffset(j, 1) + ";");
            w.line("const int qc" + j + " = min(q" + j + ", Q - 1);");
        }
        declareAccumulators(w, vw);
        openKLoop(w);
        // Work-items whose block lies wholly past the edge of C skip the arithmetic (not the barrier).
        w.open("if (p0 < P && q0 < Q)");
        w.line("int k0 = kStart;");
        w.open("for (; k0 + " + vw * kwi + " <= kEnd; k0 += " + vw * kwi + ")");
        for (int u = 0; u < kwi; u++) {
            w.open("");
            w.line("const int k = k0 + " + u * vw + ";");
            renderVectorStep(w, vw);
            w.close();
        }
        w.close();
        if (kwi > 1) {
            w.open("for (; k0 + " + vw + " <= kEnd; k0 += " + vw + ")");
            w.line("const int k = k0;");
            renderVectorStep(w, vw);
            w.close();
        }
        if (vw > 1) {
            // K not a multiple of VWK: the last few products go into lane 0.
            w.open("for (; k0 < kEnd; ++k0)");
            for (int i = 0; i < params.mwi(); i++) {
                w.line("const float a" + i + " = " + problem.left("pc" + i, "k0") + ";");
            }
            for (int j = 0; j < columnSlots(); j++) {
                w.line("const float b" + j + " = " + problem.right("k0", "qc" + j) + ";");
            }
            for (int i = 0; i < params.mwi(); i++) {
                for (int j = 0; j < columnSlots(); j++) {
                    String lane0 = Vectors.lane(vw, acc(i, j), 0);
                    w.line(lane0 + " = fma(a" + i + ", b" + j + ", " + lane0 + ");");
                }
            }
            w.close();
        }
        w.close();
        closeKLoop(w);
    }

    private void renderVectorStep(SourceWriter w, int vw) {
        String type = Vectors.type(vw);
        for (int i = 0; i < params.mwi(); i++) {
            w.line("const " + type + " a" + i + " = " + Vectors.load(vw, problem.leftAlongK("pc" + i, "k")) + ";");
        }
        for (int j = 0; j < columnSlots(); j++) {
            w.line("const " + type + " b" + j + " = " + Vectors.load(vw, problem.rightAlongK("qc" + j, "k")) + ";");
        }
        renderFmas(w, vw, false);
    }
}
