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
 * <p>The pieces run one after another and only the last two used keep their buffers (a pass's
 * stage, then its chunk graph for full and for short chunks), so the device holds the largest
 * two pieces at a time, not all of them: each piece that reads a W-sized value has its own buffer
 * for it. Every piece is compiled once up front, so that errors show at compile time and the
 * programs are cached; a piece set aside is planned and given buffers again when it is next needed.
 *
 * <p>This first device form moves each chunk's inputs and partial results through the host and
 * combines them there: it keeps the N×C values off the device but costs time, and each piece that
 * reads a W-sized value still has its own buffer for it. The fused kernel (GEMM tile, epilogue and
 * row reductions in one launch) is to replace the chunk graphs without changing this contract.
 */
public final class ChunkedExecutable implements AutoCloseable {
    /** How many pieces keep their buffers at once. */
    private static final int KEPT = 2;

    private final DeviceContext context;
    private final CompileOptions options;
    private final ChunkedPlan plan;
    /** The pieces that hold buffers now, least recently used first. */
    private final Map<Graph, Executable> executables = new java.util.LinkedHashMap<>(4, 0.75f, true);
    private final Map<Graph, Long> largestBuffer = new IdentityHashMap<>();

    private ChunkedExecutable(DeviceContext context, CompileOptions options, ChunkedPlan plan) {
        this.context = context;
        this.options = options;
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
        ChunkedExecutable e = new ChunkedExecutable(context, options, plan);
        for (Graph g : plan.graphs()) {
            try (Executable piece = e.compile(g)) {
                e.largestBuffer.put(g, piece.largestBufferElements());
            }
        }
        return e;
    }

    public ChunkedPlan plan() {
        return plan;
    }

    /** Runs with values for the graph's sources and returns its outputs, in order. */
    public NDArray[] run(Map<Tensor, NDArray> feeds) {
        return plan.run(feeds, (g, f) -> piece(g).run(f));
    }

    private Executable compile(Graph g) {
        return Executable.compile(context, options, g.outputs().toArray(new Tensor[0]));
    }

    /** The executable of {@code g}, made again if it was set aside; sets aside the least recently used beyond {@link #KEPT}. */
    private Executable piece(Graph g) {
        Executable e = executables.get(g);
        if (e != null) {
            return e;
        }
        while (executables.size() >= KEPT) {
            Graph oldest = executables.keySet().iterator().next();
            executables.remove(oldest).close();
        }
        e = compile(g);
        executables.put(g, e);
        return e;
    }

    /**
     * Elements of the largest device buffer of the chunk graphs, the only pieces that hold values of
     * the region: at most the largest of rows × chunk width, rows × D and chunk width × D (the
     * other pieces hold only values outside the region, W and its gradient among them).
     */
    public long largestChunkBufferElements() {
        long most = 0;
        for (Graph g : plan.chunkGraphs()) {
            most = Math.max(most, largestBuffer.get(g));
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
