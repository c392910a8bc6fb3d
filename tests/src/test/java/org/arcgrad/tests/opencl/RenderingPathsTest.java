package org.arcgrad.tests.opencl;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Stream;
import org.arcgrad.autodiff.Functional;
import org.arcgrad.autodiff.Graph;
import org.arcgrad.autodiff.NDArray;
import org.arcgrad.autodiff.Shape;
import org.arcgrad.autodiff.Tape;
import org.arcgrad.autodiff.Tensor;
import org.arcgrad.opencl.compile.KernelPlan;
import org.arcgrad.opencl.compile.PlanChoice;
import org.arcgrad.opencl.gemm.DeviceLimits;
import org.arcgrad.opencl.runtime.DeviceType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every elementwise rendering through every kernel form that reads it, under both plans: each op
 * (each special power and each kind of clamp among them) over a [5, 16] matrix as a 2-D
 * elementwise kernel (CPU plan: sixteen lanes along the row), over a [5, 15] matrix (no width
 * divides 15: one element a work-item on both plans) and over a flat [80] vector (CPU plan:
 * sixteen lanes of the flat index), inside a sum over columns (on the CPU plan: sixteen lanes at a time), inside
 * a sum along rows (CPU plan: lanes along the row), over a transposed read (strided across lanes: the scalar form on both plans), inside a max over rows
 * of 300 (CPU plan: four lanes along the row; GPU plan: a work-group reduction) and of 301 (CPU
 * plan: sixteen lanes and a scalar tail of thirteen; GPU plan: a work-group reduction), and inside
 * sums along rows of 15 (one work-item per row); and
 * one-hot masks inside a column sum (lanes of consecutive classes). The random
 * graphs reach these paths by chance; this reaches each on purpose, on values in every op's domain.
 */
class RenderingPathsTest {
    static Stream<Arguments> ops() {
        List<Object[]> ops = new ArrayList<>();
        ops.add(new Object[] {"neg", (Function<Tensor, Tensor>) Tensor::neg});
        ops.add(new Object[] {"exp", (Function<Tensor, Tensor>) Tensor::exp});
        ops.add(new Object[] {"log", (Function<Tensor, Tensor>) Tensor::log});
        ops.add(new Object[] {"sqrt", (Function<Tensor, Tensor>) Tensor::sqrt});
        ops.add(new Object[] {"cos", (Function<Tensor, Tensor>) Tensor::cos});
        ops.add(new Object[] {"sin", (Function<Tensor, Tensor>) Tensor::sin});
        ops.add(new Object[] {"acos", (Function<Tensor, Tensor>) Tensor::acos});
        ops.add(new Object[] {"scale", (Function<Tensor, Tensor>) x -> x.scale(-2.5)});
        for (double p : new double[] {2, 0.5, -0.5, -1.5, 1.5, -1, 3, -2, 2.5}) {
            ops.add(new Object[] {"pow " + p, (Function<Tensor, Tensor>) x -> x.pow(p)});
        }
        ops.add(new Object[] {"clamp both", (Function<Tensor, Tensor>) x -> x.clamp(0.3, 0.7)});
        ops.add(new Object[] {"clamp below", (Function<Tensor, Tensor>) x -> x.clamp(0.4, Double.POSITIVE_INFINITY)});
        ops.add(new Object[] {"clamp above", (Function<Tensor, Tensor>) x -> x.clamp(Double.NEGATIVE_INFINITY, 0.6)});
        ops.add(new Object[] {"where of comparisons", (Function<Tensor, Tensor>) x ->
                Functional.where(x.gt(0.5), x.lt(0.7), x.ge(0.3).add(x.le(0.4)).add(x.eq(0.5)))});
        ops.add(new Object[] {"div and sub", (Function<Tensor, Tensor>) x -> x.div(x.add(1)).sub(x.mul(x))});
        ops.add(new Object[] {"relu of a difference", (Function<Tensor, Tensor>) x -> Functional.relu(x.sub(0.5))});
        return ops.stream().flatMap(o -> Stream.of(PlanChoice.CPU, PlanChoice.GPU).map(p -> Arguments.of(o[0], o[1], p)));
    }

