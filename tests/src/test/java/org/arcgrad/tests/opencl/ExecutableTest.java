package org.arcgrad.tests.opencl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.arcgrad.autodiff.Conv2d;
import org.arcgrad.autodiff.Functional;
import org.arcgrad.autodiff.Graph;
import org.arcgrad.autodiff.Interpreter;
import org.arcgrad.autodiff.NDArray;
import org.arcgrad.autodiff.Shape;
import org.arcgrad.autodiff.Tape;
import org.arcgrad.autodiff.Tensor;
import org.arcgrad.opencl.CompileOptions;
import org.arcgrad.opencl.Executable;
import org.arcgrad.opencl.compile.KernelPlan;
import org.arcgrad.opencl.compile.PlanChoice;
import org.arcgrad.opencl.gemm.DeviceLimits;
import org.arcgrad.opencl.runtime.DeviceBuffer;
import org.arcgrad.opencl.runtime.DeviceContext;
import org.arcgrad.opencl.runtime.DeviceType;
import org.arcgrad.opencl.runtime.DeviceOutOfMemoryException;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Running compiled graphs: repeated runs, parameters kept on the device, and clear errors on bad feeds. */
class ExecutableTest {
    private final Random random = new Random(3);

    @Test
    void gradientDescentStepsStayOnTheDeviceAndMatchTheInterpreter() {
        Tape tape = new Tape();
        Tensor x = tape.input("x", 8, 5);
        Tensor w = tape.param("w", 3, 5);
        Tensor y = tape.labels("y", 8);
        Tensor loss = Functional.crossEntropy(Functional.linear(Functional.normalize(x), w).scale(4), y);
        Tensor step = w.sub(tape.grad(loss, w)[0].scale(0.5));
        NDArray xv = NDArray.gaussian(x.shape(), random);
        NDArray yv = NDArray.of(Shape.of(8), 0, 1, 2, 0, 1, 2, 0, 1);
        NDArray wv = NDArray.gaussian(w.shape(), random);

        NDArray reference = wv.copy();
        for (int i = 0; i < 5; i++) {
            reference = Interpreter.run(Map.of(x, xv, y, yv, w, reference), step)[0];
        }
        try (Executable e = Executable.compile(SharedDevice.context(), step)) {
            e.feed(x, xv).feed(y, yv).feed(w, wv).update(w, step);
            for (int i = 0; i < 5; i++) {
                e.run();
            }
            NDArray got = e.read(w);
            for (int i = 0; i < got.size(); i++) {
                assertEquals(reference.data()[i], got.data()[i], 1e-5 * (1 + Math.abs(reference.data()[i])), "w[" + i + "]");
            }
        }
    }

    @Test
    void boundBufferIsReadInPlace() {
        Tape tape = new Tape();
        Tensor p = tape.param("p", 4);
        Tensor out = p.scale(2).add(1);
        DeviceBuffer buffer = SharedDevice.context().upload("p", new float[] {1, 2, 3, 4});
        try (Executable e = Executable.compile(SharedDevice.context(), out)) {
            e.bind(p, buffer).run();
            assertArrayEquals(new double[] {3, 5, 7, 9}, e.read(out).data(), 0);
            buffer.upload(new float[] {0, 0, 0, 1});
            e.run();
            assertArrayEquals(new double[] {1, 1, 1, 3}, e.read(out).data(), 0);
        } finally {
            buffer.release();
        }
    }

    @Test
    void badFeedsAreRefusedByName() {
        Tape tape = new Tape();
        Tensor x = tape.input("x", 2, 3);
        Tensor y = tape.labels("y", 2);
        Tensor out = Functional.gather(x, y);
        try (Executable e = Executable.compile(SharedDevice.context(), out)) {
            IllegalArgumentException wrongLength = assertThrows(IllegalArgumentException.class, () -> e.feed(x, new float[5]));
            assertTrue(wrongLength.getMessage().contains("\"x\" needs 6 values, got 5"), wrongLength.getMessage());
            IllegalArgumentException badLabel = assertThrows(IllegalArgumentException.class, () -> e.feed(y, new int[] {0, 3}));
            assertTrue(badLabel.getMessage().contains("label 3 at index 1 is outside [0, 3)"), badLabel.getMessage());
            IllegalArgumentException wrongType = assertThrows(IllegalArgumentException.class, () -> e.feed(y, new float[2]));
            assertTrue(wrongType.getMessage().contains("holds int values, got float"), wrongType.getMessage());
            IllegalStateException unfed = assertThrows(IllegalStateException.class, e::run);
            assertTrue(unfed.getMessage().contains("no value fed for"), unfed.getMessage());
            e.feed(x, new float[] {1, 2, 3, 4, 5, 6}).feed(y, new int[] {2, 0});
            e.run();
            assertArrayEquals(new double[] {3, 4}, e.read(out).data(), 0);
        }
    }

