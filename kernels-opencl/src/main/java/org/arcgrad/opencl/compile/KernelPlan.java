package org.arcgrad.opencl.compile;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.arcgrad.autodiff.Graph;
import org.arcgrad.autodiff.Tensor;
import org.arcgrad.opencl.gemm.DeviceLimits;
import org.arcgrad.opencl.runtime.DeviceType;

/**
 * A graph compiled to kernels, not yet bound to a device: the kernels in launch order and the
 * program source holding them all (one build per graph).
 */
public final class KernelPlan {
    private final Graph graph;
    private final List<KernelSpec> kernels;
    private final DeviceType form;

    private KernelPlan(Graph graph, List<KernelSpec> kernels, DeviceType form) {
        this.graph = graph;
        this.kernels = kernels;
        this.form = form;
    }

    /** Plans for a typical CPU (PoCL's parameters); {@link #of(Graph, DeviceLimits)} plans for a given device. */
    public static KernelPlan of(Graph graph) {
        return of(graph, DeviceLimits.typical(DeviceType.CPU));
    }

    public static KernelPlan of(Graph graph, DeviceLimits device) {
        Schedule schedule = Schedule.of(graph, device.type() == DeviceType.CPU);
        KernelRenderer renderer = new KernelRenderer(schedule, device);
        List<KernelSpec> kernels = new ArrayList<>();
        List<List<Tensor>> scheduled = schedule.launches();
        List<List<List<Tensor>>> launches = device.type() == DeviceType.CPU ? RowLaunches.of(schedule, scheduled)
                : scheduled.stream().map(List::of).toList();
        for (int i = 0; i < launches.size(); i++) {
            List<List<Tensor>> parts = launches.get(i);
            if (device.type() != DeviceType.CPU) { // a GPU plan's launches are the schedule's
                RowFolds.Folded folded = RowFolds.match(schedule, scheduled, i, device, name(kernels, parts.get(0)) + "_fold",
                        "k" + (kernels.size() + 1) + "_merge_" + parts.get(0).get(0).id());
                if (folded != null) {
                    kernels.addAll(folded.kernels());
                    i += folded.launches() - 1;
                    continue;
                }
            }
            if (parts.size() > 1) {
                List<Tensor> members = parts.stream().flatMap(List::stream).toList();
                KernelSpec row = renderer.row(members, name(kernels, members));
                if (row != null) {
                    kernels.add(row);
                    continue;
                }
            }
            for (List<Tensor> group : parts) { // a launch as it is, or the parts of a row launch the row kernel does not take
                kernels.addAll(render(schedule, renderer, device, group, name(kernels, group)));
            }
        }
        return new KernelPlan(graph, Collections.unmodifiableList(kernels), device.type());
    }

    /** "k3_add_12", or "k3_add_12_and_2" for a group of three: the position, the last node's op and id. */
    private static String name(List<KernelSpec> kernels, List<Tensor> group) {
        Tensor last = group.get(group.size() - 1);
        return "k" + kernels.size() + "_" + last.op().label() + "_" + last.id() + (group.size() > 1 ? "_and_" + (group.size() - 1) : "");
    }

    /** The kernels of one launch of the schedule (a node, or a group): one, or two for a product split along K. */
    private static List<KernelSpec> render(Schedule schedule, KernelRenderer renderer, DeviceLimits device, List<Tensor> group,
                                           String name) {
        Tensor last = group.get(group.size() - 1);
        if (group.size() == 1 && last.op() == org.arcgrad.autodiff.Op.COL2IM && schedule.productsInCol2im.contains(last.input(0))) {
            return GemmKernels.transposedPatchProduct(last, last.input(0), name);
        }
        if (group.size() == 1 && last.op() == org.arcgrad.autodiff.Op.MATMUL) {
            return GemmKernels.render(last, device, name); // one kernel, or two: partial sums, then their sum
        }
        return List.of(group.size() == 1 ? renderer.render(last, name)
                : last.op().kind() == org.arcgrad.autodiff.Op.Kind.REDUCE ? renderer.reduceGroup(group, name)
                : renderer.elementwiseGroup(group, name));
    }

    /**
     * This plan with kernel {@code index} replaced (same outputs and arguments, other source): for
     * tests that plant a faulty kernel and show that the first-run check names it.
     */
    public KernelPlan withKernel(int index, KernelSpec replacement) {
        KernelSpec old = kernels.get(index);
        if (!old.outputs().equals(replacement.outputs()) || !old.args().equals(replacement.args())) {
            throw new IllegalArgumentException("a replacement kernel must write and read what " + old.name() + " does");
        }
        List<KernelSpec> k = new ArrayList<>(kernels);
        k.set(index, replacement);
        return new KernelPlan(graph, Collections.unmodifiableList(k), form);
    }

    public Graph graph() {
        return graph;
    }

    /** The kind of device the kernels were planned for: the CPU form, or the GPU form (any other type). */
    public DeviceType form() {
        return form;
    }

    public List<KernelSpec> kernels() {
        return kernels;
    }

    /** The node whose buffer holds output {@code t} (itself, or what it reshapes). */
    public static Tensor storage(Tensor t) {
        return Schedule.storage(t);
    }

    /** The graph-specific kernels (all but the standalone ones) in one OpenCL C program; empty if none. */
    public String source() {
        StringBuilder b = new StringBuilder();
        for (KernelSpec k : kernels) {
            if (k.standalone()) {
                continue;
            }
            b.append("// ").append(k.kind()).append(": ").append(k.describeOutputs()).append('\n');
            b.append(k.source()).append('\n');
        }
        return b.toString();
    }

    /** One line per kernel: name, kind, what it writes and reads. */
    public String summary() {
        StringBuilder b = new StringBuilder();
        for (KernelSpec k : kernels) {
            b.append(k.name()).append(" [").append(k.kind()).append("] writes");
            for (Tensor t : k.outputs()) {
                b.append(" %").append(t.id());
            }
            b.append(k.outputs().isEmpty() ? " scratch" : " " + k.output().shape() + (k.scratchElements() > 0 ? " (from scratch)" : ""));
            b.append(" reads");
            for (Tensor t : k.inputs()) {
                b.append(" %").append(t.id());
            }
            b.append('\n');
        }
        return b.toString();
    }
}
