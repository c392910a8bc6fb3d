package org.arcgrad.tests.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.arcgrad.autodiff.Functional;
import org.arcgrad.autodiff.Graph;
import org.arcgrad.autodiff.Interpreter;
import org.arcgrad.autodiff.GradientTable;
import org.arcgrad.autodiff.NDArray;
import org.arcgrad.autodiff.Tape;
import org.arcgrad.autodiff.Tensor;
import org.arcgrad.opencl.CompileOptions;
import org.arcgrad.opencl.Executable;
import org.arcgrad.opencl.compile.KernelPlan;
import org.arcgrad.opencl.compile.KernelSpec;
import org.arcgrad.opencl.compile.PlanChoice;
import org.arcgrad.opencl.gemm.DeviceLimits;
import org.arcgrad.opencl.runtime.DeviceType;
import org.arcgrad.tests.gradients.AllCases;
import org.arcgrad.tests.gradients.BuiltCase;
import org.arcgrad.tests.gradients.GradCase;
import org.arcgrad.tests.property.Gen;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The row kernel of the CPU plan: a reduction over the last axis and the elementwise node over the
 * same rows that reads it, in one kernel (W's norms and Ŵ; the normalization gradient's row sum and
 * its elementwise pass). Each case is held to the interpreter under both plans; on the CPU plan the
 * test also asserts which kernels the plan made, so a case that should take the row kernel cannot
 * pass by taking the two kernels it replaces, and a case it must not take (a read of another row's
 * result, a row with a scalar tail, a reader in between) cannot slip into it.
 */
class RowKernelTest {
    /** The kinds of the CPU plan's kernels, in launch order. */
    private static List<String> cpuKinds(List<Tensor> outputs) {
        return KernelPlan.of(Graph.of(outputs.toArray(new Tensor[0])), DeviceLimits.typical(DeviceType.CPU)).kernels().stream()
                .map(KernelSpec::kind).toList();
    }

    /** On the CPU plan, that its kernels are of {@code cpuKinds}; on both plans, that the outputs agree with the interpreter. */
    private static void assertKernelsAndValues(Tape tape, List<Tensor> outputs, Map<Tensor, NDArray> feeds, PlanChoice plan,
                                               List<String> cpuKinds) {
        if (plan == PlanChoice.CPU) {
            assertEquals(cpuKinds, cpuKinds(outputs));
        }
        DeviceAgreement.assertDeviceMatchesInterpreter(outputs, feeds, plan, new Random(7), k -> "output " + k, tape.dump());
    }

    /**
     * Rows normalized as a margin head normalizes W, with the gradient of a loss through them
     * (forward: sum of squares, then the division; backward: the row sum of ⟨g, ŵ⟩, then its
     * elementwise pass), at 16 lanes ([6, 32]) and at 4 ([5, 300]); and the row max subtracted
     * from its row (a softmax's first step).
     */
    @ParameterizedTest(name = "{0} plan")
    @EnumSource(value = PlanChoice.class, names = {"CPU", "GPU"})
    void normalizedRowsAndTheirGradientAgreeWithTheInterpreter(PlanChoice plan) {
        for (int[] dims : new int[][] {{6, 32}, {5, 300}}) {
            Tape tape = new Tape();
            Tensor w = tape.param("w", dims);
            Tensor g = tape.input("g", dims);
            Tensor normalized = Functional.normalize(w);
            Tensor loss = normalized.mul(g).sum();
            Tensor grad = tape.grad(loss, w)[0];
            Tensor shifted = w.sub(w.max(1, true)).exp();
            Random random = new Random(dims[1]);
            Map<Tensor, NDArray> feeds = Map.of(w, NDArray.gaussian(w.shape(), random), g, NDArray.gaussian(g.shape(), random));
            List<Tensor> outputs = List.of(normalized, grad, shifted);
            // w's norm, the gradient's row sum and the max, then the three outputs
            assertKernelsAndValues(tape, outputs, feeds, plan, List.of("row"));
        }
    }

    /**
     * A chunk's online log-sum-exp, as the chunked margin step's first pass computes it: the row
     * maximum, the running maximum (a per-row value, read by the sum of exp), the sum of exp and the
     * label's logit (two sums in one loop), then the running totals (per-row outputs). On the CPU
     * plan all of it is one row kernel; the first chunk's running maximum of −∞ included.
     */
    @ParameterizedTest(name = "{0} plan")
    @EnumSource(value = PlanChoice.class, names = {"CPU", "GPU"})
    void aRunningLogSumExpIsOneRowKernel(PlanChoice plan) {
        Tape tape = new Tape();
        Tensor logits = tape.input("logits", 6, 32);
        Tensor mask = tape.input("mask", 6, 32);
        Tensor runningMax = tape.input("runningMax", 6, 1);
        Tensor runningSum = tape.input("runningSum", 6, 1);
        Tensor runningLabel = tape.input("runningLabel", 6, 1);
        Tensor max = runningMax.maximum(logits.max(1, true));
        Tensor sum = runningSum.mul(runningMax.sub(max).exp()).add(logits.sub(max).exp().sum(1, true));
        Tensor label = runningLabel.add(logits.mul(mask).sum(1, true));
        Random random = new Random(8);
        double[] first = new double[6];
        java.util.Arrays.fill(first, 0, 3, Double.NEGATIVE_INFINITY); // rows 0-2: the first chunk
        for (int i = 3; i < 6; i++) {
            first[i] = random.nextGaussian();
        }
        double[] hot = new double[6 * 32];
        for (int i = 0; i < 6; i++) {
            hot[i * 32 + random.nextInt(32)] = 1;
        }
        Map<Tensor, NDArray> feeds = Map.of(logits, NDArray.gaussian(logits.shape(), random), mask, NDArray.of(mask.shape(), hot),
                runningMax, NDArray.of(runningMax.shape(), first), runningSum, NDArray.uniform(runningSum.shape(), 0, 2, random),
                runningLabel, NDArray.gaussian(runningLabel.shape(), random));
        List<Tensor> outputs = List.of(max, sum, label);
        assertKernelsAndValues(tape, outputs, feeds, plan, List.of("row"));
    }

