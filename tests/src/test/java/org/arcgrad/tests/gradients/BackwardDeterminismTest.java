package org.arcgrad.tests.gradients;

import java.util.HashMap;
import java.util.Map;
import org.arcgrad.autodiff.GradientTable;
import org.arcgrad.autodiff.Interpreter;
import org.arcgrad.autodiff.NDArray;
import org.arcgrad.autodiff.Tensor;
import org.arcgrad.tests.property.Property;
import org.junit.jupiter.api.Test;

/**
 * Backward is a pure function of the tape: the same gradient graph evaluated twice, and the
 * gradients of the same loss taken twice, give bit-identical values (no dependence on hash order,
 * on state left by an earlier pass, or on which constants were already cached on the tape).
 */
class BackwardDeterminismTest {
    @Test
    void evaluatingTheGradientGraphTwiceGivesIdenticalBits() {
        Property.forAll("backward evaluated twice: identical bits", AllCases.any(), c -> {
            Probe p = Probe.of(c);
            assertSameBits(p.analytic(), p.analytic(), "second evaluation", p.dump());
        });
    }

    @Test
    void takingTheGradientTwiceGivesTheSameGraphAndIdenticalBits() {
        Property.forAll("tape.grad twice on one loss: same graph, identical bits", AllCases.any(), c -> {
            BuiltCase b = BuiltCase.of(c, GradientTable.STANDARD);
            Tensor loss = b.dot("cotangent", NDArray.gaussian(b.out().shape(), new java.util.Random(c.seed())));
            Tensor[] first = b.tape().grad(loss, b.args());
            Tensor[] second = b.tape().grad(loss, b.args());
            Map<String, Integer> interned = new HashMap<>();
            Map<Tensor, Integer> memo = new HashMap<>();
            for (int i = 0; i < first.length; i++) {
                if (canonical(first[i], interned, memo) != canonical(second[i], interned, memo)) {
                    throw new AssertionError("the second grad() built a different graph for arg" + i + "\n" + b.tape().dump());
                }
            }
            assertSameBits(Interpreter.run(b.feeds(), first), Interpreter.run(b.feeds(), second), "second grad()", b.tape().dump());
        });
    }

    /**
     * A number that two nodes share exactly when they compute the same thing (same op, shape,
     * attributes and canonical inputs): hash-consing, so the comparison is linear in the graph.
     */
    private static int canonical(Tensor t, Map<String, Integer> interned, Map<Tensor, Integer> memo) {
        Integer known = memo.get(t);
        if (known != null) {
            return known;
        }
        StringBuilder key = new StringBuilder(t.op().name()).append(t.shape()).append(t.attrs()).append(t.dtype());
        if (t.arity() == 0) {
            key.append('#').append(t.name() != null ? t.name() : "");
        }
        for (int k = 0; k < t.arity(); k++) {
            key.append(',').append(canonical(t.input(k), interned, memo));
        }
        int id = interned.computeIfAbsent(key.toString(), s -> interned.size());
        memo.put(t, id);
        return id;
    }

    private static void assertSameBits(NDArray[] a, NDArray[] b, String what, String dump) {
        for (int i = 0; i < a.length; i++) {
            double[] x = a[i].data();
            double[] y = b[i].data();
            for (int j = 0; j < x.length; j++) {
                if (Double.doubleToRawLongBits(x[j]) != Double.doubleToRawLongBits(y[j])) {
                    throw new AssertionError(what + " differs at arg" + i + "[" + j + "]: " + x[j] + " vs " + y[j] + "\n" + dump);
                }
            }
        }
    }
}
