package org.arcgrad.opencl.fused;

import java.util.Map;
import org.arcgrad.autodiff.Graph;
import org.arcgrad.autodiff.Interpreter;
import org.arcgrad.autodiff.NDArray;
import org.arcgrad.autodiff.Tensor;

/**
 * Evaluates a graph in fp64 with its {@link ClassRegion} computed chunk by chunk and pass by pass
 * ({@link ChunkedPlan} run by the interpreter): the reference that the chunked device execution
 * is held to, and the proof that the decomposition (the region, its passes, the chunk graphs, the
 * slices and the combinations) computes the same numbers as the whole graph. No value of N×C
 * elements is made. A graph without a region is evaluated as {@link Interpreter#run(Graph, Map)} does.
 */
public final class ChunkedInterpreter {
    private ChunkedInterpreter() {
    }

    public static NDArray[] run(Graph graph, Map<Tensor, NDArray> feeds, int chunkWidth) {
        java.util.Optional<ChunkedPlan> plan = ChunkedPlan.of(graph, chunkWidth);
        return plan.isPresent() ? plan.get().run(feeds, Interpreter::run) : Interpreter.run(graph, feeds);
    }
}
