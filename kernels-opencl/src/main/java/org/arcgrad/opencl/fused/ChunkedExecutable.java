package org.arcgrad.opencl.fused;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.arcgrad.autodiff.DType;
import org.arcgrad.autodiff.Graph;
import org.arcgrad.autodiff.NDArray;
import org.arcgrad.autodiff.Op;
import org.arcgrad.autodiff.Tensor;
import org.arcgrad.opencl.CompileOptions;
import org.arcgrad.opencl.CompiledGraph;
import org.arcgrad.opencl.Executable;
import org.arcgrad.opencl.runtime.DeviceBuffer;
import org.arcgrad.opencl.runtime.DeviceContext;
import org.arcgrad.opencl.runtime.DeviceInfo;
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
 * back on the device after the chunk; a chunk's own columns or rows of a consumer's value (its
 * rows of grad W) are written straight into their place in the consumer's whole value, a view
 * ({@link InPlaceParts}; copied into place where that rules a view out). A product that a later
 * pass takes from an earlier one ({@link Stash}) is written by each chunk of the earlier pass
 * straight into the part of its host consumer's buffer that belongs to the chunk (a view), and the
 * later pass binds a view of that part, which the host's own values overwrite only after the
 * chunk's kernels that read it. Labels read as floats by the chunks
 * are converted once per pass; each chunk's first column sits in a buffer of its own, made once,
 * so that no chunk waits for an upload and the host runs ahead of the device.
 *
 * <p>Every piece keeps its buffers, because later pieces read the values earlier ones hold: what
 * the device holds is W and the other sources, the chunk graphs' N × (chunk width) and
 * (chunk width) × D values, each consumer's whole value (grad W among them) and the stages'
 * values, which for a margin head are N- or D-sized: W's normalisation and its backward are
 * computed class by class in the chunks ({@link PerClassValues}). The fused kernel (GEMM tile,
 * epilogue and row reductions in one launch) is to replace the chunk graphs without changing
 * this contract.
 */
