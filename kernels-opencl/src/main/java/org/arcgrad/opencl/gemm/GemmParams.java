package org.arcgrad.opencl.gemm;

/**
 * Tuning parameters of the GEMM template, named after CLBlast's Xgemm where they mean the same.
 *
 * <p>A work-group of {@code NDIMC × MDIMC} work-items computes one {@code MWG × NWG} tile of C;
 * each work-item owns {@code MWI = MWG/MDIMC} rows and {@code NWI = NWG/NDIMC} columns of it,
 * held in registers: interleaved with its neighbours' in the local-memory (GPU) form, as one
 * contiguous block in the direct (CPU) forms (see {@link RegisterTile}).
 *
 * @param mwg rows of C per work-group tile
 * @param nwg columns of C per work-group tile
 * @param kwg depth of one local-memory tile (only read when {@code localMemory})
 * @param mdimc work-items per work-group along M
 * @param ndimc work-items per work-group along N
 * @param vwn vector width along N for loads of B and for accumulators in the outer-product form
 * @param vwk vector width along K in the dot-product form (used for NT without local memory)
 * @param kwi how many steps of K the inner loop unrolls
 * @param localMemory stage A and B tiles in local memory (GPUs) instead of reading them
 *     straight from global memory through the caches (CPUs)
 * @param rowTilesFirst walk work-groups down the rows of C before moving to the next column
 *     tile; on a CPU this keeps one column panel of B in cache while A streams past it
 */
public record GemmParams(int mwg, int nwg, int kwg, int mdimc, int ndimc, int vwn, int vwk, int kwi,
                         boolean localMemory, boolean rowTilesFirst) {

    /** More accumulators than this per work-item cannot live in registers on any device we target. */
    static final int MAX_ACCUMULATORS_PER_WORK_ITEM = 512;

    public GemmParams {
        positive("MWG", mwg);
        positive("NWG", nwg);
        positive("KWG", kwg);
        positive("MDIMC", mdimc);
        positive("NDIMC", ndimc);
        positive("KWI", kwi);
        vectorWidth("VWN", vwn);
        vectorWidth("VWK", vwk);
        if (mwg % mdimc != 0) {
            throw new IllegalArgumentException("MWG (" + mwg + ") must be a multiple of MDIMC (" + mdimc
                + "): each of the MDIMC work-items along M owns MWG/MDIMC rows");
        }
        if (nwg % (ndimc * vwn) != 0) {
            throw new IllegalArgumentException("NWG (" + nwg + ") must be a multiple of NDIMC*VWN (" + ndimc + "*"
                + vwn + " = " + ndimc * vwn + "): each of the NDIMC work-items along N owns whole vectors of VWN columns");
        }
        if (localMemory && kwg % kwi != 0) {
            throw new IllegalArgumentException("KWG (" + kwg + ") must be a multiple of KWI (" + kwi
                + "): the inner loop over a local tile is unrolled KWI steps at a time");
        }
        long accumulators = (long) (mwg / mdimc) * (nwg / ndimc);
        if (accumulators > MAX_ACCUMULATORS_PER_WORK_ITEM) {
            throw new IllegalArgumentException("register tile MWI×NWI = " + mwg / mdimc + "×" + nwg / ndimc + " = "
                + accumulators + " accumulators per work-item is more than " + MAX_ACCUMULATORS_PER_WORK_ITEM
                + "; use a larger MDIMC/NDIMC or a smaller MWG/NWG");
        }
    }

    /** Rows of C owned by one work-item. */
    public int mwi() {
        return mwg / mdimc;
    }

    /** Columns of C owned by one work-item. */
    public int nwi() {
        return nwg / ndimc;
    }

    public int workGroupSize() {
        return mdimc * ndimc;
    }

    /** Bytes of local memory a work-group uses: an MWG×KWG tile of A (plus a padding column) and a KWG×NWG tile of B. */
    public long localMemoryBytes() {
        return localMemory ? 4L * kwg * (mwg + 1 + nwg) : 0L;
    }

    /** Throws with a message naming the limit when these parameters cannot run on {@code device}. */
    public void checkFits(DeviceLimits device) {
        if (workGroupSize() > device.maxWorkGroupSize()) {
            throw new IllegalArgumentException("work-group MDIMC*NDIMC = " + mdimc + "*" + ndimc + " = " + workGroupSize()
                + " exceeds the device's maximum work-group size " + device.maxWorkGroupSize());
        }
        if (ndimc > device.maxWorkItems0() || mdimc > device.maxWorkItems1()) {
            throw new IllegalArgumentException("work-group NDIMC×MDIMC = " + ndimc + "×" + mdimc
                + " exceeds the device's maximum work-item sizes " + device.maxWorkItems0() + "×" + device.maxWorkItems1());
        }
        if (localMemoryBytes() > device.localMemoryBytes()) {
            throw new IllegalArgumentException("local tiles need 4*KWG*(MWG+1+NWG) = 4*" + kwg + "*(" + mwg + "+1+" + nwg + ") = "
                + localMemoryBytes() + " bytes, more than the device's " + device.localMemoryBytes() + " bytes of local memory");
        }
    }

    /**
     * Work-groups a product of C = M×N gives with these tiles: MWG×NWG tiles of the kernel's
     * P×Q product, which is C for NN, NT and TN and Cᵀ for TT ({@link KernelProblem}).
     */
    public long workGroups(GemmVariant variant, int m, int n) {
        long p = variant == GemmVariant.TT ? n : m;
        long q = variant == GemmVariant.TT ? m : n;
        return (p + mwg - 1) / mwg * ((q + nwg - 1) / nwg);
    }

    /** Whether {@link #checkFits} passes. */
    public boolean fitsOn(DeviceLimits device) {
        try {
            checkFits(device);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Same parameters with a different tile walk. */
    public GemmParams withRowTilesFirst(boolean value) {
        return new GemmParams(mwg, nwg, kwg, mdimc, ndimc, vwn, vwk, kwi, localMemory, value);
    }

    /** CLBlast-style one-line spelling, e.g. for benchmark tables and tuner logs. */
    @Override
    public String toString() {
        return "MWG=" + mwg + " NWG=" + nwg + " KWG=" + kwg + " MDIMC=" + mdimc + " NDIMC=" + ndimc + " VWN=" + vwn
            + " VWK=" + vwk + " KWI=" + kwi + " LOCAL=" + (localMemory ? 1 : 0) + " ROWS_FIRST=" + (rowTilesFirst ? 1 : 0);
    }

    private static void positive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1, got " + value);
        }
    }

    private static void vectorWidth(String name, int value) {
        if (!Vectors.isValidWidth(value)) {
            throw new IllegalArgumentException(name + " must be 1, 2, 4, 8 or 16 (an OpenCL vector width), got " + value);
        }
    }
}
