package org.arcgrad.opencl.fused;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.arcgrad.autodiff.DType;
import org.arcgrad.autodiff.Graph;
import org.arcgrad.autodiff.NDArray;
import org.arcgrad.autodiff.Tensor;
import org.arcgrad.opencl.CompileOptions;
import org.arcgrad.opencl.Executable;
import org.arcgrad.opencl.runtime.DeviceBuffer;
import org.arcgrad.opencl.runtime.DeviceContext;
import org.arcgrad.opencl.runtime.ElementType;

/**
 * A graph with a {@link ClassRegion} compiled for a device a chunk of columns at a time: each of
 * the {@link ChunkedPlan}'s small graphs is an ordinary {@link Executable} (same compiler, same
 * checks, same kernel plans), so no device buffer holds the N×C values, only N × (chunk width).
 *
 * <p>Values stay on the device from the feeds to the outputs. A stage's inputs are bound to the
 * buffers that hold the values they take; a chunk's rows of W (and of any class-indexed value)
 * are a view of the whole buffer, without a copy (a device copy where the device's alignment
 * rules out a view at that offset); a running total (row sums and maxima, products over the
 * classes) is bound to the chunk graph's input for the total so far and its new value copied
 * back on the device after the chunk; a chunk's own columns or rows of a consumer's value are
 * copied into place. Only each chunk's labels, shifted by its first column, come from the host
 * (N numbers).
 *
 * <p>Every piece keeps its buffers, because later pieces read the values earlier ones hold: what
 * the device holds is the chunk graphs' N × (chunk width) values, plus every value outside the
 * region that the stages compute (W-sized ones among them). The fused kernel (GEMM tile,
 * epilogue and row reductions in one launch) is to replace the chunk graphs without changing
 * this contract.
 */
public final class ChunkedExecutable implements AutoCloseable {
    private final DeviceContext context;
    private final ChunkedPlan plan;
    private final Map<Graph, Executable> pieces = new IdentityHashMap<>();
    /** The original graph's sources as fed, one buffer each, reused from run to run. */
    private final Map<Tensor, DeviceBuffer> fed = new HashMap<>();
    /** Each consumer's value over all chunks: its running total, or its parts put in place. */
    private final Map<ClassRegion.Consumer, DeviceBuffer> results = new HashMap<>();
    /** A chunk input whose slice cannot be a view: a buffer of the chunk's size that a device copy fills. */
    private final Map<Tensor, DeviceBuffer> sliceCopies = new HashMap<>();
    /** Values held in the other element type than a reader takes (labels read as floats): converted copies. */
    private final Map<DeviceBuffer, DeviceBuffer> converted = new IdentityHashMap<>();
    private long slicesCopied;