    @ParameterizedTest(name = "{0}, {2} plan")
    @MethodSource("ops")
    void everyKernelFormAgreesWithTheInterpreter(String name, Function<Tensor, Tensor> f, PlanChoice plan) {
        Tape tape = new Tape();
        Tensor x = tape.input("x", 5, 16);
        Tensor t = tape.input("t", 16, 5);
        Tensor l = tape.input("l", 2, 300);
        Tensor odd = tape.input("odd", 2, 301);
        Tensor narrow = tape.input("narrow", 5, 15);
        List<Tensor> outputs = List.of(f.apply(x), f.apply(x).sum(0, false), f.apply(x).sum(1, false), f.apply(t.transpose()),
                f.apply(l).max(1, false), f.apply(odd).max(1, false), f.apply(narrow).sum(1, false), f.apply(narrow),
                f.apply(x.reshape(80)));
        List<String> names = List.of("elementwise", "column sums", "row sums", "of a transposed read", "long-row max",
                "long-row max of odd length", "row sums of odd length", "elementwise of odd width", "flat elementwise");
        Random random = new Random(name.hashCode());
        Map<Tensor, NDArray> feeds = Map.of(x, NDArray.uniform(x.shape(), 0.2, 0.9, random), t, NDArray.uniform(t.shape(), 0.2, 0.9, random),
                l, NDArray.uniform(l.shape(), 0.2, 0.9, random), odd, NDArray.uniform(odd.shape(), 0.2, 0.9, random),
                narrow, NDArray.uniform(narrow.shape(), 0.2, 0.9, random));
        DeviceAgreement.assertDeviceMatchesInterpreter(outputs, feeds, plan, random, k -> name + ", " + names.get(k), tape.dump());
    }

    @ParameterizedTest(name = "{0} plan")
    @EnumSource(value = PlanChoice.class, names = {"CPU", "GPU"})
    void oneHotMasksInsideColumnSums(PlanChoice plan) {
        Tape tape = new Tape();
        Tensor x = tape.input("x", 5, 16);
        Tensor y = tape.labels("y", 5);
        Tensor masked = x.mul(Functional.oneHot(y, 16));
        List<Tensor> outputs = List.of(masked.sum(0, false), Functional.oneHot(y, 16).sum(0, false), masked.sum(1, false));
        Random random = new Random(4);
        Map<Tensor, NDArray> feeds = Map.of(x, NDArray.uniform(x.shape(), -1, 1, random), y, NDArray.of(Shape.of(5), 0, 15, 3, 3, 7));
        DeviceAgreement.assertDeviceMatchesInterpreter(outputs, feeds, plan, random, k -> "one-hot output " + k, tape.dump());
    }

    /**
     * Row maxima and sums with lanes along the row (CPU plan) keep the reference's edge cases: a NaN
     * anywhere in a row makes its max and sum NaN, −∞ everywhere gives a max of −∞, +∞ wins the max,
     * and lanes that see only −∞ do not hide a larger value in another lane (rows of 32: two vectors
     * of sixteen, then the halves combined). Rows of 35 put each case in the scalar tail after two
     * vectors, where it must survive being combined with the vectors' result.
     */
    @ParameterizedTest(name = "{0} plan")
    @EnumSource(value = PlanChoice.class, names = {"CPU", "GPU"})
    void rowReductionsKeepNaNAndInfinities(PlanChoice plan) {
        Tape tape = new Tape();
        Tensor x = tape.input("x", 5, 32);
        Tensor tail = tape.input("tail", 5, 35);
        Map<Tensor, NDArray> feeds = Map.of(x, NDArray.of(x.shape(), edgeRows(32, 17, 31, 3)),
                tail, NDArray.of(tail.shape(), edgeRows(35, 33, 34, 32)));
        List<Tensor> outputs = List.of(x.max(1, false), x.exp().sum(1, false), tail.max(1, false), tail.exp().sum(1, false));
        DeviceAgreement.assertDeviceMatchesInterpreter(outputs, feeds, plan, new Random(3), k -> "edge output " + k, tape.dump());
    }

    /**
     * A sum that reaches +∞ before its last term stays +∞ in every reduction form, so x / √Σx² is 0
     * where x is finite, as in the reference: row sums with lanes (CPU: rows of 16, and 35 with a
     * scalar tail), a work-group tree (GPU: rows of 300), one work-item per row, column sums with
     * lanes. A compensated sum whose carry became ∞ − ∞ = NaN made every later term NaN.
     */
    @ParameterizedTest(name = "{0} plan")
    @EnumSource(value = PlanChoice.class, names = {"CPU", "GPU"})
    void aSumThatReachesInfinityStaysInfinite(PlanChoice plan) {
        Tape tape = new Tape();
        List<Tensor> outputs = new ArrayList<>();
        java.util.Map<Tensor, NDArray> feeds = new java.util.HashMap<>();
        for (int[] dims : new int[][] {{3, 16}, {3, 35}, {2, 300}, {3, 5}}) {
            Tensor x = tape.input("x" + dims[1], dims);
            double[] v = new double[dims[0] * dims[1]];
            java.util.Arrays.fill(v, 0.5);
            v[dims[1] + 2] = Double.POSITIVE_INFINITY; // row 1, early in the row: finite terms follow in every lane
            feeds.put(x, NDArray.of(x.shape(), v));
            outputs.add(x.div(x.square().sum(1, true).sqrt()));
            outputs.add(x.transpose().div(x.transpose().square().sum(0, true).sqrt()));
        }
        DeviceAgreement.assertDeviceMatchesInterpreter(outputs, feeds, plan, new Random(5), k -> "infinite sum " + k, tape.dump());
    }