    @Test
    void deadIntermediatesShareBuffers() {
        Tape tape = new Tape();
        Tensor x = tape.input("x", 64, 64);
        Tensor t = x;
        for (int i = 0; i < 6; i++) {
            t = t.matmul(x).scale(0.01); // each product is materialized, then dead after the next
        }
        try (Executable e = Executable.compile(SharedDevice.context(), t)) {
            long oneMatrix = 4L * 64 * 64;
            assertTrue(e.intermediateBytes() <= 3 * oneMatrix, "intermediates use " + e.intermediateBytes() + " bytes");
            Map<Tensor, NDArray> feeds = new HashMap<>();
            feeds.put(x, NDArray.uniform(x.shape(), -1, 1, random));
            NDArray want = Interpreter.run(feeds, t)[0];
            NDArray got = e.run(feeds)[0];
            for (int i = 0; i < want.size(); i++) {
                assertEquals(want.data()[i], got.data()[i], 1e-5 * (1e-6 + Math.abs(want.data()[i])) + 1e-12, "element " + i);
            }
        }
    }

    /**
     * Backward of two 3×3 convolutions keeps their images, not their patch matrices (9 times as
     * large): each weight gradient reads its patches recorded again (MATMUL's gradient rule), and the
     * planner fits them into one slot, so the step's intermediates stay under two patch matrices
     * (2.3 with the forward's patches kept); values and gradients still agree with the interpreter.
     */
    @Test
    void convolutionBackwardKeepsImagesNotPatchMatrices() {
        Tape tape = new Tape();
        Tensor x = tape.input("x", 8, 4, 12, 12);
        Tensor w1 = tape.param("w1", 4, 4, 3, 3);
        Tensor w2 = tape.param("w2", 4, 4, 3, 3);
        Tensor h = Functional.relu(x.conv2d(w1, Conv2d.of(1, 1, 1, 1)));
        Tensor loss = h.conv2d(w2, Conv2d.of(1, 1, 1, 1)).square().mean();
        Tensor[] g = tape.grad(loss, w1, w2);
        Map<Tensor, NDArray> feeds = new HashMap<>();
        feeds.put(x, NDArray.uniform(x.shape(), -1, 1, random));
        feeds.put(w1, NDArray.uniform(w1.shape(), -0.3, 0.3, random));
        feeds.put(w2, NDArray.uniform(w2.shape(), -0.3, 0.3, random));
        long patches = 4L * (4 * 9) * (8 * 12 * 12);
        DeviceAgreement.assertAgrees(List.of(loss, g[0], g[1]), feeds, random, k -> "output " + k, tape.dump(), outs -> {
            Executable e = Executable.compile(SharedDevice.context(), outs);
            long intermediates = e.intermediateBytes();
            if (intermediates >= 2 * patches) {
                e.close();
                throw new AssertionError("intermediates " + intermediates + " bytes, a patch matrix " + patches);
            }
            return e;
        });
    }

    /**
     * The new value of a parameter may be computed into a slot that a larger, dead intermediate
     * used earlier in the run; the buffer swap after the run must not hand the parameter's smaller
     * buffer to that intermediate's kernel (it wrote past the end, corrupting the heap).
     */
    @Test
    void updatedParameterNeverSharesASlotWithLargerIntermediates() {
        Tape tape = new Tape();
        Tensor x = tape.input("x", 64, 64);
        Tensor p = tape.param("p", 64);
        Tensor rowSums = x.matmul(x).scale(0.001).sum(1, false); // the 64×64 product dies here
        Tensor next = p.scale(0.5).add(rowSums);
        NDArray xv = NDArray.uniform(x.shape(), -1, 1, random);
        NDArray pv = NDArray.uniform(p.shape(), -1, 1, random);
        NDArray reference = pv.copy();
        for (int i = 0; i < 4; i++) {
            reference = Interpreter.run(Map.of(x, xv, p, reference), next)[0];
        }
        try (Executable e = Executable.compile(SharedDevice.context(), next)) {
            e.feed(x, xv).feed(p, pv).update(p, next);
            for (int i = 0; i < 4; i++) {
                e.run();
            }
            assertEquals(64, e.buffer(p).elements());
            NDArray got = e.read(p);
            for (int i = 0; i < got.size(); i++) {
                assertEquals(reference.data()[i], got.data()[i], 1e-5 * (1 + Math.abs(reference.data()[i])), "p[" + i + "]");
            }
        }
    }

