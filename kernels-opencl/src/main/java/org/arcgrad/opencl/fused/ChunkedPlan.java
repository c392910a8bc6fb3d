package org.arcgrad.opencl.fused;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.arcgrad.autodiff.Graph;
import org.arcgrad.autodiff.NDArray;
import org.arcgrad.autodiff.Op;
import org.arcgrad.autodiff.Shape;
import org.arcgrad.autodiff.Tensor;

/**
 * How to evaluate a graph with its {@link ClassRegion} computed chunk by chunk, whatever runs the
 * pieces: for each pass, the {@link OutsideGraph} that gives the values the pass reads, then the
 * {@link ChunkGraphs} run once per chunk, their partial results combined (sums and maxima across
 * chunks, slices put in place); after the last pass, the outside graph of the outputs. Every
 * graph a backend runs holds at most N × (chunk width) of the region's values at once. A product
 * that several passes read is computed by the first and kept for the others where a consumer of
 * the last can hold it ({@link Stash}).
 */
public final class ChunkedPlan {
    /** Runs one of the plan's small graphs: the interpreter, or a compiled executable per graph. */
    @FunctionalInterface
    public interface Backend {
        NDArray[] run(Graph graph, Map<Tensor, NDArray> feeds);
    }

    /**
     * One pass: the stage that computes what it reads and nobody computed before (null: nothing
     * new), and its chunk graphs for full chunks and for the short last one (the same when C is a
     * multiple of the width).
     */
    record Pass(OutsideGraph before, ChunkGraphs regular, ChunkGraphs last) {
        /** The chunk graph of the chunk that starts at column {@code c0}. */
        ChunkGraphs chunkAt(int c0, int classes) {
            return c0 + regular.width() <= classes ? regular : last;
        }
    }

    private final Graph graph;
    private final ClassRegion region;
    private final int width;
    private final List<Pass> passes = new ArrayList<>();
    private final List<Stash> stashes;
    private final OutsideGraph after;

    private ChunkedPlan(Graph graph, ClassRegion region, int width, boolean keepProducts) {
        this.graph = graph;
        this.region = region;
        this.width = width;
        this.stashes = keepProducts ? Stash.of(region) : List.of();
        Set<Tensor> known = new HashSet<>(); // values earlier stages computed: later stages read them
        for (int p = 1; p <= region.passes(); p++) {
            ChunkGraphs regular = ChunkGraphs.of(region, p, width, stashes);
            ChunkGraphs last = region.classes() % width == 0 ? regular : ChunkGraphs.of(region, p, region.classes() % width, stashes);
            Set<Tensor> reads = new LinkedHashSet<>();
            for (ChunkGraphs g : List.of(regular, last)) {
                reads.addAll(g.whole().values());
                reads.addAll(g.sliced().values());
                reads.addAll(g.labels().values());
            }
            reads.removeIf(t -> known.contains(t) || t.op().kind() == Op.Kind.SOURCE);
            passes.add(new Pass(reads.isEmpty() ? null : OutsideGraph.of(region, new ArrayList<>(reads), known), regular, last));
            known.addAll(reads);
        }
        this.after = OutsideGraph.of(region, graph.outputs(), known);
    }

    /**
     * The plan for {@code graph} with chunks of {@code chunkWidth} columns, or empty when it has no
     * class region; products that several passes read are kept where they can be ({@link Stash}).
     */
    public static Optional<ChunkedPlan> of(Graph graph, int chunkWidth) {
        return of(graph, chunkWidth, true);
    }

    /**
     * As {@link #of(Graph, int)}; with {@code keepProducts} false every pass computes the products
     * it reads (to measure what keeping them saves, and to test both ways).
     */
    public static Optional<ChunkedPlan> of(Graph graph, int chunkWidth, boolean keepProducts) {
        if (chunkWidth < 1) {
            throw new IllegalArgumentException("a chunk has at least one column, not " + chunkWidth);
        }
        return ClassRegionFinder.find(graph).region()
                .map(r -> new ChunkedPlan(graph, r, Math.min(chunkWidth, r.classes()), keepProducts));
    }

    /** The products kept from one pass for later ones, each with the consumer whose buffer holds it meanwhile. */
    List<Stash> stashes() {
        return stashes;
    }

    /** How many products later passes take from an earlier one instead of computing them again. */
    public int keptProducts() {
        return stashes.size();
    }

    public ClassRegion region() {
        return region;
    }

    public int chunkWidth() {
        return width;
    }

    /** Every graph {@link #run} hands to the backend, so that a backend can compile them up front. */
    public List<Graph> graphs() {
        List<Graph> all = new ArrayList<>(chunkGraphs());
        for (OutsideGraph s : stages()) {
            all.add(s.graph());
        }
        return all;
    }

    /** The chunk graphs alone (the only graphs that hold values of the region). */
    public List<Graph> chunkGraphs() {
        List<Graph> chunks = new ArrayList<>();
        for (Pass p : passes) {
            chunks.add(p.regular().graph());
            if (p.last() != p.regular()) {
                chunks.add(p.last().graph());
            }
        }
        return chunks;
    }

