/**
 * The class-chunked margin loss (issue 10): computing the N×C part of a graph (logits x·Wᵀ, the
 * user's margin f on them, the row reductions of a cross-entropy, and the backward products into
 * grad x and grad W) chunk of columns by chunk of columns, so that no N×C buffer exists.
 *
 * <ul>
 *   <li>{@link org.arcgrad.opencl.fused.ClassRegionFinder} finds that part in any graph, forward and
 *       backward as the tape derived it, from the op kinds alone (no head is special): the
 *       {@link org.arcgrad.opencl.fused.ClassRegion}, or the reason there is none;</li>
 *   <li>{@link org.arcgrad.opencl.fused.ChunkGraphs} rebuilds the region's nodes for one chunk
 *       of columns as a small graph of its own (inputs: the row values, the chunk's slice of the
 *       column values and of W, the labels and the chunk's first column); its outputs are running
 *       row reductions and products that the next chunk continues (sum, max, or the online
 *       log-sum-exp's rescaled sum), or the chunk's columns or rows of C-long results;</li>
 *   <li>{@link org.arcgrad.opencl.fused.PerClassValues} finds the [C, k] values the chunks can
 *       compute class by class (Ŵ = W/‖W‖, and grad Ŵ → grad W), so that no stage holds them whole;</li>
 *   <li>{@link org.arcgrad.opencl.fused.Stash} keeps a product that several passes read (x̂·Ŵᵀ, for
 *       forward and backward) from the first for the others, in the buffer of an output the last
 *       one writes (grad W), so that backward does not compute it again;</li>
 *   <li>{@link org.arcgrad.opencl.fused.ChunkedPlan} orders the passes and the stages between them;
 *       {@link org.arcgrad.opencl.fused.ChunkedExecutable} runs them on a device with every value
 *       kept there;</li>
 *   <li>{@link org.arcgrad.opencl.fused.ChunkedInterpreter} runs a graph that way in fp64: the
 *       reference that the chunked device execution is held to, and the proof that the
 *       decomposition (passes, slices, combinations) is the same computation.</li>
 * </ul>
 *
 * A row value the region needs may itself come from the region (the row maximum that the
 * log-sum-exp subtracts, the sum that backward divides by): the region is then computed in
 * passes, each pass over all chunks, in the order these dependencies give (two for a margin head
 * with cross-entropy: the row max with the sum of exp beside it, then backward).
 */
package org.arcgrad.opencl.fused;