    /**
     * An output written into the caller's buffer (a view of a larger one): the kernels that read it
     * read it there, nothing else lands in it although its slot was shared with a larger
     * intermediate, and the next call moves it; wrong sizes and non-outputs are refused.
     */
    @Test
    void anOutputIsWrittenStraightIntoTheCallersBuffer() {
        Tape tape = new Tape();
        Tensor x = tape.input("x", 32, 32);
        Tensor r = tape.input("r", 1, 32);
        Tensor product = x.matmul(x).scale(0.001).sum(1, true).matmul(r); // [32, 32], where x·x may have been
        Tensor total = product.sum(1, true);
        NDArray xv = NDArray.uniform(x.shape(), -1, 1, random);
        NDArray rv = NDArray.uniform(r.shape(), -1, 1, random);
        NDArray[] reference = Interpreter.run(Map.of(x, xv, r, rv), product, total);
        DeviceBuffer whole = SharedDevice.context().upload("host", new float[3 * 1024]);
        try (Executable e = Executable.compile(SharedDevice.context(), product, total)) {
            e.feed(x, xv).feed(r, rv);
            for (int at : new int[] {1024, 2048}) {
                DeviceBuffer place = whole.view("place at " + at, at, 1024).orElseThrow();
                e.writeOutputTo(product, place).run();
                float[] all = whole.downloadFloats();
                for (int i = 0; i < 1024; i++) {
                    assertEquals(reference[0].data()[i], all[at + i], 1e-5 * (1 + Math.abs(reference[0].data()[i])), "product[" + i + "]");
                }
                NDArray got = e.read(total);
                for (int i = 0; i < got.size(); i++) {
                    assertEquals(reference[1].data()[i], got.data()[i], 1e-4 * (1 + Math.abs(reference[1].data()[i])), "total[" + i + "]");
                }
                assertEquals(0f, all[0], "nothing else lands in the caller's buffer");
                assertTrue(e.buffer(product).sharesMemoryWith(whole));
            }
            assertThrows(IllegalArgumentException.class, () -> e.writeOutputTo(product, whole));
            assertThrows(IllegalArgumentException.class, () -> e.writeOutputTo(x, whole.view("x", 0, 1024).orElseThrow()));
            Tensor param = tape.param("p", 32, 32);
            var refused = assertThrows(IllegalArgumentException.class, () -> e.update(param, product));
            assertTrue(refused.getMessage().contains("written into a caller's buffer"), refused.getMessage());
        } finally {
            whole.release();
        }
    }

    @Test
    void twoParametersCannotTakeOneOutput() {
        Tape tape = new Tape();
        Tensor a = tape.param("a", 3);
        Tensor b = tape.param("b", 3);
        Tensor sum = a.add(b);
        try (Executable e = Executable.compile(SharedDevice.context(), sum)) {
            e.update(a, sum);
            IllegalArgumentException twice = assertThrows(IllegalArgumentException.class, () -> e.update(b, sum));
            assertTrue(twice.getMessage().contains("cannot share one output"), twice.getMessage());
        }
    }

    /** Kernel arguments are set again only when a source's buffer changed; a rebind must still be seen. */
    @Test
    void rebindingASourceBetweenRunsIsSeen() {
        Tape tape = new Tape();
        Tensor p = tape.param("p", 3);
        Tensor out = p.scale(2);
        DeviceBuffer first = SharedDevice.context().upload("first", new float[] {1, 2, 3});
        DeviceBuffer second = SharedDevice.context().upload("second", new float[] {10, 20, 30});
        try (Executable e = Executable.compile(SharedDevice.context(), out)) {
            e.bind(p, first).run();
            assertArrayEquals(new double[] {2, 4, 6}, e.read(out).data(), 0);
            e.bind(p, second).run();
            assertArrayEquals(new double[] {20, 40, 60}, e.read(out).data(), 0);
            e.feed(p, new float[] {-1, -2, -3}).run();
            assertArrayEquals(new double[] {-2, -4, -6}, e.read(out).data(), 0);
        } finally {
            first.release();
            second.release();
        }
    }