    /**
     * The same for a grouped convolution's weight gradient, whose kernel sums its own terms: with
     * +∞ in the image, the weights' gradient entries it reaches are +∞, not NaN, and every other
     * entry divided by the gradient's norm is 0.
     */
    @ParameterizedTest(name = "{0} plan")
    @EnumSource(value = PlanChoice.class, names = {"CPU", "GPU"})
    void aConvolutionsWeightGradientThatReachesInfinityStaysInfinite(PlanChoice plan) {
        Tape tape = new Tape();
        Tensor x = tape.input("x", 1, 2, 4, 4);
        Tensor w = tape.param("w", 2, 1, 3, 3);
        Tensor g = tape.input("g", 1, 2, 2, 2);
        Tensor dw = tape.grad(x.conv2d(w, org.arcgrad.autodiff.Conv2d.of(1, 0, 1, 2)).mul(g).sum(), w)[0];
        double[] image = new double[32];
        java.util.Arrays.fill(image, 0.5);
        image[5] = Double.POSITIVE_INFINITY; // channel 0 at (1, 1): the first of several terms of four entries
        double[] ones = new double[8];
        java.util.Arrays.fill(ones, 1);
        Random random = new Random(6);
        java.util.Map<Tensor, NDArray> feeds = Map.of(x, NDArray.of(x.shape(), image), g, NDArray.of(g.shape(), ones),
                w, NDArray.uniform(w.shape(), -1, 1, random));
        DeviceAgreement.assertDeviceMatchesInterpreter(List.of(dw.div(dw.square().sum().sqrt())), feeds, plan, random,
                k -> "normalized weight gradient", tape.dump());
    }

    /** Five rows of {@code width}: a NaN at {@code nan}, one finite value at {@code finite}, all −∞, +∞ at {@code infinity}, NaN in every other element. */
    private static double[] edgeRows(int width, int nan, int finite, int infinity) {
        double[] v = new double[5 * width];
        java.util.Arrays.fill(v, Double.NEGATIVE_INFINITY);
        v[nan] = Double.NaN;                              // row 0: NaN
        v[width + finite] = 2.5;                          // row 1: one finite value
        // row 2: all −∞
        v[3 * width + infinity] = Double.POSITIVE_INFINITY; // row 3: +∞
        for (int k = 0; k < width; k++) {
            v[4 * width + k] = k % 2 == 0 ? -k : Double.NaN; // row 4: NaN in every other element
        }
        return v;
    }

    /**
     * Two elementwise outputs computed by one kernel, where the second reads the first transposed:
     * the first must be computed inline at the transposed index, not read from its own output
     * buffer while the kernel writes it.
     */
    @ParameterizedTest(name = "{0} plan")
    @EnumSource(value = PlanChoice.class, names = {"CPU", "GPU"})
    void aGroupedOutputReadTransposedByItsSibling(PlanChoice plan) {
        Tape tape = new Tape();
        Tensor x = tape.input("x", 16, 16);
        Tensor y = tape.input("y", 16, 16);
        Tensor a = x.exp();
        Tensor b = a.transpose().add(y);
        Random random = new Random(8);
        Map<Tensor, NDArray> feeds = Map.of(x, NDArray.uniform(x.shape(), -1, 1, random), y, NDArray.uniform(y.shape(), -1, 1, random));
        DeviceAgreement.assertDeviceMatchesInterpreter(List.of(a, b), feeds, plan, random, k -> "grouped output " + k, tape.dump());
    }