    /**
     * A chunk's running log-sum-exp and a log-sum-exp of rows that could go wrong
     * ({@link RunningLogSumExpEdges}), one row kernel on the CPU plan.
     */
    @ParameterizedTest(name = "{0} plan")
    @EnumSource(value = PlanChoice.class, names = {"CPU", "GPU"})
    void aRunningLogSumExpKeepsTheGraphsEdgeValues(PlanChoice plan) {
        RunningLogSumExpEdges c = RunningLogSumExpEdges.of(new Tape(), 32, logits -> logits, Map.of(), new Random(9));
        if (plan == PlanChoice.CPU) {
            assertEquals(List.of("row"), cpuKinds(c.outputs())); // the running totals and the rows' own log-sum-exp, one kernel
        }
        c.assertDeviceAgrees(plan);
    }

    /**
     * The row's result as the elementwise pass reads it from the register keeps the reference's
     * edge cases: a NaN in the row, a row of −∞ (max −∞, and −∞ − −∞ = NaN after it), +∞, and a row
     * of zeros whose norm is zero (0/0 where the user did not guard it).
     */
    @ParameterizedTest(name = "{0} plan")
    @EnumSource(value = PlanChoice.class, names = {"CPU", "GPU"})
    void edgeValuesReachTheElementwisePass(PlanChoice plan) {
        Tape tape = new Tape();
        Tensor x = tape.input("x", 5, 16);
        double[] v = new double[5 * 16];
        java.util.Arrays.fill(v, 0.5);
        v[3] = Double.NaN;                                      // row 0
        java.util.Arrays.fill(v, 16, 32, Double.NEGATIVE_INFINITY); // row 1
        v[40] = Double.POSITIVE_INFINITY;                        // row 2
        java.util.Arrays.fill(v, 48, 64, 0.0);                  // row 3
        Map<Tensor, NDArray> feeds = Map.of(x, NDArray.of(x.shape(), v));
        List<Tensor> outputs = List.of(x.sub(x.max(1, true)), x.div(x.square().sum(1, true).sqrt()));
        assertKernelsAndValues(tape, outputs, feeds, plan, List.of("row")); // both reductions, then both outputs
    }

    /**
     * Where the row kernel must not apply, the plan keeps two kernels and the values stay right: the
     * elementwise node reads the result of another row (x + sᵀ: row i, column j reads row j's sum);
     * no vector width divides the row (35: the row kernel has no scalar tail); another kernel reads
     * the reduction between the two (a column sum of x·s, then x / s); two rows of 8 192 (a row
     * kernel would run the elementwise pass on two work-items).
     */
    @ParameterizedTest(name = "{0} plan")
    @EnumSource(value = PlanChoice.class, names = {"CPU", "GPU"})
    void whereTheRowKernelDoesNotApplyTheValuesStayRight(PlanChoice plan) {
        Tape tape = new Tape();
        Tensor x = tape.input("x", 8, 8);
        Tensor odd = tape.input("odd", 4, 35);
        Tensor wide = tape.input("wide", 2, 8192);
        Tensor s = x.sum(1, true);
        Tensor otherRows = x.add(s.transpose());
        Tensor tail = odd.div(odd.sum(1, true));
        Tensor between = x.mul(s).sum(0, true);
        Tensor after = x.div(s);
        Tensor fewLongRows = wide.sub(wide.max(1, true)).exp();
        Random random = new Random(11);
        Map<Tensor, NDArray> feeds = Map.of(x, NDArray.uniform(x.shape(), 0.5, 1, random), odd, NDArray.uniform(odd.shape(), 0.5, 1, random),
                wide, NDArray.gaussian(wide.shape(), random));
        for (List<Tensor> outputs : List.of(List.of(otherRows), List.of(tail), List.of(between, after), List.of(fewLongRows))) {
            if (plan == PlanChoice.CPU) {
                List<String> kinds = cpuKinds(outputs);
                assertFalse(kinds.contains("row"), kinds.toString());
            }
            DeviceAgreement.assertDeviceMatchesInterpreter(outputs, feeds, plan, new Random(7), k -> "output " + k, tape.dump());
        }
    }

    /**
     * {@link AllCases#wideRows()} reaches the row kernel, so that {@link
     * DevicePropertiesTest#deviceAgreesWithInterpreterOnWideRows} holds it to the interpreter among
     * everything else users write: it must appear in the CPU plans of at least one in five of 200
     * random cases (forward and backward).
     */
    @Test
    void theWideRowCasesReachTheRowKernel() {
        Random random = new Random(5);
        int reached = 0;
        for (int i = 0; i < 200; i++) {
            GradCase c = AllCases.wideRows().generate(random, 1 + i % Gen.MAX_SIZE).value();
            BuiltCase b = BuiltCase.of(c, GradientTable.STANDARD);
            reached += cpuKinds(DeviceAgreement.forwardAndBackward(b, new Random(c.seed()))).contains("row") ? 1 : 0;
        }
        assertTrue(reached >= 40, "row kernels in " + reached + " of 200 random cases");
    }
}
