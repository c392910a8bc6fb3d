package org.arcgrad.tests.gradients;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.arcgrad.autodiff.Functional;
import org.arcgrad.autodiff.NDArray;
import org.arcgrad.autodiff.Shape;
import org.arcgrad.autodiff.Tensor;
import org.arcgrad.tests.property.Gen;
import org.arcgrad.tests.property.Gens;
import org.arcgrad.tests.property.Shapes;

/**
 * For every public composite of {@link Functional} (by method name, every overload), a generator
 * of cases on random shapes and on values of its domain with the domain's edges: |cos| near 1 for
 * cosAdd, labels 0 and C − 1, tiny rows for normalize, ties and large values for log-sum-exp.
 */
final class CompositeCases {
    private static final Map<String, Gen<GradCase>> CATALOGUE = build();

    private CompositeCases() {
    }

    /** Functional method name → its cases; {@code CoverageTest} fails when a composite has none. */
    static Map<String, Gen<GradCase>> catalogue() {
        return CATALOGUE;
    }

    private static Map<String, Gen<GradCase>> build() {
        Map<String, Gen<GradCase>> m = new LinkedHashMap<>();
        m.put("where", where());
        m.put("relu", relu());
        m.put("normalize", normalize());
        m.put("linear", linear());
        m.put("cosAdd", cosAdd());
        m.put("oneHot", withLabels("x · oneHot(labels, C)", (x, y) -> x.mul(Functional.oneHot(y, lastDim(x)))));
        m.put("gather", withLabels("gather(x, labels)", Functional::gather));
        m.put("logSumExp", alongAxis("logSumExp", Functional::logSumExp));
        m.put("logSoftmax", alongAxis("logSoftmax", (x, axis, keep) -> Functional.logSoftmax(x, axis)));
        m.put("softmax", alongAxis("softmax", (x, axis, keep) -> Functional.softmax(x, axis)));
        m.put("crossEntropy", crossEntropy());
        m.put("gatherRows", gatherRows());
        m.put("log1p", elementwise("log1p", Gens.doubles(-0.9, 5, 0.3, -0.9, 0, 1e-6, 5), Functional::log1p));
        // softplus over ±60: far beyond exp's fp32 range (88.7 / β) for β = 4, and 0 exactly
        m.put("softplus", Gens.oneOf(elementwise("softplus", Gens.doubles(-60, 60, 0.3, 0, 60, -60, 1e-3), Functional::softplus),
                Gens.elements(0.5, 1.0, 4.0).flatMap(beta -> elementwise("softplus(beta=" + beta + ")",
                        Gens.doubles(-60, 60, 0.3, 0, 60, -60), x -> Functional.softplus(x, beta)))));
        m.put("logSigmoid", elementwise("logSigmoid", Gens.doubles(-60, 60, 0.3, 0, 60, -60), Functional::logSigmoid));
        m.put("norm", alongAxis("norm", Functional::norm));
        // above 0 only: at 0 the gradient is 0 by definition, where central differences see sqrt's kink
        m.put("safeSqrt", elementwise("safeSqrt", Gens.doubles(0.01, 4, 0.3, 0.01, 1, 4), Functional::safeSqrt));
        m.put("variance", moments("variance", Functional::variance));
        m.put("std", moments("std", Functional::std));
        m.put("avgPool2d", avgPool2d());
        m.put("globalAvgPool2d", Domains.array4d().flatMap(x -> Gens.seeds().map(seed ->
                of("globalAvgPool2d " + x.shape(), seed, a -> Functional.globalAvgPool2d(a[0]), x))));
        return Collections.unmodifiableMap(m);
    }

    private static int lastDim(Tensor x) {
        return x.shape().dim(x.shape().rank() - 1);
    }

    /** A case whose function only needs the differentiable inputs. */
    private static GradCase of(String label, long seed, Function<Tensor[], Tensor> f, NDArray... in) {
        return GradCase.of(label, seed, (tape, a) -> f.apply(a), in);
    }

    // ---- where, relu --------------------------------------------------------------------------

