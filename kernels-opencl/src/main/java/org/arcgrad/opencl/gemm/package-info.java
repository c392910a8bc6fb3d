/**
 * The tiled fp32 GEMM template: OpenCL C for C[M×N] = op(A)·op(B), op = identity or transpose
 * (all of NN, NT, TN, TT; row-major), with named tuning parameters, any sizes, an epilogue, and
 * an output stage through which a later fused row reduction can replace the store.
 *
 * <pre>{@code
 * try (DeviceContext ctx = DeviceContext.open(Devices.choose())) {
 *     GemmParams params = GemmDefaults.forDevice(DeviceLimits.of(ctx.device().info()), GemmVariant.NT);
 *     GemmKernel k = GemmTemplate.render(GemmVariant.NT, params, Epilogue.of("acc * s", "const float s"));
 *     try (CompiledGemm gemm = new CompiledGemm(ctx, k)) {          // checks params against the device, builds
 *         gemm.run(m, n, depth, x, w, logits, 64.0f);                 // logits = 64 · x·Wᵀ, waits, returns timings
 *     }
 * }
 * }</pre>
 *
 * Without {@link org.arcgrad.opencl.gemm.CompiledGemm}: build {@code k.source()}, set the arguments
 * {@code M, N, K, A, lda, B, ldb, C, ldc} then the epilogue's, and launch
 * {@code k.globalSize(M, N)} with exactly {@code k.localSize()}.
 *
 * <ul>
 *   <li>{@link org.arcgrad.opencl.gemm.GemmTemplate}: the renderer and the design (read its javadoc first).</li>
 *   <li>{@link org.arcgrad.opencl.gemm.GemmParams}: MWG, NWG, KWG, MDIMC, NDIMC, VWN, VWK, KWI,
 *       local memory, tile walk; validated on construction and against a device.</li>
 *   <li>{@link org.arcgrad.opencl.gemm.GemmDefaults}: per device type and variant, with the measurements behind them;
 *       {@link org.arcgrad.opencl.gemm.GemmCandidates} and {@link org.arcgrad.opencl.gemm.GemmTuner}
 *       pick the fastest of a list on the actual device for one shape.</li>
 *   <li>{@link org.arcgrad.opencl.gemm.GemmBenchmark}: GFLOP/s on the ArcFace head's products beside
 *       OpenBLAS through PyTorch; run {@code ./arcgrad bench gemm}.</li>
 * </ul>
 */
package org.arcgrad.opencl.gemm;
