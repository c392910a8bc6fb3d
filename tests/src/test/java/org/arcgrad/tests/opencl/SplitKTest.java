package org.arcgrad.tests.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.arcgrad.autodiff.Graph;
import org.arcgrad.autodiff.NDArray;
import org.arcgrad.autodiff.Tape;
import org.arcgrad.autodiff.Tensor;
import org.arcgrad.opencl.compile.KernelPlan;
import org.arcgrad.opencl.compile.KernelSpec;
import org.arcgrad.opencl.compile.PlanChoice;
import org.arcgrad.opencl.gemm.DeviceLimits;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Split K on the device: a 7×5 product with K = 9001 gives one output tile, so under both plans
 * it is computed as 8 partial products over slices of K (the last one 1049 deep, not a multiple
 * of any tile or vector width) and their sum. Every stored layout of the operands (NN, NT, TN, TT:
 * transposes read in place) agrees with the interpreter, forward and backward.
 */
class SplitKTest {
    private static final int M = 7;
    private static final int N = 5;
    private static final int K = 9001;

    static Stream<Arguments> layoutsAndPlans() {
        return Stream.of("NN", "NT", "TN", "TT")
                .flatMap(v -> Stream.of(PlanChoice.CPU, PlanChoice.GPU).map(p -> Arguments.of(v, p)));
    }

    @ParameterizedTest(name = "{0}, {1} plan")
    @MethodSource("layoutsAndPlans")
    void aProductOfOneTileAndALongKIsSplitAndAgrees(String layout, PlanChoice plan) {
        Tape tape = new Tape();
        boolean aT = layout.charAt(0) == 'T';
        boolean bT = layout.charAt(1) == 'T';
        Tensor a = aT ? tape.param("a stored K×M", K, M) : tape.param("a", M, K);
        Tensor b = bT ? tape.param("b stored N×K", N, K) : tape.param("b", K, N);
        Tensor product = (aT ? a.transpose() : a).matmul(bT ? b.transpose() : b);
        Tensor loss = product.square().sum();
        Tensor[] grads = tape.grad(loss, a, b);

        KernelPlan kernels = KernelPlan.of(Graph.of(product), plan.apply(DeviceLimits.of(SharedDevice.context().device().info())));
        Map<String, Integer> kinds = new TreeMap<>();
        for (KernelSpec k : kernels.kernels()) {
            kinds.merge(k.kind(), 1, Integer::sum);
        }
        assertEquals(Map.of("gemm-partial", 1, "split-k-sum", 1), kinds, kernels.summary());
        assertEquals(8L, kernels.kernels().get(0).global()[2], "slices: " + kernels.summary());

        Random random = new Random(layout.hashCode());
        Map<Tensor, NDArray> feeds = Map.of(a, NDArray.gaussian(a.shape(), random), b, NDArray.gaussian(b.shape(), random));
        List<String> names = List.of("product", "loss", "grad a", "grad b");
        DeviceAgreement.assertDeviceMatchesInterpreter(List.of(product, loss, grads[0], grads[1]), feeds, plan, random, names::get,
                tape.dump());
    }
}