    /** All three overloads; masks compare a fed input, so no difference step can move a branch. */
    private static Gen<GradCase> where() {
        Gen<GradCase> both = Shapes.broadcast(Domains.smallShapes(), 3).flatMap(s -> Gen.zip(
                Gen.zip(Domains.array(s.operand(0), Domains.reals()),
                        Gen.zip(Domains.array(s.operand(1), Domains.reals()), Domains.array(s.operand(2), Domains.reals()), Pair::new),
                        Pair::new),
                Gens.seeds(),
                (v, seed) -> GradCase.of("where(m > 0, a, b) " + s, seed,
                        (t, a) -> Functional.where(t.input("m", s.operand(0).dims()).gt(0), a[0], a[1]),
                        v.second().first(), v.second().second()).withFixed("m", v.first())));
        Gen<GradCase> constantElse = maskAndOne("where(m > 0, a, 2.5)", (mask, a) -> Functional.where(mask, a, 2.5));
        Gen<GradCase> constantThen = maskAndOne("where(m > 0, -1.5, b)", (mask, b) -> Functional.where(mask, -1.5, b));
        return Gens.oneOf(both, constantElse, constantThen);
    }

    private static Gen<GradCase> maskAndOne(String label, BiFunction<Tensor, Tensor, Tensor> f) {
        return Shapes.broadcast(Domains.smallShapes(), 2).flatMap(s -> Gen.zip(
                Gen.zip(Domains.array(s.operand(0), Domains.reals()), Domains.array(s.operand(1), Domains.reals()), Pair::new),
                Gens.seeds(),
                (v, seed) -> GradCase.of(label + " " + s, seed,
                        (t, a) -> f.apply(t.input("m", s.operand(0).dims()).gt(0), a[0]), v.second()).withFixed("m", v.first())));
    }

    /** Kept 1e-3 from the kink at 0 (relu at exactly 0 is KinkPointsTest's). */
    private static Gen<GradCase> relu() {
        return Gen.zip(Domains.arrays(Domains.awayFrom(0, 1e-3)), Gens.seeds(),
                (x, seed) -> of("relu " + x.shape(), seed, a -> Functional.relu(a[0]), x));
    }

    // ---- normalize, linear, cosAdd ------------------------------------------------------------

    /** normalize's arguments; {@code eps} null means the one-argument overload (last axis, 1e-12). */
    private record NormalizeArgs(NDArray x, int axis, Double eps) {
        boolean wellDefined() {
            double e = eps == null ? Functional.NORMALIZE_EPS : eps;
            for (double n : NDArrays.normsAlong(x, axis)) {
                // a difference step moves a norm by ~1e-6: keep it off the clamp at eps, and off 0
                // where the derivative 1/‖x‖ is too curved for a step of 1e-6
                if (n < 1e-4 || Math.abs(n - e) < 1e-4) {
                    return false;
                }
            }
            return true;
        }
    }

    /**
     * Both overloads, along any axis (negative too). Rows may be scaled by 1e-3 (tiny norms, large
     * derivatives); with eps = 0.5 rows below eps take the clamped branch, x / eps.
     */
    private static Gen<GradCase> normalize() {
        Gen<NormalizeArgs> args = Shapes.shapes(1, 3, 4).flatMap(s -> Gen.zip(
                Gen.zip(Domains.array(s, Domains.reals()), Gens.elements(1.0, 1e-3, 0.3), NDArrays::scaled),
                Gen.zip(Gens.ints(-s.rank(), s.rank() - 1), Gens.elements(-1.0, Functional.NORMALIZE_EPS, 0.5), Pair::new),
                (x, p) -> p.second() < 0 ? new NormalizeArgs(x, -1, null) : new NormalizeArgs(x, p.first(), p.second())));
        return Gen.zip(args.filter("row norms well away from 0 and eps", NormalizeArgs::wellDefined), Gens.seeds(), (n, seed) ->
                n.eps() == null
                        ? of("normalize(x) " + n.x().shape(), seed, a -> Functional.normalize(a[0]), n.x())
                        : of("normalize(x, axis=" + n.axis() + ", eps=" + n.eps() + ") " + n.x().shape(), seed,
                                a -> Functional.normalize(a[0], n.axis(), n.eps()), n.x()));
    }

