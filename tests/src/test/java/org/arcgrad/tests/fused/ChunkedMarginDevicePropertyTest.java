package org.arcgrad.tests.fused;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.arcgrad.autodiff.Graph;
import org.arcgrad.autodiff.NDArray;
import org.arcgrad.autodiff.Tensor;
import org.arcgrad.opencl.CompileOptions;
import org.arcgrad.opencl.InterpreterAgreement;
import org.arcgrad.opencl.compile.PlanChoice;
import org.arcgrad.opencl.fused.ChunkedExecutable;
import org.arcgrad.tests.opencl.DeviceComparison;
import org.arcgrad.tests.opencl.SharedDevice;
import org.arcgrad.tests.property.Property;
import org.arcgrad.tests.property.Gen;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link ChunkedMarginPropertyTest}'s random margins on the device, under both kernel plans: the
 * chunked executable agrees with the whole graph in the fp64 interpreter (a class of its own because
 * it takes tens of seconds, which mutation testing leaves to ./arcgrad test).
 *
 * <p>With two features at least: with one, every cosine is ±1 and grad W through W's normalization
 * is zero in exact arithmetic, so the device's value there is a rounding residue alone (g − ŵ(ŵ·g)
 * with ŵ² a few ulps off 1), which the interpreter's four noisy runs bound only most of the time:
 * at 3 × the default tries a case of D = 1 came out at 1.33 × its tolerance (−5.7e-14 against
 * −1.1e-22, seed −8105732559265344537). The fp64 property keeps D = 1.
 */
class ChunkedMarginDevicePropertyTest {
    @ParameterizedTest(name = "{0} plan")
    @EnumSource(value = PlanChoice.class, names = {"CPU", "GPU"})
    void chunkedOnTheDeviceAgreesWithTheWholeGraphOnRandomMargins(PlanChoice plan) {
        agrees(plan, "", ChunkedMarginPropertyTest.margins(), 8);
    }

    /**
     * The same with chunks of 32 classes more, so that the GPU plan folds each chunk's first pass
     * into its product ({@code RowFolds} folds rows of a column tile, 32 classes on a GPU, or more):
     * the user's random margin computed in the GEMM's output stage, the online sum of exp, the
     * merge; with centres whose max is taken of the product itself, that max over the centres in
     * the GEMM too (a scaled product's max, or the centres' mean, keep their kernels). Narrower last
     * chunks keep their kernels. Six tries (a GEMM to build in each program on PoCL); 40 passed
     * with one centre a class, and 40 with the centres, when each was added.
     */
    @Test
    void foldedChunksOnTheGpuPlanAgreeWithTheWholeGraphOnRandomMargins() {
        agrees(PlanChoice.GPU, ", chunks of 32 classes more", ChunkedMarginPropertyTest.margins()
                .map(m -> new ChunkedMarginPropertyTest.Margin(m.n(), m.d(), m.c() + 32, m.centres(), m.width() + 32, m.depth(), m.seed())),
                6);
    }

    private static void agrees(PlanChoice plan, String what, Gen<ChunkedMarginPropertyTest.Margin> margins, int tries) {
        Property.named("chunked on the device (" + plan + " plan) = interpreter on random margins" + what).tries(tries)
                .forAll(margins.filter("two features at least", m -> m.d() >= 2), m -> {
            ChunkedMarginPropertyTest.Built b = m.build();
            DeviceComparison.roundToFloat(b.feeds());
            Tensor[] outs = b.outputs().toArray(new Tensor[0]);
            try (ChunkedExecutable e = ChunkedExecutable.compile(SharedDevice.context(), CompileOptions.defaults().withPlan(plan),
                    m.width(), outs)) {
                NDArray[] device = e.run(b.feeds());
                var disagreement = InterpreterAgreement.check(Graph.of(outs), b.feeds(), device, new Random(m.seed()));
                assertTrue(disagreement.isEmpty(), () -> disagreement.get() + "\n" + b.tape());
            }
        });
    }
}
