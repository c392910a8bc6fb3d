package org.arcgrad.opencl;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.arcgrad.autodiff.DType;
import org.arcgrad.autodiff.Graph;
import org.arcgrad.autodiff.NDArray;
import org.arcgrad.autodiff.Op;
import org.arcgrad.autodiff.Tensor;
import org.arcgrad.opencl.compile.BufferAssignment;
import org.arcgrad.opencl.compile.BufferPlanCheck;
import org.arcgrad.opencl.compile.BufferPlanner;
import org.arcgrad.opencl.compile.PlanChoice;
import org.arcgrad.opencl.compile.KernelArg;
import org.arcgrad.opencl.compile.KernelPlan;
import org.arcgrad.opencl.gemm.DeviceLimits;
import org.arcgrad.opencl.compile.KernelSpec;
import org.arcgrad.opencl.runtime.DeviceBuffer;
import org.arcgrad.opencl.runtime.DeviceContext;
import org.arcgrad.opencl.runtime.FormBuildOptions;
import org.arcgrad.opencl.runtime.ElementType;
import org.arcgrad.opencl.runtime.Kernel;
import org.arcgrad.opencl.runtime.Program;

/**
 * A graph (forward and backward together) compiled once into OpenCL kernels on one device and
 * run many times. Sources are fed from the host ({@link #feed}) or bound to device buffers that
 * stay there between runs ({@link #bind}); {@link #update} makes a parameter take a computed
 * value after each run by swapping buffers, so a training step needs no host round trip.
 * Intermediates live in slots reused once dead ({@link BufferAssignment}). Not thread-safe.
 */
public final class Executable implements CompiledGraph {
    private final DeviceContext context;
    private final KernelPlan plan;
    private final BufferAssignment assignment;
    private final List<Kernel> kernels = new ArrayList<>();
    /** What each kernel argument was last set to (a buffer or an int), so unchanged ones are not set again. */
    private final List<Object[]> argsSet = new ArrayList<>();
    private DeviceBuffer[] slots;
    /** Values that live from one kernel to the next only (split K's partial products); null when no kernel needs it. */
    private DeviceBuffer scratch;
    private final Map<Tensor, DeviceBuffer> sources = new LinkedHashMap<>();
    /** Buffers this executable allocated (slots and fed sources); updates move them between roles. */
    private final Set<DeviceBuffer> owned = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    private final Map<Tensor, Integer> labelLimits = new HashMap<>();
    private final Map<Tensor, Tensor> updates = new LinkedHashMap<>();
    /** Outputs written into a caller's buffer ({@link #writeOutputTo}), by their storage. */
    private final Set<Tensor> writtenElsewhere = new java.util.HashSet<>();
    /** Values read after a run (outputs; every value for {@link #withEveryValueKept()}), live to its end. */
    private final Set<Tensor> kept = new java.util.HashSet<>();
    private final boolean checkPlan;
    /** The first run is still to be checked against the interpreter ({@link CompileOptions#verify()}). */
    private boolean verifyPending;