    /** Both overloads: x [N, D] · Wᵀ with W [C, D], and + b [C]. */
    private static Gen<GradCase> linear() {
        return Gen.listOf(3, Shapes.dims(5)).flatMap(d -> {
            Shape x = Shape.of(d.get(0), d.get(1));
            Shape w = Shape.of(d.get(2), d.get(1));
            Shape b = Shape.of(d.get(2));
            Gen<Pair<NDArray, NDArray>> xw = Gen.zip(Domains.array(x, Domains.reals()), Domains.array(w, Domains.reals()), Pair::new);
            Gen<GradCase> plain = Gen.zip(xw, Gens.seeds(), (v, seed) ->
                    of("linear(x " + x + ", W " + w + ")", seed, a -> Functional.linear(a[0], a[1]), v.first(), v.second()));
            Gen<GradCase> biased = Gen.zip(Gen.zip(xw, Domains.array(b, Domains.reals()), Pair::new), Gens.seeds(), (v, seed) ->
                    of("linear(x " + x + ", W " + w + ", b " + b + ")", seed, a -> Functional.linear(a[0], a[1], a[2]),
                            v.first().first(), v.first().second(), v.second()));
            return Gens.oneOf(plain, biased);
        });
    }

    /** cosAdd's arguments; {@code eps} null means the two-argument overload (radicand clamp 1e-12). */
    private record CosAddArgs(NDArray c, double m, Double eps) {
        boolean offTheClamp() {
            if (eps == null) {
                return true; // |c| ≤ 1 − 1e-4 keeps 1 − c² ≥ 2e-4, far above 1e-12
            }
            for (double v : c.data()) {
                // a step of 1e-6 in c moves the radicand by at most 2e-6
                if (Math.abs(1 - v * v - eps) < 1e-5) {
                    return false;
                }
            }
            return true;
        }
    }

    /**
     * Both overloads, with c near ±1 (1 − 1e-3, 1 − 1e-4 and negatives) where the derivative
     * cos m + c·sin m / sqrt(1 − c²) is large, and margins from 0 to π/2. With a chosen radicand
     * clamp of 1e-3 the values nearest ±1 fall in the clamped band, where sine is constant and
     * the gradient is cos m on both sides of the check. Exactly ±1 is CosAddEdgesTest's.
     */
    private static Gen<GradCase> cosAdd() {
        Gen<Double> margin = Gens.doubles(0, Math.PI / 2, 0.4, 0.5, 0.35, 0.1, 0.0, Math.PI / 2);
        Gen<Double> eps = Gens.elements(-1.0, 1e-12, 1e-6, 1e-3);
        Gen<CosAddArgs> args = Gen.zip(Domains.arrays(Domains.cosines()), Gen.zip(margin, eps, Pair::new),
                (c, p) -> new CosAddArgs(c, p.first(), p.second() < 0 ? null : p.second()));
        Gen<GradCase> constantMargin = Gen.zip(args.filter("radicand off the clamp bound", CosAddArgs::offTheClamp), Gens.seeds(), (c, seed) ->
                c.eps() == null
                        ? of("cosAdd(c, m=" + c.m() + ") " + c.c().shape(), seed, a -> Functional.cosAdd(a[0], c.m()), c.c())
                        : of("cosAdd(c, m=" + c.m() + ", eps=" + c.eps() + ") " + c.c().shape(), seed,
                                a -> Functional.cosAdd(a[0], c.m(), c.eps()), c.c()));
        // a margin tensor of c's shape (MagFace's, ElasticFace's per-sample margins), differentiated too
        Gen<GradCase> tensorMargin = Domains.arrays(Domains.cosines()).flatMap(c -> Gen.zip(Domains.array(c.shape(), margin), Gens.seeds(),
                (mv, seed) -> of("cosAdd(c, m tensor) " + c.shape(), seed, a -> Functional.cosAdd(a[0], a[1]), c, mv)));
        return Gens.oneOf(constantMargin, tensorMargin);
    }

    // ---- labels: oneHot, gather, crossEntropy ------------------------------------------------

    /** x of shape S + [C] and integer labels of shape S (fed, with 0 and C − 1 favoured), S of rank 0 to 2. */
    private static Gen<GradCase> withLabels(String label, BiFunction<Tensor, Tensor, Tensor> f) {
        return Gen.zip(Shapes.shapes(0, 2, 4), Shapes.dims(5), Pair::new).flatMap(sc -> {
            Shape s = sc.first();
            int classes = sc.second();
            int[] xd = java.util.Arrays.copyOf(s.dims(), s.rank() + 1);
            xd[s.rank()] = classes;
            Shape xs = Shape.of(xd);
            return Gen.zip(Gen.zip(Domains.array(xs, Domains.reals()), Gens.labels(s, classes, 0.5), Pair::new), Gens.seeds(),
                    (v, seed) -> GradCase.of(label + " x " + xs + ", C=" + classes, seed,
                            (t, a) -> f.apply(a[0], t.labels("labels", s.dims())), v.first()).withFixed("labels", v.second()));
        });
    }