    @Test
    void deviceOutOfMemoryNamesTheBufferAndItsSize() {
        long maxAlloc = SharedDevice.context().device().info().maxAllocBytes();
        // a square product just over the device's largest allocation, if 32-bit indexing can express one
        int n = (int) Math.ceil(Math.sqrt(maxAlloc / 4.0)) + 1;
        Assumptions.assumeTrue((long) n * n < Integer.MAX_VALUE, "this device allocates more than an int-indexed tensor holds");
        Tape tape = new Tape();
        Tensor a = tape.input("a", n, 1);
        Tensor b = tape.input("b", 1, n);
        Tensor huge = a.matmul(b);
        long before = SharedDevice.context().allocatedBytes();
        DeviceOutOfMemoryException e = assertThrows(DeviceOutOfMemoryException.class,
                () -> Executable.compile(SharedDevice.context(), huge.sum()));
        assertTrue(e.getMessage().contains("matmul [" + n + ", " + n + "]"), e.getMessage());
        assertTrue(e.getMessage().contains("MiB"), e.getMessage());
        assertEquals(before, SharedDevice.context().allocatedBytes(), "a failed compile gives its buffers back");
    }

    /** A profiled run times every kernel, in launch order, and computes what a plain run does. */
    @Test
    void profiledRunTimesEveryKernelAndComputesTheSame() {
        Tape tape = new Tape();
        Tensor x = tape.input("x", 16, 8);
        Tensor w = tape.param("w", 4, 8);
        Tensor y = Functional.linear(x, w).exp().sum(1, false);
        NDArray xv = NDArray.uniform(x.shape(), -1, 1, random);
        NDArray wv = NDArray.uniform(w.shape(), -1, 1, random);
        try (Executable e = Executable.compile(SharedDevice.context(), y)) {
            e.feed(x, xv).feed(w, wv).run();
            NDArray plain = e.read(y);
            List<Executable.KernelTiming> timings = e.runProfiled();
            assertEquals(e.plan().kernels().size(), timings.size());
            for (int i = 0; i < timings.size(); i++) {
                assertEquals(e.plan().kernels().get(i).name(), timings.get(i).name());
                assertTrue(timings.get(i).nanos() >= 0, timings.get(i).toString());
            }
            assertArrayEquals(plain.data(), e.read(y).data(), 0);
        }
    }

    /**
     * The CPU forms of the compiler: elementwise kernels on a 2-D range (rank 3 here, with
     * operands broadcast along rows and along the leading axis), column sums in lockstep with a
     * padded last group (100 outputs in groups of 64), and an NN product with a short K (the
     * direct form), all against the interpreter.
     */
    @Test
    void twoDimensionalElementwiseLockstepReductionsAndShortKProductsAgree() {
        Tape tape = new Tape();
        Tensor x = tape.input("x", 3, 5, 40);
        Tensor row = tape.input("row", 40);
        Tensor plane = tape.input("plane", 5, 1);
        Tensor elementwise = x.mul(row).add(plane).exp();
        Tensor m = tape.input("m", 37, 100);
        Tensor columnSums = m.sub(m.mean(0, true)).square().sum(0, false);
        Tensor a = tape.input("a", 20, 300);
        Tensor b = tape.input("b", 300, 24);
        Tensor product = a.matmul(b);
        Map<Tensor, NDArray> feeds = new HashMap<>();
        for (Tensor t : List.of(x, row, plane, m, a, b)) {
            feeds.put(t, NDArray.uniform(t.shape(), -1, 1, random));
        }
        NDArray[] want = Interpreter.run(feeds, elementwise, columnSums, product);
        try (Executable e = Executable.compile(SharedDevice.context(), elementwise, columnSums, product)) {
            NDArray[] got = e.run(feeds);
            for (int k = 0; k < want.length; k++) {
                for (int i = 0; i < want[k].size(); i++) {
                    assertEquals(want[k].data()[i], got[k].data()[i], 1e-5 * (1 + Math.abs(want[k].data()[i])), "output " + k + " element " + i);
                }
            }
        }
    }

