package org.arcgrad.tests.opencl;

import java.util.Random;
import org.arcgrad.opencl.compile.PlanChoice;
import org.arcgrad.tests.property.Gen;
import org.arcgrad.tests.property.Gens;
import org.arcgrad.tests.property.Property;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * One-group convolutions of random geometry, their value and both gradients, on the device against
 * the interpreter, under both kernel plans. The geometry decides which kernels run on the CPU plan
 * (see {@link PatchGemmTest}): two in three keep their planes at stride 1 (padding DH·(KH − 1)/2,
 * kernels of 1, 3 or 5, dilation 1 or 2), which takes the plane kernels, their blocks of images and
 * their overlapping last vectors; the rest take stride 1 or 2 and padding 0 to 2 (PatchGemm,
 * col2im, im2col). Batches of 1 to 40 images of 1 to 33 rows and columns, 1 to 6 input and 1 to 19
 * output channels. Geometries whose output would be empty are discarded.
 */
class ConvGeometryPropertiesTest {
    private record Geometry(int n, int c, int o, int h, int w, int kernel, int dilation, boolean same, int stride, int padding,
                            long seed) {
        int pad() {
            return same ? dilation * (kernel - 1) / 2 : padding;
        }

        int outputStride() {
            return same ? 1 : stride;
        }

        @Override
        public String toString() {
            return String.format("N=%d C=%d O=%d H=%d W=%d kernel %d stride %d padding %d dilation %d (seed %d)", n, c, o, h, w, kernel,
                    outputStride(), pad(), dilation, seed);
        }
    }

    private static final Gen<int[]> SIZES = Gen.zip(
            Gen.zip(Gens.intsSized(1, 40), Gens.intsSized(1, 6), (n, c) -> new int[] {n, c}),
            Gen.zip(Gens.intsSized(1, 19), Gen.zip(Gens.intsSized(1, 33), Gens.intsSized(1, 33), (h, w) -> new int[] {h, w}),
                    (o, hw) -> new int[] {o, hw[0], hw[1]}),
            (nc, ohw) -> new int[] {nc[0], nc[1], ohw[0], ohw[1], ohw[2]});

    private static final Gen<int[]> FORM = Gen.zip(
            Gen.zip(Gens.ints(0, 2), Gens.ints(1, 2), (k, d) -> new int[] {2 * k + 1, d}),
            Gen.zip(Gens.ints(0, 2), Gen.zip(Gens.ints(1, 2), Gens.ints(0, 2), (s, p) -> new int[] {s, p}),
                    (same, sp) -> new int[] {same, sp[0], sp[1]}),
            (kd, form) -> new int[] {kd[0], kd[1], form[0], form[1], form[2]});

    private static final Gen<Geometry> GEOMETRIES = Gen.zip(SIZES, Gen.zip(FORM, Gens.seeds(), (f, s) -> new Object[] {f, s}),
            (size, fs) -> {
                int[] f = (int[]) fs[0];
                return new Geometry(size[0], size[1], size[2], size[3], size[4], f[0], f[0] == 1 ? 1 : f[1], f[2] > 0, f[3], f[4],
                        (Long) fs[1]);
            });

    @ParameterizedTest(name = "{0} plan")
    @EnumSource(value = PlanChoice.class, names = {"CPU", "GPU"})
    void convolutionsOfRandomGeometryAgreeWithTheInterpreter(PlanChoice plan) {
        Property.named("conv2d and its gradients on the device (" + plan + " plan) = interpreter, random geometry").tries(30)
                .forAll(GEOMETRIES, g -> check(g, plan));
    }

    private static void check(Geometry g, PlanChoice plan) {
        int reach = g.dilation() * (g.kernel() - 1) + 1;
        Property.assume(g.h() + 2 * g.pad() >= reach && g.w() + 2 * g.pad() >= reach, "an empty output");
        PatchGemmTest.assertConvolutionAgrees(new int[] {g.n(), g.c(), g.h(), g.w(), g.o(), g.kernel(), g.kernel(), g.outputStride(),
            g.pad(), g.dilation()}, plan, new Random(g.seed()), " " + g);
    }
}