    private static Gen<GradCase> crossEntropy() {
        return Gen.zip(Shapes.dims(6), Shapes.dims(6), Pair::new).flatMap(nc -> {
            Shape logits = Shape.of(nc.first(), nc.second());
            return Gen.zip(Gen.zip(Domains.array(logits, Domains.reals()), Gens.labels(Shape.of(nc.first()), nc.second(), 0.5), Pair::new),
                    Gens.seeds(), (v, seed) -> GradCase.of("crossEntropy(logits " + logits + ", labels)", seed,
                            (t, a) -> Functional.crossEntropy(a[0], t.labels("labels", nc.first())), v.first())
                            .withFixed("labels", v.second()));
        });
    }

    private static Gen<GradCase> gatherRows() {
        return Gen.zip(Shapes.dims(4), Shapes.dims(4), Pair::new).flatMap(cd -> {
            Shape w = Shape.of(cd.first(), cd.second());
            return Gen.zip(Gen.zip(Domains.array(w, Domains.reals()), Gens.labels(Shape.of(5), cd.first(), 0.5), Pair::new), Gens.seeds(),
                    (v, seed) -> GradCase.of("gatherRows(w " + w + ", 5 indices)", seed,
                            (t, a) -> Functional.gatherRows(a[0], t.labels("idx", 5)).square(), v.first()).withFixed("idx", v.second()));
        });
    }

    private static Gen<GradCase> elementwise(String name, Gen<Double> values, Function<Tensor, Tensor> f) {
        return Gen.zip(Domains.arrays(values), Gens.seeds(), (x, seed) -> of(name + " " + x.shape(), seed, a -> f.apply(a[0]), x));
    }

    @FunctionalInterface
    private interface Moment {
        Tensor apply(Tensor x, int axis, boolean unbiased, boolean keepdim);
    }

    /** Any axis (made of size 2 or more, for Bessel's n − 1), either correction, keepdim either way; equal rows come with the edges. */
    private static Gen<GradCase> moments(String name, Moment f) {
        return Shapes.shapes(1, 3, 4).flatMap(s0 -> Gens.ints(-s0.rank(), s0.rank() - 1).flatMap(axis -> {
            int a = axis < 0 ? axis + s0.rank() : axis;
            Shape s = s0.with(a, Math.max(2, s0.dim(a)));
            return Gen.zip(Gen.zip(Gens.booleans(0.5), Gens.booleans(0.5), Pair::new),
                    Gen.zip(Domains.array(s, Domains.reals()), Gens.seeds(), Pair::new),
                    (uk, xs) -> of(name + "(axis=" + axis + ", unbiased=" + uk.first() + ", keepdim=" + uk.second() + ") " + s,
                            xs.second(), x -> f.apply(x[0], axis, uk.first(), uk.second()), xs.first()));
        }));
    }

    // ---- along an axis: logSumExp, logSoftmax, softmax -----------------------------------------

    @FunctionalInterface
    private interface AlongAxis {
        Tensor apply(Tensor x, int axis, boolean keepdim);
    }

    /**
     * Any axis (negative too), keepdim either way, values up to ±40 with exact ties mixed in: the
     * max shift is detached, so ties and large values must change nothing.
     */
    private static Gen<GradCase> alongAxis(String name, AlongAxis f) {
        Gen<Double> values = Gens.doubles(-40, 40, 0.5, 0, 1, 30, -30, 40);
        return Shapes.shapes(1, 3, 4).flatMap(s -> Gen.zip(
                Gen.zip(Gens.ints(-s.rank(), s.rank() - 1), Gens.booleans(0.5), Pair::new),
                Gen.zip(Domains.array(s, values), Gens.seeds(), Pair::new),
                (ak, xs) -> of(name + "(axis=" + ak.first() + ", keepdim=" + ak.second() + ") " + s, xs.second(),
                        a -> f.apply(a[0], ak.first(), ak.second()), xs.first())));
    }

    // ---- pooling ------------------------------------------------------------------------------

    /** Average pooling over the windows max pooling's cases use, with and without padding. */
    private static Gen<GradCase> avgPool2d() {
        return OpCases.poolProblems().flatMap(p -> Gen.zip(Domains.array(p.input(), Domains.reals()), Gens.seeds(),
                (x, seed) -> of("avgPool2d " + x.shape() + ", " + p.window(), seed, a -> Functional.avgPool2d(a[0], p.window()), x)));
    }
}
