package org.arcgrad.opencl.compile;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.arcgrad.autodiff.Graph;
import org.arcgrad.autodiff.Op;
import org.arcgrad.autodiff.Tensor;

/**
 * Decides which nodes of a graph get a buffer; every other node is fused, recomputed inline by
 * the kernels that read it. A node is materialized when it is
 * <ul>
 *   <li>a reduction (a reduction ends a kernel), a matrix product (the GEMM template) or a
 *       window op ({@link ConvKernels}, {@link PoolKernels}),</li>
 *   <li>an operand of a matrix product (the template reads buffers; a transpose of a buffer is
 *       not copied but becomes the template's transposed variant; on the CPU plan the patch
 *       matrix of a forward product, or of a stride-1 weight gradient that keeps the planes' size,
 *       is read from its image instead, see {@link #implicitPatches}) or of a
 *       window op,</li>
 *   <li>a graph output.</li>
 * </ul>
 * Reshapes and detaches never move data, so a reshape of a materialized node shares its buffer.
 * Elementwise work is thus recomputed rather than stored whenever it is cheap to: the kernels
 * after a reduction read its small result and redo the elementwise arithmetic around it.
 *
 * <p>Each materialized node gets a kernel, except that elementwise graph outputs of the same
 * shape that no other kernel reads are computed together by one kernel with several outputs
 * ({@link #launches()}): a training step's parameter updates, whose new value and new optimizer
 * state read the same gradient and parameter (read once instead of once per output, and one
 * launch instead of a dozen for a layer's small vectors). Within such a group an output that
 * another one uses (the momentum buffer in the parameter's update) is computed inline, not read
 * back from memory. Likewise, one-pass reductions of the same kind over the same input shape and
 * axis that do not depend on each other share a kernel, each with its own accumulator, launched
 * after everything they read and before anything that reads them, wherever they stand in tape
 * order: the sibling sums of a batch norm's backward pass read their inputs once instead of three
 * times.
 */
final class Schedule {
    final Graph graph;
    /** Materialized non-source nodes in tape order: one kernel each. */
    final List<Tensor> computed;
    /** Sources and materialized nodes: what kernels read from buffers. */
    final Set<Tensor> buffers;

    /** Products computed by the col2im that reads them ({@link #transposedPatches}): no buffer, no kernel of their own. */
    final Set<Tensor> productsInCol2im;

    private Schedule(Graph graph, List<Tensor> computed, Set<Tensor> buffers, Set<Tensor> productsInCol2im) {
        this.graph = graph;
        this.computed = computed;
        this.buffers = buffers;
        this.productsInCol2im = productsInCol2im;
    }

    /**
     * The schedule of {@code graph}; with {@code implicitPatches}, a product of a matrix and a
     * patch matrix reads the patches from the image ({@link #implicitPatches(Tensor, boolean)}),
     * so the patch matrix is not materialized for it.
     */
    static Schedule of(Graph graph, boolean implicitPatches) {
        Set<Tensor> productsInCol2im = implicitPatches ? productsInCol2im(graph) : Set.of();
        Set<Tensor> marked = new LinkedHashSet<>();
        for (Tensor n : graph.nodes()) {
            if (productsInCol2im.contains(n)) {
                marked.add(GemmOperand.of(n.input(0)).matrix);
                marked.add(GemmOperand.of(n.input(1)).matrix);
                continue;
            }
            if (n.op() == Op.COL2IM && productsInCol2im.contains(n.input(0))) {
                marked.add(n);
                continue;
            }
            if (n.op() == Op.INPUT || n.op() == Op.PARAM) {
                marked.add(n);
            } else if (n.op().kind() == Op.Kind.REDUCE || n.op() == Op.MATMUL) {
                marked.add(n);
            }
            if (n.op() == Op.MATMUL) {
                marked.add(GemmOperand.of(n.input(0)).matrix);
                Tensor patches = implicitPatches(n, implicitPatches);
                marked.add(patches != null ? storage(patches.input(0)) : GemmOperand.of(n.input(1)).matrix);
            }
            if (n.op().kind() == Op.Kind.WINDOW) {
                marked.add(n); // a convolution or pooling kernel reads its operands from buffers, row-major
                for (int k = 0; k < n.arity(); k++) {
                    marked.add(storage(n.input(k)));
                }
            }
            if (n.op() == Op.GATHER_ROWS) {
                marked.add(n.input(0)); // rows are read at indices only known on the device
            }
            if (n.op() == Op.IM2COL) {
                marked.add(storage(n.input(0))); // patch elements read the image at computed positions
            }
        }
        for (Tensor o : graph.outputs()) {
            marked.add(storage(o));
        }
        List<Tensor> computed = new ArrayList<>();
        for (Tensor n : graph.nodes()) {
            if (marked.contains(n) && n.op() != Op.INPUT && n.op() != Op.PARAM) {
                computed.add(n);
            }
        }
        return new Schedule(graph, Collections.unmodifiableList(computed), Collections.unmodifiableSet(marked), productsInCol2im);
    }

