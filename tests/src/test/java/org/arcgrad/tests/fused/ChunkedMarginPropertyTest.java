package org.arcgrad.tests.fused;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.arcgrad.autodiff.Functional;
import org.arcgrad.autodiff.Graph;
import org.arcgrad.autodiff.Interpreter;
import org.arcgrad.autodiff.NDArray;
import org.arcgrad.autodiff.Shape;
import org.arcgrad.autodiff.Tape;
import org.arcgrad.autodiff.Tensor;
import org.arcgrad.opencl.fused.ChunkedInterpreter;
import org.arcgrad.opencl.fused.ClassRegionFinder;
import org.arcgrad.tests.property.Gen;
import org.arcgrad.tests.property.Property;
import org.junit.jupiter.api.Test;

/**
 * Margins users might write, at random: a small expression over the cosine matrix, the one-hot
 * labels, a row value (the feature norm, differentiated), a learned per-class bias, a learned
 * scalar and constants, under cross-entropy (in one draw of three plus a penalty on the mean square
 * logit), with gradients for x, W, the bias and the scalar (so row sums, column sums, sums of every
 * element, a scalar broadcast to N×C and both backward products all appear). With K &gt; 1 centres
 * per class, W is [C·K, D] in class-major order and the cosine of a class is the largest
 * (sub-center ArcFace) or the mean of its centres', the view over the centres taken of the product
 * or of a multiple of it. The finder must find the class region in every one, and the
 * chunked evaluation must give the whole graph's loss and gradients, for any chunk width
 * ({@link ChunkedMarginDevicePropertyTest} holds the device to the same margins).
 */
class ChunkedMarginPropertyTest {
    /** One random margin problem; {@code seed} draws the expression and the values. */
    record Margin(int n, int d, int c, int centres, int width, int depth, long seed) {
        Stream<Margin> shrinks() {
            List<Margin> s = new ArrayList<>();
            if (depth > 0) {
                s.add(new Margin(n, d, c, centres, width, depth - 1, seed));
            }
            if (centres > 1) {
                s.add(new Margin(n, d, c, 1, width, depth, seed));
            }
            if (c > 2) {
                s.add(new Margin(n, d, Math.max(2, c / 2), centres, Math.min(width, Math.max(2, c / 2)), depth, seed));
            }
            if (n > 2) {
                s.add(new Margin(Math.max(2, n / 2), d, c, centres, width, depth, seed));
            }
            if (d > (centres > 1 ? 2 : 1)) {
                s.add(new Margin(n, d - 1, c, centres, width, depth, seed));
            }
            if (width > 1) {
                s.add(new Margin(n, d, c, centres, width / 2, depth, seed));
            }
            return s.stream();
        }

        Built build() {
            Random r = new Random(seed);
            Tape t = new Tape();
            Tensor x = t.param("x", n, d);
            Tensor w = t.param("w", c * centres, d);
            Tensor bias = t.param("bias", c);
            Tensor scalar = t.param("scalar", 1);
            Tensor y = t.labels("y", n);
            Tensor cos = Functional.normalize(x).matmul(Functional.normalize(w).transpose());
            if (centres > 1) {
                // the view of the product itself, or of a value computed from it (the finder looks for both)
                Tensor byClass = (r.nextBoolean() ? cos : cos.mul(0.9)).reshape(n, c, centres);
                cos = r.nextBoolean() ? byClass.max(2, false) : byClass.sum(2, false).scale(1.0 / centres);
            }
            Leaves leaves = new Leaves(cos, Functional.oneHot(y, c), x.square().sum(1, true).sqrt(), bias, scalar);
            Tensor logits = expression(t, leaves, depth, r).add(leaves.cos()).mul(8.0);
            Tensor ce = Functional.crossEntropy(logits, y);
            // one in three adds a penalty on the mean square logit (a sum of every element, and its broadcast back)
            Tensor loss = r.nextInt(3) == 0 ? ce.add(logits.square().mean().scale(1e-3)) : ce;
            Tensor[] g = t.grad(loss, x, w, bias, scalar);
            Map<Tensor, NDArray> feeds = new HashMap<>();
            feeds.put(x, NDArray.gaussian(Shape.of(n, d), r));
            feeds.put(w, NDArray.gaussian(Shape.of(c * centres, d), r));
            feeds.put(bias, NDArray.gaussian(Shape.of(c), r));
            feeds.put(scalar, NDArray.gaussian(Shape.of(1), r));
            double[] labels = new double[n];
            for (int i = 0; i < n; i++) {
                labels[i] = i == 0 ? 0 : i == 1 ? c - 1 : r.nextInt(c);
            }
            feeds.put(y, NDArray.of(Shape.of(n), labels));
            return new Built(List.of(loss, g[0], g[1], g[2], g[3]), feeds, t.dump());
        }