    private Executable(DeviceContext context, KernelPlan plan, boolean verify, boolean keepEveryValue, BufferPlanner planner,
                       boolean checkPlan) {
        this.context = context;
        this.plan = plan;
        this.verifyPending = verify;
        this.checkPlan = checkPlan;
        kept.addAll(outputStorage(plan));
        if (keepEveryValue) {
            for (KernelSpec k : plan.kernels()) {
                kept.addAll(k.outputs());
            }
        }
        this.assignment = planner.plan(plan.kernels(), kept);
        checkBufferPlan();
        this.slots = new DeviceBuffer[assignment.slots()];
        try {
            for (int s = 0; s < slots.length; s++) {
                slots[s] = context.floatBuffer("slot " + s + " (" + assignment.firstHeld(s).describe() + ")", assignment.elements(s));
                owned.add(slots[s]);
            }
            long scratchElements = scratchElements(plan);
            if (scratchElements > 0) {
                scratch = context.floatBuffer("scratch (split K's partial products)", scratchElements);
                owned.add(scratch);
            }
            String source = plan.source();
            String options = FormBuildOptions.of(plan.form(), context.device().info().type());
            Program program = source.isEmpty() ? null : context.build(source, options);
            for (KernelSpec k : plan.kernels()) {
                kernels.add((k.standalone() ? context.build(k.source(), options) : program).kernel(k.name()));
                argsSet.add(new Object[k.args().size()]);
            }
        } catch (RuntimeException e) {
            close(); // an allocation or build failed: give back what was already taken
            throw e;
        }
        for (Tensor n : plan.graph().nodes()) {
            if (n.op() == Op.ONE_HOT) {
                labelLimits.merge(n.input(0), n.attrs().integer(0), Math::min);
            } else if (n.op() == Op.GATHER_ROWS) {
                labelLimits.merge(n.input(1), n.input(0).shape().dim(0), Math::min);
            }
        }
    }

    /**
     * Compiles the graph that computes {@code outputs} for the context's device, with the options
     * the environment sets ({@value PlanChoice#ENV}, {@value CompileOptions#ENV_VERIFY}).
     */
    public static Executable compile(DeviceContext context, Tensor... outputs) {
        return compile(context, CompileOptions.fromEnvironment(), outputs);
    }

    /** Compiles the graph that computes {@code outputs} for the context's device, as {@code options} say. */
    public static Executable compile(DeviceContext context, CompileOptions options, Tensor... outputs) {
        return compile(context, planFor(context, options.plan(), outputs), options.verify(), BufferAssignment::of, true);
    }

    /**
     * Compiles a given kernel plan with a given buffer planner, and without the plan check when
     * {@code checkPlan} is false: only for tests that plant a faulty kernel or planner and show
     * what catches it. Not API.
     */
    static Executable compile(DeviceContext context, KernelPlan plan, boolean verify, BufferPlanner planner, boolean checkPlan) {
        return new Executable(context, plan, verify, false, planner, checkPlan);
    }

    /** The same kernels with a buffer of its own for every value, for {@link FirstRunCheck}'s search for the first wrong node. */
    Executable withEveryValueKept() {
        return new Executable(context, plan, false, true, BufferAssignment::of, true);
    }

    /** The kernels of the graph that computes {@code outputs}, in the form {@code choice} gives for the context's device. */
    static KernelPlan planFor(DeviceContext context, PlanChoice choice, Tensor... outputs) {
        return KernelPlan.of(Graph.of(outputs), choice.apply(DeviceLimits.of(context.device().info())));
    }

    /** The nodes whose buffers hold the plan's outputs: kept to the end of a run, never reused. */
    private static Set<Tensor> outputStorage(KernelPlan plan) {
        Set<Tensor> storage = new java.util.HashSet<>();
        for (Tensor o : plan.graph().outputs()) {
            storage.add(KernelPlan.storage(o));
        }
        return storage;
    }

    /** Floats of the scratch buffer the plan's kernels need: the most any of them writes or reads. */
    private static long scratchElements(KernelPlan plan) {
        long most = 0;
        for (KernelSpec k : plan.kernels()) {
            most = Math.max(most, k.scratchElements());
        }
        return most;
    }

    /** What compiling a graph whole would allocate on the device: all its buffers, and the largest one. */
    public record Footprint(long bytes, long largestBytes) {
    }

    /**
     * The device memory the graph of {@code outputs} would take compiled whole (its sources and
     * the buffer plan's slots), found by planning only: nothing is built or allocated.
     */
    public static Footprint footprint(DeviceContext context, CompileOptions options, Tensor... outputs) {
        KernelPlan plan = planFor(context, options.plan(), outputs);
        BufferAssignment a = BufferAssignment.of(plan.kernels(), outputStorage(plan));
        long bytes = a.bytes() + 4 * scratchElements(plan);
        long largest = 4 * scratchElements(plan);
        for (int s = 0; s < a.slots(); s++) {
            largest = Math.max(largest, 4 * a.elements(s));
        }
        for (Tensor source : plan.graph().sources()) {
            long b = 4 * source.shape().numel();
            bytes += b;
            largest = Math.max(largest, b);
        }
        return new Footprint(bytes, largest);
    }