public final class ChunkedExecutable implements CompiledGraph {
    private final DeviceContext context;
    private final ChunkedPlan plan;
    private final Map<Graph, Executable> pieces = new IdentityHashMap<>();
    /** The original graph's sources: fed (owned, reused from run to run) or bound by the caller. */
    private final Map<Tensor, DeviceBuffer> sources = new HashMap<>();
    private final Set<DeviceBuffer> owned = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    /** Fed labels as the host has them: chunks take them shifted by their first column. */
    private final Map<Tensor, double[]> hostLabels = new HashMap<>();
    /** The last run's views (of W's buffer, of stages' slots and of kept products' hosts), released at the next run and at close. */
    private final List<DeviceBuffer> views = new ArrayList<>();
    private final Map<Tensor, Tensor> updates = new java.util.LinkedHashMap<>();
    /** Each consumer's value over all chunks: its running total, or its parts put in place. */
    private final Map<ClassRegion.Consumer, DeviceBuffer> results = new HashMap<>();
    /** A chunk input whose slice cannot be a view: a buffer of the chunk's size that a device copy fills. */
    private final Map<Tensor, DeviceBuffer> sliceCopies = new HashMap<>();
    /** Values held in the other element type than a reader takes (labels read as floats): converted copies, by node. */
    private final Map<Tensor, DeviceBuffer> converted = new HashMap<>();
    private final Set<DeviceBuffer> convertedThisRun = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    /** Label nodes checked against [0, C) since this run began. */
    private final Set<Tensor> checkedThisRun = new HashSet<>();
    private long slicesCopied;
    /** Chunk k's first column, one float each ({@link #firstColumn}). */
    private final List<DeviceBuffer> firstColumns = new ArrayList<>();
    /** Each running total's value before the first chunk ({@link #startTotals}). */
    private final Map<ClassRegion.Consumer, DeviceBuffer> startValues = new HashMap<>();
    /** Per chunk graph, the consumers whose parts its piece writes straight into their whole value ({@link InPlaceParts}). */
    private final Map<ChunkGraphs, Set<ClassRegion.Consumer>> inPlace = new IdentityHashMap<>();

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
        return compile(context, options, ChunkedPlan.of(graph, chunkWidth).orElseThrow(() -> new IllegalArgumentException(
                "no class region to compute by chunks: " + ClassRegionFinder.find(graph).refusal())));
    }

    /**
     * Compiles the pieces of {@code plan} (made by {@link ChunkedPlan#of(Graph, int, boolean)},
     * say). A plan that keeps products is compiled as one that computes them again when a chunk's
     * place in a host buffer cannot be a view on this device ({@link #keptInPlace}).
     */
    public static ChunkedExecutable compile(DeviceContext context, CompileOptions options, ChunkedPlan plan) {
        if (!keptInPlace(context, plan)) {
            plan = ChunkedPlan.of(plan.graph(), plan.chunkWidth(), false).orElseThrow();
        }
        ChunkedExecutable e = new ChunkedExecutable(context, plan);
        try {
            for (Graph g : plan.graphs()) {
                e.pieces.put(g, Executable.compile(context, options, g.outputs().toArray(new Tensor[0])));
            }
            for (ChunkedPlan.Pass pass : plan.passes()) {
                for (ChunkGraphs chunk : java.util.Arrays.asList(pass.regular(), pass.last())) {
                    if (chunk != null) {
                        e.inPlace.put(chunk, InPlaceParts.of(chunk, e.pieces.get(chunk.graph()).plan().kernels(), plan.chunkWidth(),
                                plan.region().axis(), context.baseAddressAlignBytes()));
                    }
                }
            }
        } catch (RuntimeException ex) {
            e.close();
            throw ex;
        }
        return e;
    }

    /**
     * Whether every chunk's place for a kept product in its host's buffer starts where the device
     * allows a view (a multiple of CL_DEVICE_MEM_BASE_ADDR_ALIGN; the default chunk widths, multiples
     * of 32, give that on PoCL's 128 bytes for any D), so that forward writes the product there and
     * backward reads it there with no copy. Otherwise the products are computed again: a product
     * written to a buffer of its own, copied into place and copied out again for backward costs
     * much of what the product does, and Oclgrind reported backward's reads of such twice-copied
     * values as uninitialized (the values were right; not understood).
     */
    static boolean keptInPlace(DeviceContext context, ChunkedPlan plan) {
        for (Stash stash : plan.stashes()) {
            if (stash.offset(plan.region().axis(), plan.chunkWidth()) * Float.BYTES % context.baseAddressAlignBytes() != 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * A chunk width for C classes when the user names none: C / 25 (so that the chunks' own buffers
     * stay under a tenth of W's and grad W's: at N = 256, D = 512 and C = 100 000 the chunked step
     * held 1.08 × W + grad W in chunks of 4 000 and 1.06 × in chunks of 1 984, and took 1.28 and
     * 1.35 × its GEMM floor in two runs against 1.37-1.39 × in three: the passes between the
     * products cost less in fewer, wider chunks), at least 1024 and at most 16 384 columns
     * (narrower chunks cost launches, wider ones memory), a multiple of 32 so that every chunk of a
     * [C, D] value starts at a 128-byte boundary (a view, not a copy, on devices that align
     * sub-buffers so), and not a multiple of 512 (1024 becomes 1056, 16 384 becomes 16 352): a CPU
     * runs a chunk's x·Ŵᵀ 25 % faster as TT over a transposed copy of x, except where the chunk's
     * width is a multiple of 512 ({@link org.arcgrad.opencl.gemm.GemmDefaults#cpuTransposesA}); C
     * itself when that is smaller.
     */
    public static int defaultChunkWidth(int classes) {
        int width = Math.max(1024, Math.min(16_384, classes / 25)) / 32 * 32;
        if (width % 512 == 0) {
            width += width < 16_384 ? 32 : -32;
        }
        return Math.min(width, classes);
    }

    /**
     * The chunk width a training step should use when asked to choose: null (compile it whole, the
     * faster way) when the whole graph fits the device comfortably (its buffers at most half the
     * device's global memory, none larger than its largest allocation, none of 2^31 elements or
     * more) or has no class region; otherwise {@link #defaultChunkWidth} of its classes.
     */
    public static Integer autoChunkWidth(DeviceContext context, CompileOptions options, Tensor... outputs) {
        DeviceInfo device = context.device().info();
        try {
            Executable.Footprint whole = Executable.footprint(context, options, outputs);
            if (whole.bytes() <= device.globalMemBytes() / 2 && whole.largestBytes() <= device.maxAllocBytes()) {
                return null;
            }
        } catch (IllegalArgumentException tooLargeToIndex) {
            // a value of 2^31 elements or more cannot be compiled whole (32-bit indices); chunks may be
        }
        return ClassRegionFinder.find(Graph.of(outputs)).region().map(r -> defaultChunkWidth(r.classes())).orElse(null);
    }

    public ChunkedPlan plan() {
        return plan;
    }

    @Override
    public Graph graph() {
        return plan.graph();
    }

    /** Uploads a float source's value (into a buffer of this executable's, reused from run to run). */
    @Override
    public ChunkedExecutable feed(Tensor source, float[] data) {
        checkSource(source, DType.FLOAT, data.length);
        ownedBuffer(source, ElementType.FLOAT32).upload(data);
        return this;
    }

    /**
     * Uploads labels. The stages that read them take them as an ordinary executable does (checked
     * against their one-hots and row gathers); chunks check them against [0, C) at each run.
     */
    @Override
    public ChunkedExecutable feed(Tensor source, int[] labels) {
        checkSource(source, DType.INT, labels.length);
        for (OutsideGraph stage : plan.stages()) {
            stage.sources().forEach((in, original) -> {
                if (original == source) {
                    pieces.get(stage.graph()).feed(in, labels);
                }
            });
        }
        ownedBuffer(source, ElementType.INT32).upload(labels);
        double[] host = new double[labels.length];
        for (int i = 0; i < labels.length; i++) {
            host[i] = labels[i];
        }
        hostLabels.put(source, host);
        return this;
    }

    /** Uploads an fp64 host value, rounded to fp32 (labels must hold integers). */
    @Override
    public ChunkedExecutable feed(Tensor source, NDArray value) {
        return source.dtype() == DType.INT ? feed(source, CompiledGraph.labelsOf(source, value))
                : feed(source, CompiledGraph.floatsOf(source, value));
    }

    /**
     * After every run, {@code param} takes the value of {@code newValue}, an output of the same
     * shape: by swapping buffers when the chunks put the new value together (a per-class value
     * such as a head's updated W, and {@code param}'s buffer is this executable's), else by a
     * device copy.
     */
    @Override
    public ChunkedExecutable update(Tensor param, Tensor newValue) {
        if (!plan.graph().outputs().contains(newValue)) {
            throw new IllegalArgumentException(newValue.describe() + " is not an output of this executable");
        }
        if (!param.shape().equals(newValue.shape()) || param.op() != Op.PARAM || !plan.graph().sources().contains(param)) {
            throw new IllegalArgumentException("update: " + param.describe() + " cannot take the value of " + newValue.describe());
        }
        updates.put(param, newValue);
        return this;
    }

    @Override
    public int kernelCount() {
        int kernels = 0;
        for (Executable piece : pieces.values()) {
            kernels += piece.kernelCount();
        }
        return kernels;
    }

    /** Gives each updated parameter its new value (see {@link #update}). */
    private void applyUpdates() {
        for (Map.Entry<Tensor, Tensor> u : updates.entrySet()) {
            Tensor param = u.getKey();
            DeviceBuffer current = sources.get(param);
            ClassRegion.Consumer whole = results.keySet().stream().filter(c -> c.node() == u.getValue()).findFirst().orElse(null);
            if (whole != null && owned.contains(current)) {
                DeviceBuffer next = results.get(whole);
                results.put(whole, current); // written again, chunk by chunk, by the next run
                owned.remove(current);
                owned.add(next);
                sources.put(param, next);
            } else {
                buffer(u.getValue()).copyTo(current, 0, 0, param.shape().numel());
            }
        }
    }

    /** Makes a source read {@code buffer} directly: it stays on the device, owned by the caller. */
    @Override
    public ChunkedExecutable bind(Tensor source, DeviceBuffer buffer) {
        checkSource(source, source.dtype(), buffer.elements());
        DeviceBuffer old = sources.put(source, buffer);
        if (old != null && owned.remove(old)) {
            old.release();
        }
        hostLabels.remove(source);
        return this;
    }

    /** Runs every piece in order; the outputs are then in {@link #buffer} until the next run. */
    @Override
    public void run() {
        for (Tensor s : plan.graph().sources()) {
            if (!sources.containsKey(s)) {
                throw new IllegalStateException("no value fed for " + s.describe());
            }
        }
        views.forEach(DeviceBuffer::release); // the last run's; the driver frees them once the kernels that used them are done
        views.clear();
        separateResultsFromSources();
        convertedThisRun.clear();
        checkedThisRun.clear();
        Map<Tensor, DeviceBuffer> values = new HashMap<>(sources); // original node → the buffer that holds its value now
        int classes = plan.region().classes();
        for (ChunkedPlan.Pass pass : plan.passes()) {
            if (pass.before() != null) {
                Executable stage = evaluate(pass.before(), values);
                for (int k = 0; k < pass.before().targets().size(); k++) {
                    Tensor out = pass.before().graph().outputs().get(k);
                    values.put(pass.before().targets().get(k), exactly(stage.buffer(out), out));
                }
            }
            Map<Tensor, DeviceBuffer> labels = new HashMap<>(); // label node → its values as floats, read by every chunk
            for (Tensor node : pass.regular().labels().values()) {
                labels.put(node, checkedLabels(node, values));
            }
            startTotals(pass.regular());
            for (int c0 = 0, k = 0; c0 < classes; c0 += plan.chunkWidth(), k++) {
                runChunk(pass.chunkAt(c0, classes), c0, firstColumn(k), values, labels);
            }
            for (ClassRegion.Consumer c : pass.regular().partials().keySet()) {
                values.put(c.node(), results.get(c));
            }
        }
        evaluate(plan.after(), values);
        applyUpdates();
    }

    /** The device buffer that holds output {@code node} after a run (valid until the next run), or a source's. */
    @Override
    public DeviceBuffer buffer(Tensor node) {
        DeviceBuffer source = sources.get(node);
        if (source != null) {
            return source;
        }
        int k = plan.graph().outputs().indexOf(node);
        if (k < 0) {
            throw new IllegalArgumentException(node.describe() + " is neither a source nor an output of this executable");
        }
        return pieces.get(plan.after().graph()).buffer(plan.after().graph().outputs().get(k));
    }

    /** Waits for the kernels and copies an output to the host. */
    @Override
    public NDArray read(Tensor node) {
        int k = plan.graph().outputs().indexOf(node);
        if (k < 0) {
            throw new IllegalArgumentException(node.describe() + " is not an output of this executable");
        }
        return pieces.get(plan.after().graph()).read(plan.after().graph().outputs().get(k));
    }

    /** Waits for the kernels and copies a float output to {@code into}. */
    @Override
    public void read(Tensor node, float[] into) {
        if (into.length != node.shape().numel()) {
            throw new IllegalArgumentException(node.describe() + " has " + node.shape().numel() + " values, not " + into.length);
        }
        buffer(node).download(into, 0);
    }

    /** A stage's output as a buffer of exactly its size: its slot may be larger (slots are shared by values of several sizes). */
    private DeviceBuffer exactly(DeviceBuffer slot, Tensor value) {
        long n = value.shape().numel();
        if (slot.elements() == n) {
            return slot;
        }
        return viewForThisRun(slot, slot.name() + " as %" + value.id(), 0, n).orElseThrow(); // offset 0 is always aligned
    }

    /** A view of {@code whole} (where the device allows one at {@code from}), released at the next run or at close. */
    private Optional<DeviceBuffer> viewForThisRun(DeviceBuffer whole, String name, long from, long count) {
        Optional<DeviceBuffer> view = whole.view(name, from, count);
        view.ifPresent(views::add);
        return view;
    }

    private Executable evaluate(OutsideGraph g, Map<Tensor, DeviceBuffer> values) {
        Executable stage = pieces.get(g.graph());
        g.sources().forEach((in, original) -> {
            if (!(in.dtype() == DType.INT && hostLabels.containsKey(original))) { // fed labels went to the stage at feed
                stage.bind(in, as(in.dtype(), original, values));
            }
        });
        stage.run();
        return stage;
    }

    /**
     * A buffer that chunks write into while they run, a kept product's host or a consumer whose
     * parts are written in place, that a source reads (a caller fed an output back by {@link #bind}
     * rather than {@link #update}) would have chunk values written over that source before the
     * chunks that read it are done: the consumer gets a new buffer, and the old one stays the
     * source's (ours to release at close).
     */
    private void separateResultsFromSources() {
        Set<ClassRegion.Consumer> writtenWhileRunning = new HashSet<>();
        plan.stashes().forEach(s -> writtenWhileRunning.add(s.host()));
        inPlace.values().forEach(writtenWhileRunning::addAll);
        for (ClassRegion.Consumer c : writtenWhileRunning) {
            DeviceBuffer result = results.get(c);
            if (result != null && sources.values().stream().anyMatch(s -> s.sharesMemoryWith(result))) {
                results.remove(c);
                owned.add(result);
            }
        }
    }

    /**
     * Each consumer's buffer, the running totals set to their value before the first chunk by a
     * device copy from a buffer that holds it (uploaded once). An upload blocks the host until the
     * device has run every earlier pass: the host spent 180–330 ms of a 0.5 s step at C = 100 000
     * waiting in it, and now enqueues the whole step in 6–14 ms and is free until it reads a result
     * (the step's time on this project's 2-core CPU did not change: 471 ms against 473).
     */
    private void startTotals(ChunkGraphs chunk) {
        for (ClassRegion.Consumer c : chunk.partials().keySet()) {
            DeviceBuffer b = resultOf(c);
            if (ChunkGraphs.isRunningTotal(c.kind())) {
                DeviceBuffer start = startValues.computeIfAbsent(c, x -> {
                    float[] v = new float[(int) b.elements()];
                    java.util.Arrays.fill(v, (float) ChunkGraphs.initialTotal(x.kind()));
                    return context.upload("start of %" + x.node().id(), v);
                });
                start.copyTo(b, 0, 0, b.elements());
            }
        }
    }

    private void runChunk(ChunkGraphs chunk, int c0, DeviceBuffer firstColumn, Map<Tensor, DeviceBuffer> values,
                          Map<Tensor, DeviceBuffer> labels) {
        Executable piece = pieces.get(chunk.graph());
        chunk.whole().forEach((in, node) -> piece.bind(in, as(DType.FLOAT, node, values)));
        chunk.sliced().forEach((in, node) -> bindPart(piece, in, as(DType.FLOAT, node, values),
                plan.region().axis().startOf(node.shape(), c0), "chunk of %" + node.id() + " from class " + c0));
        // a kept product waits in its host's buffer, where the host's own part of this chunk goes only after this run
        chunk.taken().forEach((in, stash) -> piece.bind(in, keptPlace(stash, in, c0)));
        chunk.labels().forEach((in, node) -> piece.bind(in, labels.get(node)));
        if (chunk.firstColumn() != null) {
            piece.bind(chunk.firstColumn(), firstColumn);
        }
        chunk.runningTotals().forEach((c, in) -> piece.bind(in, results.get(c)));
        chunk.kept().forEach((stash, product) -> piece.writeOutputTo(product, keptPlace(stash, product, c0)));
        Set<ClassRegion.Consumer> direct = inPlace.get(chunk);
        for (ClassRegion.Consumer c : direct) {
            Tensor part = chunk.partials().get(c);
            piece.writeOutputTo(part, viewForThisRun(resultOf(c), "part of %" + c.node().id() + " from class " + c0,
                    plan.region().axis().startOf(c.node().shape(), c0), part.shape().numel()).orElseThrow());
        }
        piece.run();
        for (Map.Entry<ClassRegion.Consumer, Tensor> p : chunk.partials().entrySet()) {
            ClassRegion.Consumer c = p.getKey();
            if (!direct.contains(c)) {
                long to = ChunkGraphs.isRunningTotal(c.kind()) ? 0 : plan.region().axis().startOf(c.node().shape(), c0);
                // a slot may be larger than the value it holds
                piece.buffer(p.getValue()).copyTo(results.get(c), 0, to, p.getValue().shape().numel());
            }
        }
    }

    /**
     * The chunk's place for a kept product in its host's buffer, as a view: where forward's chunk
     * graph writes {@code value} (the product) and backward's reads it ({@code value} its input).
     * {@link #compile} keeps products only where every chunk's place can be a view.
     */
    private DeviceBuffer keptPlace(Stash stash, Tensor value, int c0) {
        return viewForThisRun(hostOf(stash), "kept %" + stash.product().id() + " from class " + c0,
                stash.offset(plan.region().axis(), c0), value.shape().numel()).orElseThrow();
    }

    /** Binds {@code in} to {@code count} elements of {@code whole} from {@code from}: a view, or a device copy where alignment rules one out. */
    private void bindPart(Executable piece, Tensor in, DeviceBuffer whole, long from, String name) {
        long count = in.shape().numel();
        Optional<DeviceBuffer> view = viewForThisRun(whole, name, from, count);
        if (view.isPresent()) {
            piece.bind(in, view.get());
        } else {
            DeviceBuffer copy = sliceCopies.computeIfAbsent(in, x -> context.floatBuffer(x.name(), count));
            whole.copyTo(copy, from, 0, count);
            slicesCopied++;
            piece.bind(in, copy);
        }
    }

    /** The buffer of the consumer that holds {@code stash} until its last reading pass (made on first use, kept across runs). */
    private DeviceBuffer hostOf(Stash stash) {
        return resultOf(stash.host());
    }

    /** The buffer of {@code c}'s whole value, made on first use and kept across runs. */
    private DeviceBuffer resultOf(ClassRegion.Consumer c) {
        return results.computeIfAbsent(c, x -> context.floatBuffer("whole %" + x.node().id(), x.node().shape().numel()));
    }

    /** Chunk {@code k}'s first column as a one-float buffer, made once: no chunk waits for an upload. */
    private DeviceBuffer firstColumn(int k) {
        while (firstColumns.size() <= k) {
            int index = firstColumns.size();
            firstColumns.add(context.upload("first column of chunk " + index, new float[] {index * plan.chunkWidth()}));
        }
        return firstColumns.get(k);
    }

    /** The source's buffer of this executable's, allocated on first feed; a caller's bound buffer is never written by a feed. */
    private DeviceBuffer ownedBuffer(Tensor source, ElementType type) {
        DeviceBuffer b = sources.get(source);
        if (b == null || !owned.contains(b)) {
            b = context.buffer(source.name(), type, source.shape().numel());
            sources.put(source, b);
            owned.add(b);
        }
        return b;
    }

    private void checkSource(Tensor source, DType dtype, long elements) {
        CompiledGraph.checkSource(source, plan.graph().sources().contains(source), dtype, elements);
    }

    /**
     * The labels {@code node} as floats for the chunks, checked once per run to lie in [0, C) (from
     * the host values of fed labels, else from one download), which also gives the float copy of
     * int labels without a second trip through the host.
     */
    private DeviceBuffer checkedLabels(Tensor node, Map<Tensor, DeviceBuffer> values) {
        DeviceBuffer value = values.get(node);
        DeviceBuffer floats = value.type() == ElementType.FLOAT32 ? value : conversion(node, ElementType.FLOAT32, value.elements());
        if (!checkedThisRun.add(node)) {
            return floats;
        }
        double[] host = hostLabels.containsKey(node) ? hostLabels.get(node) : download(node, value).data();
        plan.checkLabels(node, NDArray.of(node.shape(), host));
        if (floats != value && convertedThisRun.add(floats)) {
            float[] f = new float[host.length];
            for (int i = 0; i < f.length; i++) {
                f[i] = (float) host[i];
            }
            floats.upload(f);
        }
        return floats;
    }

    /** The buffer that holds {@code node}'s converted copy, made on first use. */
    private DeviceBuffer conversion(Tensor node, ElementType type, long elements) {
        return converted.computeIfAbsent(node, n -> context.buffer("%" + n.id() + " as " + type, type, elements));
    }

    /**
     * {@code value} as a reader of {@code dtype} takes it: integer sources are held as int32, values
     * computed from them as float32 (kernels write floats), and a chunk reads every value as
     * float32; where the types differ, a converted copy (label-sized values only, through the host).
     */
    private DeviceBuffer as(DType dtype, Tensor node, Map<Tensor, DeviceBuffer> values) {
        DeviceBuffer value = values.get(node);
        ElementType type = dtype == DType.INT ? ElementType.INT32 : ElementType.FLOAT32;
        if (value.type() == type) {
            return value;
        }
        DeviceBuffer copy = conversion(node, type, value.elements());
        if (!convertedThisRun.add(copy)) {
            return copy; // converted already since this run began: the value has not changed
        }
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
        List<DeviceBuffer> mine = new ArrayList<>(views);
        mine.addAll(owned);
        mine.addAll(results.values());
        mine.addAll(sliceCopies.values());
        mine.addAll(converted.values());
        mine.addAll(firstColumns);
        mine.addAll(startValues.values());
        for (DeviceBuffer b : mine) {
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
