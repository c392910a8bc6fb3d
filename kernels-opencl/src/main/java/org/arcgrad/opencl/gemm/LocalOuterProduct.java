package org.arcgrad.opencl.gemm;

/**
 * Outer-product register tile fed from local memory, the GPU form (as in CLBlast's Xgemm): per
 * KWG-deep slice of K, the work-group copies an MWG×KWG tile of L and a KWG×NWG tile of R into
 * local memory, k-major ({@code Alm[k][p]}, {@code Blm[k][q]}), then every work-item runs its
 * MWI × NWI/VWN register tile over the slice from there.
 *
 * <p>The copies walk global memory along its contiguous direction (consecutive work-items read
 * consecutive addresses: coalesced on a GPU) and do the transposes of NT and TN on the way, so the
 * compute loop is the same for every variant. Elements past P, Q or K are stored as zeros, which
 * makes every edge and the last partial K slice correct without a branch in the compute loop.
 */
final class LocalOuterProduct extends OuterProductTile {

    LocalOuterProduct(GemmParams params, KernelProblem problem) {
        super(params, problem);
    }

    /**
     * Row length of the L tile in local memory. When L is contiguous along K the copy writes it
     * transposed, consecutive work-items striding by a row; one float of padding puts those
     * writes in different banks. (R's rows stay unpadded so that its vector reads stay aligned.)
     */
    private int leftRowLength() {
        return params.mwg() + (problem.leftKContiguous() ? 1 : 0);
    }

    @Override
    boolean stridedOwnership() {
        return true;
    }

    @Override
    void renderKernelScope(SourceWriter w) {
        w.line("__local float Alm[" + params.kwg() * leftRowLength() + "];");
        w.line("__local float Blm[" + params.kwg() * params.nwg() + "];");
    }

    @Override
    void render(SourceWriter w) {
        int mwg = params.mwg();
        int nwg = params.nwg();
        int kwg = params.kwg();
        int vw = params.vwn();
        int wgs = params.workGroupSize();
        w.line("const int lid = tm * " + params.ndimc() + " + tn;");
        for (int j = 0; j < columnSlots(); j++) {
            w.line("const int lq" + j + " = " + slotOffset(j, vw) + ";");
            w.line("const int q" + j + " = tileQ + lq" + j + ";");
        }
        declareAccumulators(w, vw);
        w.open("for (int k0 = 0; k0 < K; k0 += " + kwg + ")");

        // Copy the L tile: consecutive work-items take consecutive addresses of L's contiguous direction.
        w.open("for (int idx = lid; idx < " + kwg * mwg + "; idx += " + wgs + ")");
        if (problem.leftKContiguous()) {
            w.line("const int lp = idx / " + kwg + ", lk = idx % " + kwg + ";");
        } else {
            w.line("const int lk = idx / " + mwg + ", lp = idx % " + mwg + ";");
        }
        w.line("const int gp = tileP + lp, gk = k0 + lk;");
        w.line("Alm[lk * " + leftRowLength() + " + lp] = (gp < P && gk < K) ? " + problem.left("gp", "gk") + " : 0.0f;");
        w.close();

        // Copy the R tile the same way.
        w.open("for (int idx = lid; idx < " + kwg * nwg + "; idx += " + wgs + ")");
        if (problem.rightQContiguous()) {
            w.line("const int lk = idx / " + nwg + ", lq = idx % " + nwg + ";");
        } else {
            w.line("const int lq = idx / " + kwg + ", lk = idx % " + kwg + ";");
        }
        w.line("const int gq = tileQ + lq, gk = k0 + lk;");
        w.line("Blm[lk * " + nwg + " + lq] = (gq < Q && gk < K) ? " + problem.right("gk", "gq") + " : 0.0f;");
        w.close();
        w.line("barrier(CLK_LOCAL_MEM_FENCE);");

        w.open("for (int kk = 0; kk < " + kwg + "; kk += " + params.kwi() + ")");
        for (int u = 0; u < params.kwi(); u++) {
            w.open("");
            w.line("const int k = kk + " + u + ";");
            for (int i = 0; i < params.mwi(); i++) {
                w.line("const float a" + i + " = Alm[k * " + leftRowLength() + " + " + i * params.mdimc() + " + tm];");
            }
            for (int j = 0; j < columnSlots(); j++) {
                w.line("const " + Vectors.type(vw) + " b" + j + " = "
                    + Vectors.load(vw, "Blm + k * " + nwg + " + lq" + j) + ";");
            }
            renderFmas(w, vw, true);
            w.close();
        }
        w.close();
        w.line("barrier(CLK_LOCAL_MEM_FENCE);");
        w.close();
    }
}
