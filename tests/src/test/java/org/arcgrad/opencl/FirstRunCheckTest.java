package org.arcgrad.opencl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.arcgrad.autodiff.Interpreter;
import org.arcgrad.autodiff.NDArray;
import org.arcgrad.autodiff.Shape;
import org.arcgrad.autodiff.Tape;
import org.arcgrad.autodiff.Tensor;
import org.arcgrad.opencl.compile.BufferAssignment;
import org.arcgrad.opencl.compile.KernelPlan;
import org.arcgrad.opencl.compile.KernelSpec;
import org.arcgrad.opencl.compile.PlanChoice;
import org.arcgrad.tests.opencl.GramMatrixReproductionTest;
import org.arcgrad.tests.opencl.SharedDevice;
import org.junit.jupiter.api.Test;

/**
 * {@code ARCGRAD_VERIFY} ({@link CompileOptions#verify()}): a first run that the fp64 interpreter
 * confirms passes silently; a planted faulty kernel fails the first run naming the first node
 * that disagrees and the kernel that computed it; a planted faulty buffer plan is blamed on the
 * reuse of buffers; the check reads outputs before updates swap them into parameters.
 */
class FirstRunCheckTest {
    private static final CompileOptions VERIFY = CompileOptions.defaults().withVerify(true);

    /** x [4, 8] → s = Σ exp(x) along rows (kernel 0, a reduction) → log(s)·3 and max(s). */
    private record Sums(Tensor x, Tensor s, Tensor scaledLog, Tensor top) {
        static Sums build() {
            Tape tape = new Tape();
            Tensor x = tape.input("x", 4, 8);
            Tensor s = x.exp().sum(1, false);
            return new Sums(x, s, s.log().scale(3), s.max(0, false));
        }

        Map<Tensor, NDArray> feeds() {
            double[] v = new double[32];
            for (int i = 0; i < v.length; i++) {
                v[i] = Math.sin(i) / 2;
            }
            return Map.of(x, NDArray.of(Shape.of(4, 8), v));
        }
    }

    @Test
    void aRightFirstRunPassesAndLaterRunsGiveTheSameValues() {
        Sums g = Sums.build();
        NDArray[] ref = Interpreter.run(g.feeds(), g.scaledLog(), g.top());
        try (Executable e = Executable.compile(SharedDevice.context(), VERIFY, g.scaledLog(), g.top())) {
            for (int run = 0; run < 2; run++) {
                NDArray[] dev = e.run(g.feeds());
                assertArrayEquals(ref[0].data(), dev[0].data(), 1e-5);
                assertArrayEquals(ref[1].data(), dev[1].data(), 1e-4);
            }
        }
    }

    @Test
    void aFaultyKernelFailsTheFirstRunNamingTheFirstWrongNodeAndItsKernel() {
        Sums g = Sums.build();
        KernelPlan plan = Executable.planFor(SharedDevice.context(), PlanChoice.AUTO, g.scaledLog(), g.top());
        KernelSpec sum = plan.kernels().get(0);
        assertTrue(sum.outputs().contains(g.s().input(0)) || sum.outputs().contains(KernelPlan.storage(g.s())), plan.summary());
        String faulty = sum.source().replaceFirst("out0\\[(\\w+)\\] = ", "out0[$1] = 1.01f * "); // whatever the reduction's form
        assertTrue(!faulty.equals(sum.source()), sum.source());
        KernelPlan planted = plan.withKernel(0, new KernelSpec(sum.name(), sum.kind(), faulty, sum.outputs(), sum.args(),
                sum.global(), sum.local(), sum.standalone()));
        try (Executable e = Executable.compile(SharedDevice.context(), planted, true, BufferAssignment::of, true)) {
            DeviceDisagreementException d = assertThrows(DeviceDisagreementException.class, () -> e.run(g.feeds()));
            String m = d.getMessage();
            assertTrue(m.startsWith("ARCGRAD_VERIFY: the OpenCL device disagrees with the fp64 interpreter"), m);
            assertTrue(m.contains("first output that disagrees: output 0, %" + g.scaledLog().id() + " "), m);
            assertTrue(m.contains("first node that disagrees (every value in a buffer of its own): "
                    + sum.outputs().get(0).describe() + " at element 0 [0, 0]"), m);
            assertTrue(m.contains("computed by kernel " + sum.name() + " [reduce]:\n" + faulty), m);
        }
    }

    @Test
    void aFaultyBufferPlanIsBlamedOnTheReuseOfBuffers() {
        GramMatrixReproductionTest.Graph g = GramMatrixReproductionTest.graph();
        KernelPlan plan = Executable.planFor(SharedDevice.context(), PlanChoice.AUTO, g.hi(), g.lo());
        try (Executable e = Executable.compile(SharedDevice.context(), plan, true, new DoubleFreePlanner(), false)) {
            DeviceDisagreementException d = assertThrows(DeviceDisagreementException.class,
                    () -> e.run(Map.of(g.a(), NDArray.of(Shape.of(2, 3), 0, 1, 2, 3, 4, 5))));
            assertTrue(d.getMessage().contains("first output that disagrees: output 0, %" + g.hi().id() + " "), d.getMessage());
            assertTrue(d.getMessage().contains("with every value in a buffer of its own, every node agrees: the reuse of buffers"),
                    d.getMessage());
        }
    }

    @Test
    void theCheckReadsOutputsBeforeUpdatesSwapThemIntoParameters() {
        Tape tape = new Tape();
        Tensor p = tape.param("p", 3);
        Tensor next = p.scale(0.5).add(1);
        try (Executable e = Executable.compile(SharedDevice.context(), VERIFY, next)) {
            e.update(p, next);
            e.feed(p, new float[] {2, 4, 6});
            e.run(); // after the swap, next's slot holds the old p: a check there would fail
            assertArrayEquals(new double[] {2, 3, 4}, e.read(p).data());
            e.run();
            assertArrayEquals(new double[] {2, 2.5, 3}, e.read(p).data());
        }
    }
}
