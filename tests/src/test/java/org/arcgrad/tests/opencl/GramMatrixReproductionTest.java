package org.arcgrad.tests.opencl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Map;
import org.arcgrad.autodiff.Interpreter;
import org.arcgrad.autodiff.NDArray;
import org.arcgrad.autodiff.Shape;
import org.arcgrad.autodiff.Tape;
import org.arcgrad.autodiff.Tensor;
import org.arcgrad.opencl.CompileOptions;
import org.arcgrad.opencl.Executable;
import org.arcgrad.opencl.compile.PlanChoice;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The reproduction of the buffer-aliasing fault: a Gram matrix e·eᵀ (its GEMM reads e's buffer
 * twice, which freed e's slot twice) followed by two row maxima, which then shared one buffer, so
 * that the device returned lo for both hi and lo. The interpreter's values, and now the device's:
 * hi = [1265.13, 25410.85], lo = [−62.99, −1265.13].
 */
public class GramMatrixReproductionTest {
    /** The reproduction's graph: a = [2, 3], e = exp(a), g = e·eᵀ, hi = max(g, 1), lo = max(−g, 1). */
    public record Graph(Tensor a, Tensor hi, Tensor lo) {
    }

    public static Graph graph() {
        Tape tape = new Tape();
        Tensor a = tape.input("a", 2, 3);
        Tensor e = a.exp();
        Tensor g = e.matmul(e.transpose());
        return new Graph(a, g.max(1, false), g.neg().max(1, false));
    }

    @ParameterizedTest(name = "{0} plan")
    @EnumSource(value = PlanChoice.class, names = {"CPU", "GPU"})
    void gramMatrixRowMaximaAreRightOnTheDevice(PlanChoice plan) {
        Graph g = graph();
        Map<Tensor, NDArray> feeds = Map.of(g.a(), NDArray.of(Shape.of(2, 3), 0, 1, 2, 3, 4, 5));
        NDArray[] ref = Interpreter.run(feeds, g.hi(), g.lo());
        assertArrayEquals(new double[] {1265.13, 25410.85}, ref[0].data(), 0.01);
        assertArrayEquals(new double[] {-62.99, -1265.13}, ref[1].data(), 0.01);
        try (Executable e = Executable.compile(SharedDevice.context(), CompileOptions.defaults().withPlan(plan), g.hi(), g.lo())) {
            NDArray[] dev = e.run(feeds);
            assertArrayEquals(ref[0].data(), dev[0].data(), 1e-5 * 25410.85, "hi");
            assertArrayEquals(ref[1].data(), dev[1].data(), 1e-5 * 1265.13, "lo");
        }
    }
}
