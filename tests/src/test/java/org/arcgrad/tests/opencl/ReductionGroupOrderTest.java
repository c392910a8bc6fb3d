package org.arcgrad.tests.opencl;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.arcgrad.autodiff.Functional;
import org.arcgrad.autodiff.NDArray;
import org.arcgrad.autodiff.Tape;
import org.arcgrad.autodiff.Tensor;
import org.arcgrad.opencl.compile.PlanChoice;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Sibling reductions grouped into one kernel launch where their inputs are ready; a group must
 * still launch after any group whose result it reads. The backward pass of two log-softmaxes
 * selected by a comparison (the shrunk case of a random multi-output graph, seed
 * -4665203751737166821) gave two groups of sums over [3], one reading the other's member, placed
 * in the wrong order: the buffer plan check stopped it as a compiler bug.
 */
class ReductionGroupOrderTest {
    @ParameterizedTest(name = "{0} plan")
    @EnumSource(value = PlanChoice.class, names = {"CPU", "GPU"})
    void aGroupThatReadsAnotherGroupLaunchesAfterIt(PlanChoice plan) {
        Tape tape = new Tape();
        Tensor a = tape.param("a", 3);
        Tensor b = tape.param("b", 3);
        Tensor c = tape.param("c", 3);
        Tensor d = tape.param("d", 1);
        Tensor out = Functional.where(Functional.logSoftmax(a, 0).le(b), Functional.logSoftmax(c, -1), d);
        Random random = new Random(11);
        Tensor cotangent = tape.input("cotangent", 3);
        Tensor[] grads = tape.grad(out.mul(cotangent).sum(), a, b, c, d);
        Map<Tensor, NDArray> feeds = new HashMap<>();
        for (Tensor t : List.of(a, b, c, d, cotangent)) {
            feeds.put(t, NDArray.gaussian(t.shape(), random));
        }
        List<Tensor> outputs = new ArrayList<>(List.of(out));
        outputs.addAll(List.of(grads));
        List<String> names = List.of("value", "grad a", "grad b", "grad c", "grad d");
        DeviceAgreement.assertDeviceMatchesInterpreter(outputs, feeds, plan, random, names::get, tape.dump());
    }

    /**
     * Two pairs of sibling sums, each pair with a member that reads a member of the other pair:
     * grouped by pairs, each group would have to launch before the other. No order exists, so the
     * sums launch one by one, in tape order.
     */
    @ParameterizedTest(name = "{0} plan")
    @EnumSource(value = PlanChoice.class, names = {"CPU", "GPU"})
    void groupsThatReadEachOtherLaunchUngrouped(PlanChoice plan) {
        Tape tape = new Tape();
        Tensor x = tape.input("x", 2, 4);
        Tensor y = tape.input("y", 2, 3);
        Tensor b1 = x.exp().sum(1, true);
        Tensor a2 = y.exp().sum(1, true);
        Tensor a1 = y.mul(b1).sum(1, true);
        Tensor b2 = x.mul(a2).sum(1, true);
        Random random = new Random(12);
        Map<Tensor, NDArray> feeds = Map.of(x, NDArray.gaussian(x.shape(), random), y, NDArray.gaussian(y.shape(), random));
        List<String> names = List.of("a1", "b2");
        DeviceAgreement.assertDeviceMatchesInterpreter(List.of(a1, b2), feeds, plan, random, names::get, tape.dump());
    }
}