    /** The products that {@link #transposedPatches} finds, read by their col2im alone. */
    private static Set<Tensor> productsInCol2im(Graph graph) {
        java.util.Map<Tensor, Integer> uses = new java.util.HashMap<>();
        for (Tensor n : graph.nodes()) {
            for (int k = 0; k < n.arity(); k++) {
                uses.merge(n.input(k), 1, Integer::sum);
            }
        }
        for (Tensor o : graph.outputs()) {
            uses.merge(o, 1, Integer::sum);
        }
        Set<Tensor> products = new java.util.HashSet<>();
        for (Tensor n : graph.nodes()) {
            Tensor product = transposedPatches(n);
            if (product != null && uses.get(product) == 1) {
                products.add(product);
            }
        }
        return products;
    }

    /**
     * For COL2IM(Wᵀ · G) of a stride-1 convolution, or of a strided one whose output planes are its
     * image's phase planes (of 16 positions or more), (its input gradient: the weights read
     * transposed, the output gradient G as it is), the product; else null. The CPU plan computes
     * the two as one implicit GEMM ({@link GemmKernels#transposedPatchProduct}).
     */
    static Tensor transposedPatches(Tensor col2im) {
        if (col2im.op() != Op.COL2IM || col2im.input(0).op() != Op.MATMUL) {
            return null;
        }
        Tensor product = col2im.input(0);
        boolean fits = (strideOne(col2im) || GemmKernels.stridedPlanes(col2im).isPresent())
                && GemmOperand.of(product.input(0)).transposed && !GemmOperand.of(product.input(1)).transposed;
        return fits ? product : null;
    }

    private static boolean strideOne(Tensor col2im) {
        org.arcgrad.autodiff.Conv2d g = org.arcgrad.autodiff.Conv2d.of(col2im.attrs());
        return g.strideH() == 1 && g.strideW() == 1;
    }