    /**
     * Reductions over a middle axis (several output rows of sixteen lanes), a column sum of a
     * transposed buffer (a strided read the lanes cannot load, so the scalar form), and a one-hot
     * whose label changes from lane to lane (likewise): each must fall back or index right.
     */
    @ParameterizedTest(name = "{0} plan")
    @EnumSource(value = PlanChoice.class, names = {"CPU", "GPU"})
    void reductionsWhoseReadsTheLanesMustFollowOrRefuse(PlanChoice plan) {
        Tape tape = new Tape();
        Tensor x = tape.input("x", 3, 4, 16);
        Tensor t = tape.input("t", 16, 5);
        Tensor w = tape.input("w", 8, 16);
        Tensor y = tape.labels("y", 16);
        List<Tensor> outputs = List.of(x.exp().sum(1, false), x.sum(0, true), t.transpose().sum(0, false),
                Functional.oneHot(y, 8).transpose().mul(w).sum(0, false));
        Random random = new Random(6);
        double[] labels = new double[16];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = (i * 5) % 8;
        }
        Map<Tensor, NDArray> feeds = Map.of(x, NDArray.uniform(x.shape(), -1, 1, random), t, NDArray.uniform(t.shape(), -1, 1, random),
                w, NDArray.uniform(w.shape(), -1, 1, random), y, NDArray.of(Shape.of(16), labels));
        DeviceAgreement.assertDeviceMatchesInterpreter(outputs, feeds, plan, random, k -> "reduction " + k, tape.dump());
    }

    /** Outputs of one shape that nothing else reads, one of them a reduction: only elementwise ones share a kernel. */
    @ParameterizedTest(name = "{0} plan")
    @EnumSource(value = PlanChoice.class, names = {"CPU", "GPU"})
    void independentOutputsOfOneShapeOneOfThemAReduction(PlanChoice plan) {
        Tape tape = new Tape();
        Tensor x = tape.input("x", 4, 16);
        Tensor top = x.max(1, true);
        Tensor other = x.sum(1, true).exp().log(); // elementwise of a reduction, the same shape [4, 1]
        Random random = new Random(9);
        Map<Tensor, NDArray> feeds = Map.of(x, NDArray.uniform(x.shape(), -1, 1, random));
        DeviceAgreement.assertDeviceMatchesInterpreter(List.of(top, other), feeds, plan, random, k -> "output " + k, tape.dump());
    }

    /**
     * The layouts of a convolutional network's batch norm: an NCHW value computed from a product
     * stored as [C, N·P] and per-channel statistics, and the [C, N, P] permute that reads an NCHW
     * operand back. On the CPU plan each is a 2-D range whose column is one plane, so per-channel
     * values are uniform across the lanes and both layouts are read contiguously: 14×14 planes in
     * vectors of four; 7×7 planes (the NCHW value and the [C, N, 49] permute) in vectors of 16 with
     * a scalar tail for the 49th position (49 = 3·16 + 1), where the alternatives would gather. The
     * test pins those forms and that each agrees with the interpreter.
     */
    @ParameterizedTest(name = "{0} plan")
    @EnumSource(value = PlanChoice.class, names = {"CPU", "GPU"})
    void imageLayoutsWithPerChannelValues(PlanChoice plan) {
        Tape tape = new Tape();
        Tensor product14 = tape.input("product14", 3, 2 * 196);
        Tensor product7 = tape.input("product7", 3, 16 * 49);
        Tensor image7 = tape.input("image7", 16, 3, 7, 7);
        Tensor mean = tape.input("mean", 1, 3, 1, 1);
        Tensor scale = tape.input("scale", 1, 3, 1, 1);
        Tensor positions = tape.input("positions", 1, 16, 49);
        List<Tensor> outputs = imageLayoutOutputs(product14, product7, image7, mean, scale, positions);
        Random random = new Random(12);
        Map<Tensor, NDArray> feeds = new java.util.HashMap<>();
        for (Tensor in : List.of(product14, product7, image7, mean, scale, positions)) {
            feeds.put(in, NDArray.uniform(in.shape(), -1, 1, random));
        }
        DeviceAgreement.assertDeviceMatchesInterpreter(outputs, feeds, plan, random,
                k -> List.of("14x14 planes", "[C, N, 49] permute", "7x7 planes").get(k), tape.dump());
    }

    @Test
    void imageLayoutsRenderAsTheirCommentSays() {
        Tape tape = new Tape();
        List<Tensor> outputs = imageLayoutOutputs(tape.input("product14", 3, 2 * 196), tape.input("product7", 3, 16 * 49),
                tape.input("image7", 16, 3, 7, 7), tape.input("mean", 1, 3, 1, 1), tape.input("scale", 1, 3, 1, 1),
                tape.input("positions", 1, 16, 49));
        List<String> sources = outputs.stream()
                .map(o -> KernelPlan.of(Graph.of(o), DeviceLimits.typical(DeviceType.CPU)).kernels().get(0).source()).toList();
        assertTrue(sources.get(0).contains("vload4(0, b0 + ") && !sources.get(0).contains("lane"), sources.get(0));
        for (int k = 1; k <= 2; k++) {
            String src = sources.get(k);
            assertTrue(src.contains("if (col + 16 <= 49)") && src.contains("for (int t = col; t < 49; t++)") && !src.contains("lane"),
                    "vectors of 16 along a plane of 49, a scalar tail, no gathers: " + src);
        }
    }

    private static List<Tensor> imageLayoutOutputs(Tensor product14, Tensor product7, Tensor image7, Tensor mean, Tensor scale,
                                                   Tensor positions) {
        Tensor planes14 = product14.reshape(3, 2, 196).permute(1, 0, 2).reshape(2, 3, 14, 14);
        Tensor planes7 = product7.reshape(3, 16, 49).permute(1, 0, 2).reshape(16, 3, 7, 7);
        Tensor normalised14 = Functional.relu(planes14.sub(mean).mul(scale));
        Tensor normalised7 = Functional.relu(planes7.sub(mean).mul(scale)).add(image7);
        // a [1, 16, 49] operand broadcast across channels: read along the plane like the rest
        Tensor permuted = image7.mul(scale).reshape(16, 3, 49).permute(1, 0, 2).add(product7.reshape(3, 16, 49).mul(2))
                .add(positions);
        return List.of(normalised14, permuted, normalised7);
    }

    /**
     * How the CPU plan picks among vector layouts: the widest of those without gathers (a
     * contiguous [2, 3, 4, 4] in vectors of 16, not 4 along its last axis; a flat [80] along the
     * flat index), gathers where they are exactly half the reads (a transposed operand beside a
     * contiguous one), and integer labels gathered as ints, then converted.
     */
    @Test
    void vectorLayoutChoices() {
        Tape tape = new Tape();
        Tensor image = tape.input("image", 2, 3, 4, 4);
        Tensor flat = tape.input("flat", 80);
        Tensor square = tape.input("square", 16, 16);
        Tensor other = tape.input("other", 16, 16);
        Tensor y = tape.labels("y", 16);
        Tensor small = tape.input("small", 4, 4);
        List<Tensor> outputs = new ArrayList<>(List.of(image.exp(), flat.exp()));
        outputs.addAll(gatheredOutputs(square, other, y, small));
        List<String> sources = outputs.stream().map(o -> KernelPlan.of(Graph.of(o), DeviceLimits.typical(DeviceType.CPU)).kernels().get(0).source()).toList();
        assertTrue(sources.get(0).contains("vload16(0, b0 + ") && sources.get(0).contains("get_global_id(1)") && !sources.get(0).contains("lane"),
                "the first 2-D layout of 16 lanes: " + sources.get(0));
        assertTrue(sources.get(1).contains("get_global_id(0) * 16") && sources.get(1).contains("vload16(0, b0 + gid)"), sources.get(1));
        assertTrue(sources.get(2).contains("lane++") && sources.get(2).contains("vload16(0, b1 + "), sources.get(2));
        assertTrue(sources.get(3).contains("int tg") && sources.get(3).contains("convert_float16(vload16(0, tg"), sources.get(3));
    }

    @ParameterizedTest(name = "{0} plan")
    @EnumSource(value = PlanChoice.class, names = {"CPU", "GPU"})
    void gatheredLabelsAndTransposedReads(PlanChoice plan) {
        Tape tape = new Tape();
        Tensor square = tape.input("square", 16, 16);
        Tensor other = tape.input("other", 16, 16);
        Tensor y = tape.labels("y", 16);
        Tensor small = tape.input("small", 4, 4);
        List<Tensor> outputs = gatheredOutputs(square, other, y, small);
        Random random = new Random(14);
        double[] labels = new double[16];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = (i * 7) % 11;
        }
        Map<Tensor, NDArray> feeds = Map.of(square, NDArray.uniform(square.shape(), -1, 1, random),
                other, NDArray.uniform(other.shape(), -1, 1, random), y, NDArray.of(Shape.of(16), labels),
                small, NDArray.uniform(small.shape(), -1, 1, random));
        DeviceAgreement.assertDeviceMatchesInterpreter(outputs, feeds, plan, random, k -> List.of("transposed beside contiguous",
                "labels transposed").get(k), tape.dump());
    }

    /** A transposed [16, 16] beside a contiguous one, and [16] labels transposed as [4, 4] and read as floats. */
    private static List<Tensor> gatheredOutputs(Tensor square, Tensor other, Tensor labels, Tensor small) {
        return List.of(square.transpose().add(other), labels.reshape(4, 4).transpose().toFloat().add(small));
    }
}
