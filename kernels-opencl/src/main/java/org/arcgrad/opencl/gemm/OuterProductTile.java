package org.arcgrad.opencl.gemm;

/**
 * The register layout both outer-product forms share (direct from global memory on CPUs,
 * staged in local memory on GPUs): each work-item's NWI columns are NWI/VWN slots of VWN-wide
 * vectors, and accumulator (i, j) holds lanes q_j … q_j + VWN − 1. Only how the operands reach
 * the tile differs, which each form's {@link #render} says.
 */
abstract class OuterProductTile extends RegisterTile {
    OuterProductTile(GemmParams params, KernelProblem problem) {
        super(params, problem);
    }

    @Override
    int columnSlots() {
        return params.nwi() / params.vwn();
    }

    @Override
    int lanes() {
        return params.vwn();
    }

    @Override
    String column(int j, int lane) {
        return lane == 0 ? "q" + j : "(q" + j + " + " + lane + ")";
    }

    @Override
    String value(int i, int j, int lane) {
        return Vectors.lane(params.vwn(), acc(i, j), lane);
    }
}
