package org.arcgrad.opencl.fused;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.arcgrad.autodiff.Graph;
import org.arcgrad.autodiff.NDArray;
import org.arcgrad.autodiff.Tensor;
import org.arcgrad.opencl.CompileOptions;
import org.arcgrad.opencl.Executable;
import org.arcgrad.opencl.runtime.DeviceContext;

/**
 * A graph with a {@link ClassRegion} compiled for a device a chunk of columns at a time: each of
 * the {@link ChunkedPlan}'s small graphs is an ordinary {@link Executable} (same compiler, same
 * checks, same kernel plans), so no device buffer holds the N×C values, only N × (chunk width).
 *
 * <p>This first device form moves each chunk's inputs and partial results through the host and
 * combines them there; it bounds device memory, not time. The fused kernel (GEMM tile, epilogue
 * and row reductions in one launch) is to replace the chunk graphs without changing this contract.
 */
public final class ChunkedExecutable implements AutoCloseable {
    private final ChunkedPlan plan;
    private final Map<Graph, Executable> executables = new IdentityHashMap<>();

    private ChunkedExecutable(ChunkedPlan plan) {
        this.plan = plan;
    }

    /**
     * Compiles {@code outputs} with chunks of {@code chunkWidth} columns.
     *
     * @throws IllegalArgumentException when the graph has no class region (the message says why)
     */
    public static ChunkedExecutable compile(DeviceContext context, CompileOptions options, int chunkWidth, Tensor... outputs) {
        Graph graph = Graph.of(outputs);
        ChunkedPlan plan = ChunkedPlan.of(graph, chunkWidth).orElseThrow(() -> new IllegalArgumentException(
                "no class region to compute by chunks: " + ClassRegionFinder.find(graph).refusal()));
        ChunkedExecutable e = new ChunkedExecutable(plan);
        try {
            for (Graph g : plan.graphs()) {
                e.executables.put(g, Executable.compile(context, options, g.outputs().toArray(new Tensor[0])));
            }
        } catch (RuntimeException ex) {
            e.close();
            throw ex;
        }
        return e;
    }

    public ChunkedPlan plan() {
        return plan;
    }

    /** Runs with values for the graph's sources and returns its outputs, in order. */
    public NDArray[] run(Map<Tensor, NDArray> feeds) {
        return plan.run(feeds, (g, f) -> executables.get(g).run(f));
    }

    /**
     * Elements of the largest device buffer of the chunk graphs, the only pieces that hold values of
     * the region: at most the largest of rows × chunk width, rows × D and chunk width × D (the
     * other pieces hold only values outside the region, W and its gradient among them).
     */
    public long largestChunkBufferElements() {
        long most = 0;
        for (Graph g : plan.chunkGraphs()) {
            most = Math.max(most, executables.get(g).largestBufferElements());
        }
        return most;
    }

    @Override
    public void close() {
        List<RuntimeException> failures = new ArrayList<>();
        for (Executable e : executables.values()) {
            try {
                e.close();
            } catch (RuntimeException ex) {
                failures.add(ex);
            }
        }
        executables.clear();
        if (!failures.isEmpty()) {
            throw failures.get(0);
        }
    }
}
