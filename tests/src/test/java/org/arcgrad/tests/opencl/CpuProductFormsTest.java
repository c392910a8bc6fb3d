package org.arcgrad.tests.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.arcgrad.autodiff.Graph;
import org.arcgrad.autodiff.NDArray;
import org.arcgrad.autodiff.Tape;
import org.arcgrad.autodiff.Tensor;
import org.arcgrad.opencl.compile.KernelPlan;
import org.arcgrad.opencl.compile.KernelSpec;
import org.arcgrad.opencl.compile.PlanChoice;
import org.arcgrad.opencl.gemm.DeviceLimits;
import org.arcgrad.opencl.runtime.DeviceType;
import org.arcgrad.tests.property.Gen;
import org.arcgrad.tests.property.Gens;
import org.arcgrad.tests.property.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The forms a CPU gives products by shape, against the interpreter under both plans. A product
 * x·Wᵀ with many output columns runs as TT over a transposed copy of x in the scratch buffer
 * (GemmDefaults.cpuTransposesA): N at least 768 and not a multiple of 512. The cases: N = 800
 * (copied), 1024 (a multiple of 512: NT) and 767 (too short: NT), with x a computed value (rows
 * normalized) and a source, and their gradients (whose products are NN and TN); and which kernels
 * each plan gives. An NN product with a long K and whole 256×128 output tiles takes those tiles
 * (GemmDefaults.cpuLongK).
 */
class CpuProductFormsTest {
    private static final int[] COLUMNS = {800, 1024, 767};

    private record Products(List<Tensor> outputs, Map<Tensor, NDArray> feeds, List<String> names) {
    }

    /** x [21, 7] normalized by rows times each W [N, 7] transposed, a source x times the first W, and the gradients of a weighted sum. */
    private static Products products(Random random) {
        Tape tape = new Tape();
        Tensor x = tape.param("x", 21, 7); // 21 rows: a block of 16 and a short one in the copy
        Tensor xHat = x.div(x.square().sum(1, true).sqrt());
        List<Tensor> outputs = new ArrayList<>();
        List<String> names = new ArrayList<>();
        Map<Tensor, NDArray> feeds = new HashMap<>(Map.of(x, NDArray.uniform(x.shape(), -1, 1, random)));
        Tensor loss = null;
        List<Tensor> ws = new ArrayList<>();
        for (int n : COLUMNS) {
            Tensor w = tape.param("w" + n, n, 7);
            Tensor y = tape.input("y" + n, 21, n);
            feeds.put(w, NDArray.uniform(w.shape(), -1, 1, random));
            feeds.put(y, NDArray.uniform(y.shape(), -1, 1, random));
            Tensor product = xHat.matmul(w.transpose());
            outputs.add(product);
            names.add("x̂·Wᵀ, N = " + n);
            Tensor term = product.mul(y).sum();
            loss = loss == null ? term : loss.add(term);
            ws.add(w);
        }
        outputs.add(x.matmul(ws.get(0).transpose()));
        names.add("x·Wᵀ, x a source, N = 800");
        List<Tensor> wrt = new ArrayList<>(List.of(x));
        wrt.addAll(ws);
        Tensor[] grads = tape.grad(loss, wrt.toArray(new Tensor[0]));
        for (int i = 0; i < grads.length; i++) {
            outputs.add(grads[i]);
            names.add("grad " + wrt.get(i).name());
        }
        return new Products(outputs, feeds, names);
    }

    @ParameterizedTest(name = "{0} plan")
    @EnumSource(value = PlanChoice.class, names = {"CPU", "GPU"})
    void productsAndTheirGradientsAgreeWithTheInterpreter(PlanChoice plan) {
        Random random = new Random(31);
        Products p = products(random);
        DeviceAgreement.assertDeviceMatchesInterpreter(p.outputs(), p.feeds(), plan, random, p.names()::get, "");
    }