    /**
     * The kernels to launch, in order: each a list of the nodes it computes, one node except for
     * groups of elementwise outputs (see the class comment). A group launches where its last
     * member is in tape order: every member's inputs are ready there, and no other kernel reads a
     * member.
     */
    List<List<Tensor>> launches() {
        Set<Tensor> outputs = new java.util.HashSet<>();
        for (Tensor o : graph.outputs()) {
            outputs.add(storage(o));
        }
        java.util.Map<Tensor, Set<Tensor>> readers = new java.util.HashMap<>();
        for (Tensor n : computed) {
            for (Tensor read : bufferReads(n)) {
                readers.computeIfAbsent(read, k -> new java.util.HashSet<>()).add(n);
            }
        }
        // candidates: elementwise outputs; a candidate read by anything but candidates of its shape stays alone
        java.util.Map<org.arcgrad.autodiff.Shape, List<Tensor>> byShape = new java.util.LinkedHashMap<>();
        for (Tensor n : computed) {
            if (outputs.contains(n) && isElementwise(n)) {
                byShape.computeIfAbsent(n.shape(), k -> new ArrayList<>()).add(n);
            }
        }
        java.util.Map<Tensor, List<Tensor>> groupOf = new java.util.HashMap<>();
        for (List<Tensor> same : byShape.values()) {
            List<Tensor> group = new ArrayList<>();
            for (Tensor n : same) {
                boolean readOnlyWithin = true;
                for (Tensor r : readers.getOrDefault(n, Set.of())) {
                    readOnlyWithin &= same.contains(r);
                }
                if (readOnlyWithin) {
                    group.add(n);
                }
            }
            // a member read by a candidate that had to stay alone would be computed after its reader
            boolean changed = true;
            while (changed) {
                changed = false;
                for (Tensor n : List.copyOf(group)) {
                    for (Tensor r : readers.getOrDefault(n, Set.of())) {
                        if (!group.contains(r)) {
                            group.remove(n);
                            changed = true;
                        }
                    }
                }
            }
            if (group.size() > 1) {
                for (Tensor n : group) {
                    groupOf.put(n, group);
                }
            }
        }
        java.util.Map<Tensor, List<Tensor>> outputGroups = new java.util.HashMap<>(groupOf);
        List<List<Tensor>> launches = inOrder(groupReductions(readers, groupOf), groupOf);
        List<List<Tensor>> ordered = dependencyOrder(launches);
        // Reduction groups placed where their own inputs are ready can still end up before a group
        // they read from, when that group moved later (or read each other both ways): then in
        // dependency order, or, with no such order, without reduction groups.
        return ordered != null ? ordered : inOrder(java.util.Map.of(), outputGroups);
    }

    /** The launches with reduction groups at {@code reductionsAt} and the other groups of {@code groupOf} where their last member stands. */
    private List<List<Tensor>> inOrder(java.util.Map<Integer, List<List<Tensor>>> reductionsAt, java.util.Map<Tensor, List<Tensor>> groupOf) {
        List<List<Tensor>> launches = new ArrayList<>();
        for (int i = 0; i < computed.size(); i++) {
            launches.addAll(reductionsAt.getOrDefault(i, List.of()));
            Tensor n = computed.get(i);
            List<Tensor> group = groupOf.get(n);
            if (group == null) {
                launches.add(List.of(n));
            } else if (n.op().kind() != Op.Kind.REDUCE && group.get(group.size() - 1) == n) {
                launches.add(List.copyOf(group)); // elementwise outputs, where the last stands; reduction groups launch above
            }
        }
        return launches;
    }

    /**
     * The launches reordered so that each comes after every launch that writes a buffer it reads,
     * otherwise keeping their order (the earliest ready launch first); null when they read each
     * other in a cycle.
     */
    private List<List<Tensor>> dependencyOrder(List<List<Tensor>> launches) {
        java.util.Map<Tensor, Integer> writer = new java.util.HashMap<>();
        for (int i = 0; i < launches.size(); i++) {
            for (Tensor n : launches.get(i)) {
                writer.put(n, i);
            }
        }
        List<Set<Integer>> waitsFor = new ArrayList<>();
        List<List<Integer>> unblocks = new ArrayList<>();
        for (int i = 0; i < launches.size(); i++) {
            unblocks.add(new ArrayList<>());
        }
        for (int i = 0; i < launches.size(); i++) {
            Set<Integer> deps = new java.util.HashSet<>();
            for (Tensor n : launches.get(i)) {
                for (Tensor r : bufferReads(n)) {
                    Integer w = writer.get(storage(r));
                    if (w != null && w != i && deps.add(w)) {
                        unblocks.get(w).add(i);
                    }
                }
            }
            waitsFor.add(deps);
        }
        java.util.PriorityQueue<Integer> ready = new java.util.PriorityQueue<>();
        for (int i = 0; i < launches.size(); i++) {
            if (waitsFor.get(i).isEmpty()) {
                ready.add(i);
            }
        }
        List<List<Tensor>> ordered = new ArrayList<>();
        while (!ready.isEmpty()) {
            int i = ready.poll();
            ordered.add(launches.get(i));
            for (int j : unblocks.get(i)) {
                Set<Integer> deps = waitsFor.get(j);
                deps.remove(i);
                if (deps.isEmpty()) {
                    ready.add(j);
                }
            }
        }
        return ordered.size() == launches.size() ? ordered : null;
    }