    /** Verifies the buffer plan (see {@link BufferPlanCheck}): a violated plan is an internal error before anything runs. */
    private void checkBufferPlan() {
        if (checkPlan) {
            Set<Tensor> swapped = new java.util.HashSet<>();
            for (Tensor v : updates.values()) {
                swapped.add(KernelPlan.storage(v));
            }
            BufferPlanCheck.verify(plan.kernels(), assignment, kept, swapped);
        }
    }

    public KernelPlan plan() {
        return plan;
    }

    @Override
    public int kernelCount() {
        return plan.kernels().size();
    }

    @Override
    public Graph graph() {
        return plan.graph();
    }

    /** Bytes of device memory this executable allocated for intermediates and outputs, the scratch buffer included. */
    public long intermediateBytes() {
        return assignment.bytes() + (scratch == null ? 0 : 4 * scratch.elements());
    }

    /** Elements of the largest buffer this executable allocated for its values (0 when it has none). */
    public long largestBufferElements() {
        long most = scratch == null ? 0 : scratch.elements();
        for (DeviceBuffer b : slots) {
            most = Math.max(most, b.elements());
        }
        return most;
    }

    // ---- sources ----------------------------------------------------------------------------

    /** Uploads a float source's value. */
    @Override
    public Executable feed(Tensor source, float[] data) {
        checkSource(source, DType.FLOAT, data.length);
        ownedBuffer(source).upload(data);
        return this;
    }

    /** Uploads labels; each must be in [0, C) of every one-hot that reads them and [0, rows) of every gatherRows. */
    @Override
    public Executable feed(Tensor source, int[] labels) {
        checkSource(source, DType.INT, labels.length);
        Integer limit = labelLimits.get(source);
        if (limit != null) {
            for (int i = 0; i < labels.length; i++) {
                if (labels[i] < 0 || labels[i] >= limit) {
                    throw new IllegalArgumentException(source.describe() + ": label " + labels[i] + " at index " + i
                            + " is outside [0, " + limit + ")");
                }
            }
        }
        ownedBuffer(source).upload(labels);
        return this;
    }

    /** Uploads an fp64 host value, rounded to fp32 (labels must hold integers). */
    @Override
    public Executable feed(Tensor source, NDArray value) {
        return source.dtype() == DType.INT ? feed(source, CompiledGraph.labelsOf(source, value))
                : feed(source, CompiledGraph.floatsOf(source, value));
    }

    /** Makes a source read {@code buffer} directly: it stays on the device, owned by the caller. */
    @Override
    public Executable bind(Tensor source, DeviceBuffer buffer) {
        checkSource(source, source.dtype(), buffer.elements());
        DeviceBuffer old = sources.put(source, buffer);
        if (old != null && owned.remove(old)) {
            old.release();
        }
        return this;
    }