    private ChunkedExecutable(DeviceContext context, ChunkedPlan plan) {
        this.context = context;
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
        ChunkedExecutable e = new ChunkedExecutable(context, plan);
        try {
            for (Graph g : plan.graphs()) {
                e.pieces.put(g, Executable.compile(context, options, g.outputs().toArray(new Tensor[0])));
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
        Map<Tensor, DeviceBuffer> values = new HashMap<>(); // original node → the buffer that holds its value now
        for (Map.Entry<Tensor, NDArray> f : feeds.entrySet()) {
            values.put(f.getKey(), upload(f.getKey(), f.getValue()));
        }
        List<DeviceBuffer> views = new ArrayList<>();
        try {
            int classes = plan.region().classes();
            for (ChunkedPlan.Pass pass : plan.passes()) {
                if (pass.before() != null) {
                    Executable stage = evaluate(pass.before(), values, feeds);
                    for (int k = 0; k < pass.before().targets().size(); k++) {
                        Tensor out = pass.before().graph().outputs().get(k);
                        values.put(pass.before().targets().get(k), exactly(stage.buffer(out), out, views));
                    }
                }
                Map<Tensor, double[]> labels = new HashMap<>();
                for (Tensor node : pass.regular().shiftedLabels().values()) {
                    NDArray value = feeds.containsKey(node) ? feeds.get(node) : download(node, values.get(node));
                    plan.checkLabels(node, value);
                    labels.put(node, value.data());
                }
                startTotals(pass.regular());
                for (int c0 = 0; c0 < classes; c0 += plan.chunkWidth()) {
                    runChunk(pass.chunkAt(c0, classes), c0, values, labels, views);
                }
                for (ClassRegion.Consumer c : pass.regular().partials().keySet()) {
                    values.put(c.node(), results.get(c));
                }
            }
            Executable last = evaluate(plan.after(), values, feeds);
            NDArray[] out = new NDArray[plan.after().targets().size()];
            for (int k = 0; k < out.length; k++) {
                out[k] = last.read(plan.after().graph().outputs().get(k));
            }
            return out;
        } finally {
            views.forEach(DeviceBuffer::release); // the driver frees them once the kernels that use them are done
        }
    }

    /** A stage's output as a buffer of exactly its size: its slot may be larger (slots are shared by values of several sizes). */
    private static DeviceBuffer exactly(DeviceBuffer slot, Tensor value, List<DeviceBuffer> views) {
        long n = value.shape().numel();
        if (slot.elements() == n) {
            return slot;
        }
        DeviceBuffer view = slot.view(slot.name() + " as %" + value.id(), 0, n).orElseThrow(); // offset 0 is always aligned
        views.add(view);
        return view;
    }

    private Executable evaluate(OutsideGraph g, Map<Tensor, DeviceBuffer> values, Map<Tensor, NDArray> feeds) {
        Executable stage = pieces.get(g.graph());
        g.sources().forEach((in, original) -> {
            if (in.dtype() == DType.INT && feeds.containsKey(original)) {
                stage.feed(in, feeds.get(original)); // checked against the stage's one-hots and row gathers, as a whole graph checks them
            } else {
                stage.bind(in, as(in.dtype(), values.get(original)));
            }
        });
        stage.run();
        return stage;
    }

    /** Each consumer's buffer, the running totals set to their value before the first chunk. */
    private void startTotals(ChunkGraphs chunk) {
        for (ClassRegion.Consumer c : chunk.partials().keySet()) {
            DeviceBuffer b = results.computeIfAbsent(c, x -> context.floatBuffer("whole %" + x.node().id(), x.node().shape().numel()));
            if (ChunkGraphs.isRunningTotal(c.kind())) {
                float[] start = new float[(int) b.elements()];
                java.util.Arrays.fill(start, (float) ChunkGraphs.initialTotal(c.kind()));
                b.upload(start);
            }
        }
    }

    private void runChunk(ChunkGraphs chunk, int c0, Map<Tensor, DeviceBuffer> values, Map<Tensor, double[]> labels,
                          List<DeviceBuffer> views) {
        Executable piece = pieces.get(chunk.graph());
        chunk.whole().forEach((in, node) -> piece.bind(in, as(DType.FLOAT, values.get(node))));
        chunk.sliced().forEach((in, node) -> {
            DeviceBuffer whole = as(DType.FLOAT, values.get(node));
            long from = (long) c0 * ChunkedPlan.elementsPerClass(node.shape());
            long count = in.shape().numel();
            Optional<DeviceBuffer> view = whole.view("chunk of %" + node.id() + " from class " + c0, from, count);
            if (view.isPresent()) {
                views.add(view.get());
                piece.bind(in, view.get());
            } else {
                DeviceBuffer copy = sliceCopies.computeIfAbsent(in, x -> context.floatBuffer(x.name(), count));
                whole.copyTo(copy, from, 0, count);
                slicesCopied++;
                piece.bind(in, copy);
            }
        });
        chunk.shiftedLabels().forEach((in, node) -> {
            double[] l = labels.get(node);
            float[] shifted = new float[l.length];
            for (int i = 0; i < l.length; i++) {
                shifted[i] = (float) (l[i] - c0);
            }
            piece.feed(in, shifted);
        });
        chunk.runningTotals().forEach((c, in) -> piece.bind(in, results.get(c)));
        piece.run();
        for (Map.Entry<ClassRegion.Consumer, Tensor> p : chunk.partials().entrySet()) {
            ClassRegion.Consumer c = p.getKey();
            DeviceBuffer part = piece.buffer(p.getValue());
            long to = ChunkGraphs.isRunningTotal(c.kind()) ? 0 : (long) c0 * ChunkedPlan.elementsPerClass(c.node().shape());
            part.copyTo(results.get(c), 0, to, p.getValue().shape().numel()); // a slot may be larger than the value it holds
        }
    }

    /** A fed value in a buffer of this executable's, by the source's type. */
    private DeviceBuffer upload(Tensor source, NDArray value) {
        ElementType type = source.dtype() == DType.INT ? ElementType.INT32 : ElementType.FLOAT32;
        DeviceBuffer b = fed.get(source);
        if (b == null || b.type() != type || b.elements() != value.data().length) {
            if (b != null) {
                b.release();
            }
            b = context.buffer(source.name(), type, value.data().length);
            fed.put(source, b);
        }
        double[] d = value.data();
        if (type == ElementType.INT32) {
            int[] v = new int[d.length];
            for (int i = 0; i < d.length; i++) {
                v[i] = (int) d[i];
            }
            b.upload(v);
        } else {
            float[] v = new float[d.length];
            for (int i = 0; i < d.length; i++) {
                v[i] = (float) d[i];
            }
            b.upload(v);
        }
        return b;
    }

    /**
     * {@code value} as a reader of {@code dtype} takes it: integer sources are held as int32, values
     * computed from them as float32 (kernels write floats), and a chunk reads every value as
     * float32; where the types differ, a converted copy (label-sized values only, through the host).
     */
    private DeviceBuffer as(DType dtype, DeviceBuffer value) {
        ElementType type = dtype == DType.INT ? ElementType.INT32 : ElementType.FLOAT32;
        if (value.type() == type) {
            return value;
        }
        DeviceBuffer copy = converted.computeIfAbsent(value, v -> context.buffer(v.name() + " as " + type, type, v.elements()));
        if (type == ElementType.FLOAT32) {
            int[] ints = value.downloadInts();
            float[] floats = new float[ints.length];
            for (int i = 0; i < ints.length; i++) {
                floats[i] = ints[i];
            }
            copy.upload(floats);
        } else {
            float[] floats = value.downloadFloats();
            int[] ints = new int[floats.length];
            for (int i = 0; i < floats.length; i++) {
                ints[i] = (int) floats[i];
            }
            copy.upload(ints);
        }
        return copy;
    }

    private static NDArray download(Tensor node, DeviceBuffer b) {
        double[] d = new double[(int) b.elements()];
        if (b.type() == ElementType.INT32) {
            int[] v = b.downloadInts();
            for (int i = 0; i < d.length; i++) {
                d[i] = v[i];
            }
        } else {
            float[] v = b.downloadFloats();
            for (int i = 0; i < d.length; i++) {
                d[i] = v[i];
            }
        }
        return NDArray.of(node.shape(), d);
    }

    /**
     * How many chunk inputs so far were filled by a device copy because the device's alignment
     * ruled out a view at their offset (0 when every chunk of W starts at a multiple of
     * CL_DEVICE_MEM_BASE_ADDR_ALIGN: choose chunk widths so).
     */
    public long slicesCopied() {
        return slicesCopied;
    }

    /**
     * Elements of the largest device buffer of the chunk graphs, the only pieces that hold values of
     * the region: at most the largest of rows × chunk width, rows × D and chunk width × D (the
     * other pieces hold only values outside the region, W and its gradient among them).
     */
    public long largestChunkBufferElements() {
        long most = 0;
        for (Graph g : plan.chunkGraphs()) {
            most = Math.max(most, pieces.get(g).largestBufferElements());
        }
        return most;
    }

    @Override
    public void close() {
        List<RuntimeException> failures = new ArrayList<>();
        for (Executable e : pieces.values()) {
            try {
                e.close();
            } catch (RuntimeException ex) {
                failures.add(ex);
            }
        }
        pieces.clear();
        List<DeviceBuffer> owned = new ArrayList<>(fed.values());
        owned.addAll(results.values());
        owned.addAll(sliceCopies.values());
        owned.addAll(converted.values());
        for (DeviceBuffer b : owned) {
            try {
                b.release();
            } catch (RuntimeException ex) {
                failures.add(ex);
            }
        }
        if (!failures.isEmpty()) {
            throw failures.get(0);
        }
    }
}