    /**
     * Groups one-pass reductions (see {@link KernelRenderer#isSerial}) with the same op, input
     * shape and axis, greedily in tape order: a reduction joins the open group of its kind when it
     * depends on no member (not even through other kernels) and the group can still launch at one
     * place, after every kernel whose result a member reads and before every kernel that reads a
     * member. (A batch norm's backward sums one after the other in tape order, the first already
     * read by the kernels that finish its mean: they launch together where the last input is ready.)
     *
     * @return by position in {@link #computed}, the groups of two or more that launch just before it
     *     (just after the last kernel any member reads)
     */
    private java.util.Map<Integer, List<List<Tensor>>> groupReductions(java.util.Map<Tensor, Set<Tensor>> readers,
                                                                 java.util.Map<Tensor, List<Tensor>> groupOf) {
        java.util.Map<Tensor, Integer> position = new java.util.HashMap<>();
        java.util.Map<Tensor, Set<Tensor>> dependsOn = new java.util.HashMap<>();
        for (int i = 0; i < computed.size(); i++) {
            Tensor n = computed.get(i);
            position.put(n, i);
            Set<Tensor> deps = new java.util.HashSet<>();
            for (Tensor r : bufferReads(n)) {
                if (dependsOn.containsKey(r)) {
                    deps.add(r);
                    deps.addAll(dependsOn.get(r));
                }
            }
            dependsOn.put(n, deps);
        }
        /** Members, the last position any of them reads and the first position that reads any of them. */
        final class Group {
            final List<Tensor> members = new ArrayList<>();
            int lastRead;
            int firstReader;
        }
        java.util.Map<String, Group> open = new java.util.HashMap<>();
        List<Group> groups = new ArrayList<>();
        for (Tensor n : computed) {
            if (n.op().kind() != Op.Kind.REDUCE || !KernelRenderer.isSerial(n)
                    || (n.op() == Op.SUM && Gather.match(n.input(0), n.attrs().integer(0)) != null)) {
                continue;
            }
            int lastRead = -1;
            for (Tensor r : bufferReads(n)) {
                lastRead = Math.max(lastRead, position.getOrDefault(r, -1)); // sources are ready before any kernel
            }
            int firstReader = Integer.MAX_VALUE;
            for (Tensor r : readers.getOrDefault(n, Set.of())) {
                firstReader = Math.min(firstReader, position.get(r));
            }
            String key = n.op() + " " + n.input(0).shape() + " axis " + n.attrs().integer(0);
            Group group = open.get(key);
            boolean joins = group != null && Math.max(group.lastRead, lastRead) < Math.min(group.firstReader, firstReader);
            for (Tensor m : joins ? group.members : List.<Tensor>of()) {
                joins &= !dependsOn.get(n).contains(m);
            }
            if (!joins) {
                group = new Group();
                group.lastRead = lastRead;
                group.firstReader = firstReader;
                open.put(key, group);
                groups.add(group);
            }
            group.members.add(n);
            group.lastRead = Math.max(group.lastRead, lastRead);
            group.firstReader = Math.min(group.firstReader, firstReader);
        }
        java.util.Map<Integer, List<List<Tensor>>> at = new java.util.HashMap<>();
        for (Group g : groups) {
            if (g.members.size() > 1) {
                List<Tensor> members = List.copyOf(g.members);
                for (Tensor n : members) {
                    groupOf.put(n, members);
                }
                at.computeIfAbsent(g.lastRead + 1, k -> new ArrayList<>()).add(members);
            }
        }
        return at;
    }

    /** Rendered by the elementwise kernel: not a reduction, a product or an index. */
    private static boolean isElementwise(Tensor n) {
        return n.op().kind() == Op.Kind.ELEMENTWISE || n.op().kind() == Op.Kind.VIEW;
    }