    /**
     * After every run, {@code param} takes the value of {@code newValue} (an output of this
     * executable with the same shape): their buffers are swapped, with no copy.
     */
    @Override
    public Executable update(Tensor param, Tensor newValue) {
        if (!plan.graph().outputs().contains(newValue)) {
            throw new IllegalArgumentException(newValue.describe() + " is not an output of this executable");
        }
        if (!param.shape().equals(newValue.shape()) || param.op() != Op.PARAM) {
            throw new IllegalArgumentException("update: " + param.describe() + " cannot take the value of " + newValue.describe());
        }
        Tensor storage = KernelPlan.storage(newValue);
        if (storage.op() == Op.INPUT || storage.op() == Op.PARAM) {
            throw new IllegalArgumentException("update: " + newValue.describe() + " is a source, not a computed value");
        }
        if (writtenElsewhere.contains(storage)) {
            throw new IllegalArgumentException("update: " + newValue.describe() + " is written into a caller's buffer, which"
                    + " cannot become " + param.describe() + "'s");
        }
        for (Map.Entry<Tensor, Tensor> u : updates.entrySet()) {
            if (u.getKey() != param && KernelPlan.storage(u.getValue()) == storage) {
                throw new IllegalArgumentException("update: " + u.getKey().describe() + " already takes the value of "
                        + newValue.describe() + "; two parameters cannot share one output");
            }
        }
        // The swap after each run hands this slot's buffer to the parameter and the parameter's
        // buffer to the slot, so the slot must not be shared with (larger) intermediates.
        int slot = assignment.isolate(storage);
        updates.put(param, newValue);
        checkBufferPlan();
        if (slot == slots.length) {
            slots = java.util.Arrays.copyOf(slots, slot + 1);
            slots[slot] = context.floatBuffer("slot " + slot + " (" + storage.describe() + ", updates " + param.name() + ")", assignment.elements(slot));
            owned.add(slots[slot]);
        }
        return this;
    }

    /**
     * From the next run on, {@code output} is written straight into {@code target} (the caller's,
     * of exactly its size; a view of a larger buffer, say) instead of a buffer of this executable's,
     * and the kernels that read it read it there: no copy afterwards. Its slot is made its own
     * first, so that no other value lands in the caller's buffer. Call again to move it elsewhere.
     */
    public Executable writeOutputTo(Tensor output, DeviceBuffer target) {
        if (!plan.graph().outputs().contains(output)) {
            throw new IllegalArgumentException(output.describe() + " is not an output of this executable");
        }
        Tensor storage = KernelPlan.storage(output);
        if (storage.op() == Op.INPUT || storage.op() == Op.PARAM || updates.values().stream().anyMatch(u -> KernelPlan.storage(u) == storage)) {
            throw new IllegalArgumentException(output.describe() + " is a source or updates a parameter: it cannot be written elsewhere");
        }
        if (target.elements() != storage.shape().numel() || target.type() != ElementType.FLOAT32) {
            throw new IllegalArgumentException(output.describe() + " takes " + storage.shape().numel() + " floats, not the "
                    + target.elements() + " of " + target.describe());
        }
        int slot = assignment.isolate(storage);
        checkBufferPlan();
        if (slot == slots.length) {
            slots = java.util.Arrays.copyOf(slots, slot + 1);
        } else if (owned.remove(slots[slot])) {
            slots[slot].release(); // the slot was this value's alone: its own buffer is not needed any more
        }
        slots[slot] = target;
        writtenElsewhere.add(storage);
        return this;
    }

    /**
     * The device buffer that holds a source or an output now. After an {@link #update} this is
     * another buffer than the one bound or fed before; read what you need before {@link #close}.
     */
    @Override
    public DeviceBuffer buffer(Tensor node) {
        Tensor s = KernelPlan.storage(node);
        if (s.op() == Op.INPUT || s.op() == Op.PARAM) {
            DeviceBuffer b = sources.get(s);
            if (b == null) {
                throw new IllegalStateException("no value fed for " + s.describe());
            }
            return b;
        }
        return slots[assignment.slot(s)];
    }

    // ---- running ----------------------------------------------------------------------------

    /** Device time of one kernel in a {@link #runProfiled()} run. */
    public record KernelTiming(String name, String kind, String writes, long nanos) {
    }

    /** Launches every kernel in order (asynchronously; reads wait for them), then applies updates. */
    @Override
    public void run() {
        launchAll(null);
    }

    /**
     * Like {@link #run()}, but waits for each kernel and returns its device time (profiling
     * events), in launch order: where a step's time goes. Waiting serializes the queue, so the
     * sum is a little above a plain run's time.
     */
    public List<KernelTiming> runProfiled() {
        List<KernelTiming> timings = new ArrayList<>();
        launchAll(timings);
        return timings;
    }

