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
 *   <li>a reduction (a reduction ends a kernel) or a matrix product (the GEMM template),</li>
 *   <li>an operand of a matrix product (the template reads buffers; a transpose of a buffer is
 *       not copied but becomes the template's transposed variant),</li>
 *   <li>a graph output.</li>
 * </ul>
 * Reshapes and detaches never move data, so a reshape of a materialized node shares its buffer.
 * Elementwise work is thus recomputed rather than stored whenever it is cheap to: the kernels
 * after a reduction read its small result and redo the elementwise arithmetic around it.
 */
final class Schedule {
    final Graph graph;
    /** Materialized non-source nodes in tape order: one kernel each. */
    final List<Tensor> computed;
    /** Sources and materialized nodes: what kernels read from buffers. */
    final Set<Tensor> buffers;

    private Schedule(Graph graph, List<Tensor> computed, Set<Tensor> buffers) {
        this.graph = graph;
        this.computed = computed;
        this.buffers = buffers;
    }

    static Schedule of(Graph graph) {
        Set<Tensor> marked = new LinkedHashSet<>();
        for (Tensor n : graph.nodes()) {
            if (n.op() == Op.INPUT || n.op() == Op.PARAM) {
                marked.add(n);
            } else if (n.op().kind() == Op.Kind.REDUCE || n.op() == Op.MATMUL) {
                marked.add(n);
            }
            if (n.op() == Op.MATMUL) {
                marked.add(GemmOperand.of(n.input(0)).matrix);
                marked.add(GemmOperand.of(n.input(1)).matrix);
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
        return new Schedule(graph, Collections.unmodifiableList(computed), Collections.unmodifiableSet(marked));
    }

    /** The node whose buffer holds {@code t}'s elements in row-major order: t without reshapes and detaches. */
    static Tensor storage(Tensor t) {
        while (t.op() == Op.RESHAPE || t.op() == Op.DETACH) {
            t = t.input(0);
        }
        return t;
    }

    /** A matrix-product operand as the template sees it: a buffer and whether it is read transposed. */
    static final class GemmOperand {
        final Tensor matrix;
        final boolean transposed;

        private GemmOperand(Tensor matrix, boolean transposed) {
            this.matrix = matrix;
            this.transposed = transposed;
        }

        static GemmOperand of(Tensor operand) {
            Tensor t = storage(operand);
            if (t.op() == Op.TRANSPOSE && t.input(0).shape().rank() == 2) {
                return new GemmOperand(storage(t.input(0)), true);
            }
            return new GemmOperand(t, false);
        }
    }
}