    List<Pass> passes() {
        return passes;
    }

    /** The graph this plan computes. */
    public Graph graph() {
        return graph;
    }

    /** The stages between and after the passes (the graphs outside the region), in the order they run. */
    List<OutsideGraph> stages() {
        List<OutsideGraph> all = new ArrayList<>();
        for (Pass p : passes) {
            if (p.before() != null) {
                all.add(p.before());
            }
        }
        all.add(after);
        return all;
    }

    OutsideGraph after() {
        return after;
    }

    /** The graph's outputs, in order, from values for its sources. */
    public NDArray[] run(Map<Tensor, NDArray> feeds, Backend backend) {
        Map<Tensor, NDArray> values = new HashMap<>(feeds); // original node → value
        Map<Stash, Map<Integer, NDArray>> kept = new HashMap<>(); // stash → first column of a chunk → its values
        int classes = region.classes();
        for (Pass pass : passes) {
            if (pass.before() != null) {
                NDArray[] read = evaluate(pass.before(), values, backend);
                for (int k = 0; k < read.length; k++) {
                    values.put(pass.before().targets().get(k), read[k]);
                }
            }
            for (Tensor labels : pass.regular().labels().values()) {
                checkLabels(labels, values.get(labels));
            }
            Map<ClassRegion.Consumer, NDArray> results = new HashMap<>();
            for (ClassRegion.Consumer c : pass.regular().partials().keySet()) {
                results.put(c, ChunkGraphs.isRunningTotal(c.kind())
                        ? NDArray.full(c.node().shape(), ChunkGraphs.initialTotal(c.kind())) : NDArray.zeros(c.node().shape()));
            }
            for (int c0 = 0; c0 < classes; c0 += width) {
                ChunkGraphs chunk = pass.chunkAt(c0, classes);
                Map<Tensor, NDArray> f = chunkFeeds(chunk, values, c0);
                chunk.runningTotals().forEach((c, in) -> f.put(in, results.get(c)));
                int first = c0;
                chunk.taken().forEach((in, stash) -> f.put(in, kept.get(stash).get(first)));
                NDArray[] out = backend.run(chunk.graph(), f);
                int k = 0;
                for (ClassRegion.Consumer c : chunk.partials().keySet()) {
                    NDArray part = out[k++];
                    if (ChunkGraphs.isRunningTotal(c.kind())) {
                        results.put(c, part);
                    } else {
                        System.arraycopy(part.data(), 0, results.get(c).data(),
                                (int) region.axis().startOf(c.node().shape(), c0), part.data().length);
                    }
                }
                for (Stash stash : chunk.kept().keySet()) {
                    kept.computeIfAbsent(stash, x -> new HashMap<>()).put(c0, out[k++]);
                }
            }
            results.forEach((c, v) -> values.put(c.node(), v));
        }
        return evaluate(after, values, backend);
    }

    /**
     * Labels that pick a column of the one-hot matrix must be whole numbers in [0, C), as the whole
     * graph checks them: shifted to a chunk, a label outside the range would match no column of any
     * chunk and quietly give a row without its label.
     */
    void checkLabels(Tensor node, NDArray value) {
        double[] labels = value.data();
        for (int i = 0; i < labels.length; i++) {
            if (!(labels[i] >= 0 && labels[i] < region.classes()) || labels[i] != Math.rint(labels[i])) {
                throw new IllegalArgumentException(node.describe() + ": label " + labels[i] + " at index " + i
                        + " is outside [0, " + region.classes() + ")");
            }
        }
    }

    private static NDArray[] evaluate(OutsideGraph g, Map<Tensor, NDArray> values, Backend backend) {
        Map<Tensor, NDArray> feeds = new HashMap<>();
        g.sources().forEach((in, original) -> feeds.put(in, values.get(original)));
        return backend.run(g.graph(), feeds); // a target that is a source of the rebuilt graph comes back as fed
    }

    private Map<Tensor, NDArray> chunkFeeds(ChunkGraphs chunk, Map<Tensor, NDArray> values, int c0) {
        Map<Tensor, NDArray> f = new HashMap<>();
        chunk.whole().forEach((in, node) -> f.put(in, values.get(node)));
        chunk.sliced().forEach((in, node) -> f.put(in, slice(values.get(node), in.shape(), region.axis().startOf(node.shape(), c0))));
        chunk.labels().forEach((in, node) -> f.put(in, NDArray.of(in.shape(), values.get(node).data())));
        if (chunk.firstColumn() != null) {
            f.put(chunk.firstColumn(), NDArray.of(chunk.firstColumn().shape(), c0));
        }
        return f;
    }

    /** {@code chunk}'s elements of a class-indexed value from element {@code from} (its classes are contiguous: {@link ClassAxis}). */
    private static NDArray slice(NDArray value, Shape chunk, long from) {
        double[] out = new double[(int) chunk.numel()];
        System.arraycopy(value.data(), (int) from, out, 0, out.length);
        return NDArray.of(chunk, out);
    }
}