    private void launchAll(List<KernelTiming> timings) {
        for (Tensor s : plan.graph().sources()) {
            if (!sources.containsKey(s)) {
                throw new IllegalStateException("no value fed for " + s.describe());
            }
        }
        List<KernelSpec> specs = plan.kernels();
        for (int i = 0; i < specs.size(); i++) {
            KernelSpec spec = specs.get(i);
            Kernel k = kernels.get(i);
            List<KernelArg> args = spec.args();
            Object[] set = argsSet.get(i);
            for (int a = 0; a < args.size(); a++) {
                KernelArg arg = args.get(a);
                // Arguments stay set between launches (OpenCL semantics): only buffers that changed
                // since the last run (swapped by updates, fed anew, bound) are set again.
                if (arg instanceof KernelArg.Int n) {
                    if (set[a] == null) {
                        k.set(a, n.value());
                        set[a] = n;
                    }
                    continue;
                }
                DeviceBuffer b = arg instanceof KernelArg.Read read ? buffer(read.node())
                        : arg instanceof KernelArg.Scratch ? scratch
                        : slots[assignment.slot(spec.outputs().get(((KernelArg.Output) arg).index()))];
                if (set[a] != b) {
                    k.set(a, b);
                    set[a] = b;
                }
            }
            if (timings == null) {
                k.launch(spec.global(), spec.local());
            } else {
                long nanos = k.launchProfiled(spec.global(), spec.local());
                timings.add(new KernelTiming(spec.name(), spec.kind(), spec.describeOutputs(), nanos));
            }
        }
        if (verifyPending) {
            verifyPending = false;
            FirstRunCheck.verify(this); // before the updates' swaps, while outputs are in their slots
        }
        for (Map.Entry<Tensor, Tensor> u : updates.entrySet()) {
            int slot = assignment.slot(KernelPlan.storage(u.getValue()));
            DeviceBuffer param = sources.get(u.getKey());
            sources.put(u.getKey(), slots[slot]);
            slots[slot] = param;
        }
    }

    /** Waits for the kernels and copies an output (or source) to the host. */
    @Override
    public NDArray read(Tensor node) {
        DeviceBuffer b = buffer(node);
        double[] d = new double[(int) node.shape().numel()];
        if (node.dtype() == DType.INT && node.op() == Op.INPUT) {
            // a computed view of labels is written by a float kernel
            int[] v = b.downloadInts();
            for (int i = 0; i < d.length; i++) {
                d[i] = v[i];
            }
        } else {
            float[] v = new float[(int) b.elements()];
            b.download(v, 0);
            for (int i = 0; i < d.length; i++) {
                d[i] = v[i];
            }
        }
        return NDArray.of(node.shape(), d);
    }

    /** Waits for the kernels and copies a float output to {@code into}. */
    @Override
    public void read(Tensor node, float[] into) {
        if (into.length != node.shape().numel()) {
            throw new IllegalArgumentException(node.describe() + " has " + node.shape().numel() + " values, not " + into.length);
        }
        buffer(node).download(into, 0);
    }

    /** Releases the kernels and every buffer this executable allocated (not buffers bound by the caller). */
    @Override
    public void close() {
        for (Kernel k : kernels) {
            k.release();
        }
        for (DeviceBuffer b : owned) {
            b.release();
        }
        owned.clear();
    }

    /** The source's buffer, allocated on first feed; a caller's bound buffer is never written by a feed. */
    private DeviceBuffer ownedBuffer(Tensor source) {
        DeviceBuffer b = sources.get(source);
        if (b == null || !owned.contains(b)) {
            b = source.dtype() == DType.INT
                    ? context.intBuffer(source.name(), source.shape().numel())
                    : context.floatBuffer(source.name(), source.shape().numel());
            sources.put(source, b);
            owned.add(b);
        }
        return b;
    }

    private void checkSource(Tensor source, DType dtype, long elements) {
        CompiledGraph.checkSource(source, plan.graph().nodes().contains(source), dtype, elements);
    }
}