    /** The buffers a computed node's kernel reads: its inputs, through the nodes fused into it. */
    Set<Tensor> bufferReads(Tensor n) {
        Set<Tensor> reads = new LinkedHashSet<>();
        java.util.Deque<Tensor> todo = new java.util.ArrayDeque<>();
        Set<Tensor> seen = new java.util.HashSet<>();
        for (int k = 0; k < n.arity(); k++) {
            todo.push(n.input(k));
        }
        while (!todo.isEmpty()) {
            Tensor t = todo.pop();
            if (!seen.add(t)) {
                continue;
            }
            if (buffers.contains(t)) {
                reads.add(t);
            } else {
                for (int k = 0; k < t.arity(); k++) {
                    todo.push(t.input(k));
                }
            }
        }
        return reads;
    }

    /** The node whose buffer holds {@code t}'s elements in row-major order: t without reshapes and detaches. */
    static Tensor storage(Tensor t) {
        while (t.op() == Op.RESHAPE || t.op() == Op.DETACH) {
            t = t.input(0);
        }
        return t;
    }

    /**
     * The patch matrix of a product that reads it from the image in place instead, on CPU plans
     * ({@code enabled}); else null. Two products do: a one-group convolution's forward product,
     * W · IM2COL(x), the patch matrix its untransposed right operand
     * ({@link org.arcgrad.opencl.gemm.PatchGemm}, {@link org.arcgrad.opencl.gemm.PlaneConvolution});
     * and the weight gradient of a convolution whose output planes are its image's phase planes
     * (at stride 1: that keeps its planes' size), G · IM2COL(x)ᵀ ({@link
     * org.arcgrad.opencl.gemm.PatchWeightGradient}), at a stride above 1 where that measured faster.
     * Both with an untransposed left operand. Other weight gradients keep their recorded patch
     * matrix.
     */
    static Tensor implicitPatches(Tensor matmul, boolean enabled) {
        if (!enabled || GemmOperand.of(matmul.input(0)).transposed) {
            return null;
        }
        Tensor right = matmul.input(1);
        if (right.op() == Op.IM2COL) {
            return right;
        }
        GemmOperand patches = GemmOperand.of(right);
        return patches.transposed && patches.matrix.op() == Op.IM2COL && weightGradientInPlace(patches.matrix) ? patches.matrix : null;
    }

    /**
     * Whether the weight gradient over this patch matrix reads the image in place: one group, output
     * planes as large as the image's phase planes, and at a stride above 1 a geometry where that
     * measured faster than the patch matrix ({@link org.arcgrad.opencl.gemm.PatchWeightGradient#fits}).
     */
    private static boolean weightGradientInPlace(Tensor im2col) {
        org.arcgrad.autodiff.Conv2d g = org.arcgrad.autodiff.Conv2d.of(im2col.attrs());
        int[] e = org.arcgrad.autodiff.Conv2d.extents(im2col.attrs()); // H, W, KH, KW
        return g.groups() == 1 && org.arcgrad.opencl.gemm.SamePlanes.of(e[0], e[1], e[2], e[3], g.strideH(), g.strideW(), g.padH(),
                g.padW(), g.dilationH(), g.dilationW()).filter(org.arcgrad.opencl.gemm.PatchWeightGradient::fits).isPresent();
    }

    /** A matrix-product operand as the template sees it: a buffer and whether it is read transposed. */
    static final class GemmOperand {
        final Tensor matrix;
        final boolean transposed;

        private GemmOperand(Tensor matrix, boolean transposed) {
            this.matrix = matrix;
            this.transposed = transposed;
        }

        /**
         * A transpose read through reshapes is a transposed read of its input only when the
         * reshapes keep the transpose's own shape: reshape([2, 3]) of the [6, 1] transpose of a
         * [1, 6] row lists the row's elements in order, which is no transposed read of a [3, 2]
         * or [2, 3] matrix. The transpose is then materialized (its elements in row-major order,
         * which the reshapes then view without moving data).
         */
        static GemmOperand of(Tensor operand) {
            Tensor t = storage(operand);
            if (t.op() == Op.TRANSPOSE && t.input(0).shape().rank() == 2 && t.shape().equals(operand.shape())) {
                return new GemmOperand(storage(t.input(0)), true);
            }
            return new GemmOperand(t, false);
        }
    }
}
