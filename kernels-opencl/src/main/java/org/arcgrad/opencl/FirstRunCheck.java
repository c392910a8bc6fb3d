package org.arcgrad.opencl;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.arcgrad.autodiff.Graph;
import org.arcgrad.autodiff.NDArray;
import org.arcgrad.autodiff.Tensor;
import org.arcgrad.opencl.compile.KernelSpec;

/**
 * {@code ARCGRAD_VERIFY}: after an executable's first run, the graph runs again in the fp64
 * interpreter on the very values the device read, and every output must agree by {@link
 * InterpreterAgreement}'s rule. When one does not, the same kernels run once more with a buffer
 * of their own for every value, to name the first node (in launch order) whose values are wrong and
 * the kernel that computed it; if every node is right there, the reuse of buffers is at fault.
 */
final class FirstRunCheck {
    private FirstRunCheck() {
    }

    static void verify(Executable e) {
        Graph graph = e.plan().graph();
        Map<Tensor, NDArray> feeds = new HashMap<>();
        for (Tensor s : graph.sources()) {
            feeds.put(s, e.read(s));
        }
        List<Tensor> outputs = graph.outputs();
        NDArray[] device = new NDArray[outputs.size()];
        for (int k = 0; k < device.length; k++) {
            device[k] = e.read(outputs.get(k));
        }
        Optional<InterpreterAgreement.Disagreement> wrong = InterpreterAgreement.check(graph, feeds, device, new Random(0));
        if (wrong.isEmpty()) {
            return;
        }
        StringBuilder m = new StringBuilder(CompileOptions.ENV_VERIFY + ": the OpenCL device disagrees with the fp64 interpreter.\n")
                .append("  first output that disagrees: output ").append(wrong.get().output()).append(", ").append(wrong.get()).append('\n');
        try (Executable apart = e.withEveryValueKept()) {
            List<Tensor> values = new ArrayList<>();
            Map<Tensor, KernelSpec> writer = new HashMap<>();
            for (KernelSpec k : e.plan().kernels()) {
                for (Tensor t : k.outputs()) {
                    values.add(t);
                    writer.put(t, k);
                }
            }
            NDArray[] all = new NDArray[values.size()];
            apart.run(feeds);
            for (int i = 0; i < all.length; i++) {
                all[i] = apart.read(values.get(i));
            }
            Optional<InterpreterAgreement.Disagreement> first = InterpreterAgreement.check(
                    Graph.of(values.toArray(new Tensor[0])), feeds, all, new Random(0));
            if (first.isPresent()) {
                KernelSpec k = writer.get(first.get().node());
                m.append("  first node that disagrees (every value in a buffer of its own): ").append(first.get())
                        .append("\n  computed by kernel ").append(k.name()).append(" [").append(k.kind()).append("]:\n").append(k.source());
            } else {
                m.append("  with every value in a buffer of its own, every node agrees: the reuse of buffers between values is at fault");
            }
        }
        throw new DeviceDisagreementException(m.toString());
    }
}