    /** x [M, K] times W [N, K] transposed, N around the rule's edges (768, multiples of 512), on the CPU plan. */
    @Test
    void wideProductsOfRandomShapesAgreeWithTheInterpreter() {
        Gen<int[]> shapes = Gen.zip(Gen.zip(Gens.ints(1, 40), Gens.ints(1, 40), (m, k) -> new int[] {m, k}),
                Gens.oneOf(Gens.ints(700, 1600), Gens.elements(767, 768, 1023, 1025, 1535, 1536, 1537)),
                (mk, n) -> new int[] {mk[0], mk[1], n});
        Property.named("x·Wᵀ on the CPU plan (TT over a copy of x where N ≥ 768, not a multiple of 512) = interpreter").tries(25)
                .forAll(shapes, s -> {
                    Tape tape = new Tape();
                    Tensor x = tape.param("x", s[0], s[1]);
                    Tensor w = tape.param("w", s[2], s[1]);
                    Random random = new Random(s[0] * 7919L + s[1] * 104729L + s[2]);
                    Map<Tensor, NDArray> feeds = Map.of(x, NDArray.uniform(x.shape(), -1, 1, random),
                            w, NDArray.uniform(w.shape(), -1, 1, random));
                    DeviceAgreement.assertDeviceMatchesInterpreter(List.of(x.matmul(w.transpose())), feeds, PlanChoice.CPU, random,
                            i -> "x·Wᵀ, M = " + s[0] + ", K = " + s[1] + ", N = " + s[2], "");
                });
    }

    /** G·W of a head at N = 256, D = 128, C = 4100 (K above CPU_SHORT_K) and one with a ragged N: 64×64 tiles. */
    @ParameterizedTest(name = "{0} plan")
    @EnumSource(value = PlanChoice.class, names = {"CPU", "GPU"})
    void longProductsInWholeAndRaggedTilesAgreeWithTheInterpreter(PlanChoice plan) {
        Tape tape = new Tape();
        Tensor g = tape.param("g", 256, 4100);
        Tensor w = tape.param("w", 4100, 128);
        Tensor w130 = tape.param("w130", 4100, 130);
        Random random = new Random(37);
        Map<Tensor, NDArray> feeds = Map.of(g, NDArray.uniform(g.shape(), -1, 1, random), w, NDArray.uniform(w.shape(), -1, 1, random),
                w130, NDArray.uniform(w130.shape(), -1, 1, random));
        List<String> names = List.of("G·W, 256×128 over K = 4100", "G·W, 256×130 over K = 4100");
        List<Tensor> products = List.of(g.matmul(w), g.matmul(w130));
        DeviceAgreement.assertDeviceMatchesInterpreter(products, feeds, plan, random, names::get, "");
        KernelPlan cpu = KernelPlan.of(Graph.of(products.toArray(new Tensor[0])), DeviceLimits.typical(DeviceType.CPU));
        // both give under 16 work-groups, so both are split along K (SplitK): 256×128 tiles, then 64×64 for N = 130
        assertEquals(List.of("arcgrad_gemm_nn_256x128x256_split_k", "arcgrad_split_k_sum", "arcgrad_gemm_nn_split_k", "arcgrad_split_k_sum"),
                cpu.kernels().stream().map(KernelSpec::name).toList());
    }

    @Test
    void onlyTheCpuPlansWideProductsCopyX() {
        Products p = products(new Random(1));
        Graph graph = Graph.of(p.outputs().toArray(new Tensor[0]));
        List<Integer> cpu = copiedColumns(KernelPlan.of(graph, DeviceLimits.typical(DeviceType.CPU)));
        // x̂·Wᵀ and x·Wᵀ at N = 800; each copy's product comes right after it
        assertEquals(List.of(800, 800), cpu);
        assertEquals(List.of(), copiedColumns(KernelPlan.of(graph, DeviceLimits.typical(DeviceType.GPU))));
    }

    /** The column count of the product after each transposed copy, in launch order. */
    private static List<Integer> copiedColumns(KernelPlan plan) {
        List<Integer> columns = new ArrayList<>();
        List<KernelSpec> kernels = plan.kernels();
        for (int i = 0; i < kernels.size(); i++) {
            if (kernels.get(i).kind().equals("transposed-copy")) {
                KernelSpec next = kernels.get(i + 1);
                assertEquals("gemm", next.kind(), plan.summary());
                columns.add(next.output().shape().dim(1));
            }
        }
        return columns;
    }
}
