package org.arcgrad.opencl.gemm;

import java.util.List;

/**
 * One matrix product of the ArcFace head (batch N, embedding D, C classes), as the benchmark
 * measures it: the forward logits x·Wᵀ and the two products of backward.
 *
 * @param name fwd, grad_x or grad_w (the names bench/gemm_torch.py prints)
 * @param formula what it computes, for the table
 */
public record HeadProduct(String name, String formula, GemmVariant variant, int classes, int m, int n, int k) {

    /** The three products for a head with {@code batch} rows, {@code dim} features and {@code classes} classes. */
    public static List<HeadProduct> of(int batch, int dim, int classes) {
        return List.of(
            new HeadProduct("fwd", "x·Wᵀ", GemmVariant.NT, classes, batch, classes, dim),
            new HeadProduct("grad_x", "G·W", GemmVariant.NN, classes, batch, dim, classes),
            new HeadProduct("grad_w", "Gᵀ·x", GemmVariant.TN, classes, classes, dim, batch));
    }

    public double flops() {
        return GemmKernel.flops(m, n, k);
    }
}