    /**
     * Grouped kernels: elementwise outputs of one shape that only each other read run as one
     * kernel with several outputs (one uses another inline), and so do sibling column sums; the
     * plan says so, the values match the interpreter, and parameters updated from a group's
     * outputs swap correctly run after run (an SGD-with-momentum step of two parameters).
     */
    @Test
    void groupedOutputsAndSiblingSumsAgreeAndUpdate() {
        Tape tape = new Tape();
        Tensor x = tape.input("x", 16, 40);
        Tensor w = tape.param("w", 40);
        Tensor buf = tape.param("buf", 40);
        Tensor b = tape.param("b", 40);
        Tensor g = x.mul(w).add(b).square().sum(0, false); // gradient-like [40] vector from a column sum
        Tensor sibling = x.mul(b).sum(0, false);           // another column sum of x: same kernel as g's
        Tensor bufNext = buf.scale(0.9).add(g);
        Tensor wNext = w.sub(bufNext.scale(0.01));          // reads bufNext: computed inline within the group
        Tensor bNext = b.sub(sibling.scale(0.001));
        KernelPlan plan = KernelPlan.of(org.arcgrad.autodiff.Graph.of(bufNext, wNext, bNext));
        assertTrue(plan.kernels().stream().anyMatch(k -> k.outputs().size() == 3), plan.summary());
        assertTrue(plan.kernels().stream().anyMatch(k -> k.kind().equals("reduce") && k.outputs().size() == 2), plan.summary());

        NDArray xv = NDArray.uniform(x.shape(), -1, 1, random);
        Map<Tensor, NDArray> state = new HashMap<>(Map.of(w, NDArray.uniform(w.shape(), -1, 1, random),
                buf, NDArray.uniform(buf.shape(), -1, 1, random), b, NDArray.uniform(b.shape(), -1, 1, random)));
        try (Executable e = Executable.compile(SharedDevice.context(), bufNext, wNext, bNext)) {
            e.feed(x, xv).feed(w, state.get(w)).feed(buf, state.get(buf)).feed(b, state.get(b))
                    .update(buf, bufNext).update(w, wNext).update(b, bNext);
            for (int step = 0; step < 3; step++) {
                Map<Tensor, NDArray> feeds = new HashMap<>(state);
                feeds.put(x, xv);
                NDArray[] next = Interpreter.run(feeds, bufNext, wNext, bNext);
                state.put(buf, next[0]);
                state.put(w, next[1]);
                state.put(b, next[2]);
                e.run();
            }
            for (Tensor p : List.of(w, buf, b)) {
                NDArray got = e.read(p);
                for (int i = 0; i < got.size(); i++) {
                    assertEquals(state.get(p).data()[i], got.data()[i], 1e-4 * (1 + Math.abs(state.get(p).data()[i])), p.name() + "[" + i + "]");
                }
            }
        }
    }

    /**
     * Sibling sums that tape order keeps apart: the first is read (by a kernel after it) before the
     * second appears, and the second reads a row maximum computed between them. They still share a
     * kernel, launched after the maximum and before the first sum's reader, and every value
     * matches the interpreter under both plans.
     */
    @Test
    void siblingSumsApartInTapeOrderShareAKernelLaunchedWhereBothCan() {
        for (PlanChoice plan : List.of(PlanChoice.CPU, PlanChoice.GPU)) {
            Tape tape = new Tape();
            Tensor x = tape.input("x", 16, 40);
            Tensor first = x.sum(0, false);                     // column sums of x
            Tensor rowMax = x.max(1, true);                     // another kernel, after the first sum
            Tensor firstRead = first.square().sum();            // reads the first sum: the group must launch before it
            Tensor second = x.sub(rowMax).exp().sum(0, false);  // a column sum of x that reads the row maximum
            Tensor out = firstRead.add(second.sum());
            KernelPlan kernels = KernelPlan.of(org.arcgrad.autodiff.Graph.of(out, first));
            List<Tensor> both = List.of(KernelPlan.storage(first), KernelPlan.storage(second)); // the [1, 40] sums under the reshapes
            assertTrue(kernels.kernels().stream().anyMatch(k -> k.outputs().containsAll(both)), kernels.summary());
            NDArray xv = NDArray.uniform(x.shape(), -1, 1, random);
            DeviceAgreement.assertDeviceMatchesInterpreter(List.of(out, first), new HashMap<>(Map.of(x, xv)), plan, random,
                    k -> plan + " plan, output " + k, tape.dump());
        }
    }

    @Test
    void onACpuDeviceTheGpuPlansProgramIsBuiltWithoutOptimisationAndTheCpuPlansAsTheDriverBuildsIt() {
        DeviceContext context = SharedDevice.context();
        Assumptions.assumeTrue(context.device().info().type() == DeviceType.CPU, "a CPU device");
        Tape t = new Tape();
        Tensor x = t.param("x", 3, 7);
        Tensor out = x.mul(x).sum(1, true).sqrt().add(x.exp().sum());
        DeviceLimits limits = DeviceLimits.of(context.device().info());
        for (PlanChoice plan : new PlanChoice[] {PlanChoice.GPU, PlanChoice.CPU}) {
            String options = plan == PlanChoice.GPU ? "-cl-opt-disable" : "";
            try (Executable e = Executable.compile(context, CompileOptions.defaults().withPlan(plan), out)) {
                String source = KernelPlan.of(Graph.of(out), plan.apply(limits)).source();
                int compiles = context.programCache().stats().compiles();
                assertEquals(options, context.build(source, options).options(), plan + " plan");
                assertEquals(compiles, context.programCache().stats().compiles(),
                        plan + " plan: the executable's program is the one built with '" + options + "', so this build is a cache hit");
            }
        }
    }
}
