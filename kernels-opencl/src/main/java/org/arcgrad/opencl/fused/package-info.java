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
 *       column values and of W, the labels shifted to the chunk); its outputs are partial row
 *       reductions and partial products that combine across chunks by sum or max, or slices of C-long
 *       results;</li>
 *   <li>{@link org.arcgrad.opencl.fused.ChunkedInterpreter} runs a graph that way in fp64: the
 *       reference that the chunked device execution is held to, and the proof that the
 *       decomposition (passes, slices, combinations) is the same computation.</li>
 * </ul>
 *
 * A row value the region needs may itself come from the region (the row maximum that the
 * log-sum-exp subtracts, the sum that backward divides by): the region is then computed in
 * passes, each pass over all chunks, in the order these dependencies give (three for a margin
 * head with cross-entropy, forward and backward).
 */
package org.arcgrad.opencl.fused;