        private static Tensor expression(Tape t, Leaves l, int depth, Random r) {
            if (depth == 0) {
                return switch (r.nextInt(6)) {
                    case 0 -> l.cos();
                    case 1 -> l.oneHot();
                    case 2 -> l.rowValue().mul(0.1);
                    case 3 -> l.bias();
                    case 4 -> l.cos().mul(l.scalar());
                    default -> t.constant(r.nextDouble() - 0.5);
                };
            }
            Tensor a = expression(t, l, depth - 1, r);
            Tensor b = expression(t, l, depth - 1, r);
            return switch (r.nextInt(7)) {
                case 0 -> a.add(b);
                case 1 -> a.sub(b);
                case 2 -> a.mul(b);
                case 3 -> Functional.where(l.oneHot(), a, b);
                case 4 -> a.clamp(-0.9, 0.9);
                case 5 -> a.square().rsub(1).clamp(1e-6, 1).sqrt();
                default -> a.scale(r.nextDouble() * 2 - 1);
            };
        }
    }

    record Leaves(Tensor cos, Tensor oneHot, Tensor rowValue, Tensor bias, Tensor scalar) {
    }

    record Built(List<Tensor> outputs, Map<Tensor, NDArray> feeds, String tape) {
    }

    static Gen<Margin> margins() {
        return Gen.of((random, size) -> {
            int c = 2 + random.nextInt(Math.max(1, size));
            // two rows at least: with one, the finder leaves the graph whole (a test pins that)
            int centres = 1 + random.nextInt(3);
            // with one feature every cosine is ±1, so a class's centres all tie for the maximum; fp32 rounding
            // on the device breaks such ties where fp64 keeps them, which moves zero gradients by rounding
            // residues (a degenerate input, not an error): centres come with two features at least
            int d = (centres > 1 ? 2 : 1) + random.nextInt(centres > 1 ? 4 : 5);
            return new Margin(2 + random.nextInt(5), d, c, centres, 1 + random.nextInt(c), random.nextInt(4), random.nextLong());
        }, Margin::shrinks);
    }

    @Test
    void chunkedEqualsWholeOnRandomMargins() {
        Property.forAll("chunk by chunk = whole graph on random margins (fp64)", margins(), m -> {
            Built b = m.build();
            Graph g = Graph.of(b.outputs().toArray(new Tensor[0]));
            var finding = ClassRegionFinder.find(g);
            assertTrue(finding.region().isPresent(), () -> "no class region: " + finding.refusal() + "\n" + b.tape());
            NDArray[] whole = Interpreter.run(g, b.feeds());
            NDArray[] chunked = ChunkedInterpreter.run(g, b.feeds(), m.width());
            for (int k = 0; k < whole.length; k++) {
                double[] e = whole[k].data();
                double[] a = chunked[k].data();
                // fp64 rounding of sums taken in another order: relative 1e-10, and 1e-9 absolute for values
                // that cancel to about zero: grad W through the normalisation of one feature (D = 1) is zero
                // in exact arithmetic, and its fp64 residue is about 1e-16 × ‖grad Ŵ‖ / ‖w‖, which reaches
                // 1e-11 for a small ‖w‖ (the chunks compute grad W themselves, rounded in their own order);
                // a chunk put in the wrong place or left out is off by the gradient itself, orders above
                for (int i = 0; i < e.length; i++) {
                    boolean same = Double.isNaN(e[i]) ? Double.isNaN(a[i]) : Math.abs(e[i] - a[i]) <= 1e-10 * Math.abs(e[i]) + 1e-9;
                    int at = i;
                    int out = k;
                    assertTrue(same, () -> "output " + out + " [" + at + "]: whole " + e[at] + ", chunked " + a[at] + "\n" + b.tape());
                }
            }
        });
    }
}
