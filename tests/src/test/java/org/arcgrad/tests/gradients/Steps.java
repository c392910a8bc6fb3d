package org.arcgrad.tests.gradients;

import static org.arcgrad.tests.gradients.Guards.positive;
import static org.arcgrad.tests.gradients.Guards.tame;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.arcgrad.autodiff.Functional;
import org.arcgrad.autodiff.Shape;
import org.arcgrad.autodiff.Tensor;

/**
 * The steps random expressions are made of: every elementwise op, broadcasting binaries, where
 * with comparison masks, views, reductions with and without keepdim, matmul and linear, and the
 * composites. Each keeps its operands in its domain with {@link Guards} and states the bound of
 * its result.
 */
final class Steps {
    private Steps() {
    }

    private static Step unary(String name, java.util.function.Function<Built, Built> f) {
        return new Step(name, in -> f.apply(in.get(0)));
    }

    // ---- elementwise unary ---------------------------------------------------------------------

    static Step neg() {
        return unary("neg", u -> new Built(tame(u).t().neg(), tame(u).bound()));
    }

    static Step exp() {
        return unary("exp", u -> {
            Built v = tame(u, 3);
            return new Built(v.t().exp(), Math.exp(v.bound()));
        });
    }

    static Step log() {
        return unary("log", u -> {
            Built p = positive(u);
            return new Built(p.t().log(), Math.max(Math.log(4), Math.log(p.bound())));
        });
    }

    static Step sqrt() {
        return unary("sqrt", u -> {
            Built p = positive(u);
            return new Built(p.t().sqrt(), Math.sqrt(p.bound()));
        });
    }

    static Step scale(double k) {
        return unary("scale(" + k + ")", u -> new Built(tame(u).t().scale(k), Math.abs(k) * tame(u).bound()));
    }

    /** Exponents 2 and 3 on any value; others (fractional, negative) on a positive operand. */
    static Step pow(double p) {
        return unary("pow(" + p + ")", u -> {
            Built v = tame(u, 3);
            if (p == 2 || p == 3) {
                return new Built(v.t().pow(p), Math.pow(v.bound(), p));
            }
            Built b = positive(v);
            return new Built(b.t().pow(p), Math.max(Math.pow(0.25, p), Math.pow(b.bound(), p)));
        });
    }

    static Step clamp(double lo, double hi) {
        return unary("clamp(" + lo + ", " + hi + ")", u -> {
            Built v = tame(u);
            double edge = Math.max(Math.abs(lo), Math.abs(hi));
            return new Built(v.t().clamp(lo, hi), Double.isFinite(edge) ? Math.min(v.bound(), edge) : v.bound());
        });
    }

    static Step relu() {
        return unary("relu", u -> new Built(Functional.relu(tame(u).t()), tame(u).bound()));
    }

    static Step abs() {
        return unary("abs", u -> new Built(tame(u).t().abs(), tame(u).bound()));
    }

    static Step softplus(double beta) {
        return unary("softplus(beta=" + beta + ")", u -> new Built(Functional.softplus(tame(u).t(), beta), tame(u).bound() + 1));
    }

    /** cosAdd of a cosine kept within ±0.99: nearer ±1 a difference step of 1e-6 is no longer accurate. */
    static Step cosAdd(double m) {
        return unary("cosAdd(m=" + m + ")", u -> new Built(Functional.cosAdd(tame(u, 0.99).t(), m), 2));
    }

    static Step normalize(int axis) {
        return unary("normalize(axis=" + axis + ")", u -> new Built(Functional.normalize(tame(u).t(), axis, Functional.NORMALIZE_EPS), 1));
    }

    static Step softmax(int axis) {
        return unary("softmax(axis=" + axis + ")", u -> new Built(Functional.softmax(tame(u).t(), axis), 1));
    }

    static Step logSoftmax(int axis) {
        return unary("logSoftmax(axis=" + axis + ")", u -> {
            Built v = tame(u);
            return new Built(Functional.logSoftmax(v.t(), axis), 2 * v.bound() + Math.log(v.t().shape().dim(v.t().shape().axis(axis))));
        });
    }

    // ---- binary, broadcasting ------------------------------------------------------------------

    /** One operand given twice stays one tensor (x ∘ x reads one node twice), tamed once. */
    private static Step binary(String name, BiFunction<Built, Built, Built> f) {
        return new Step(name, in -> {
            Built a = tame(in.get(0));
            return f.apply(a, in.get(1) == in.get(0) ? a : tame(in.get(1)));
        });
    }

    /** Tames each distinct operand once, so operands given twice stay one tensor. */
    private static List<Built> tameEach(List<Built> in) {
        Map<Built, Built> tamed = new IdentityHashMap<>();
        List<Built> out = new ArrayList<>();
        for (Built b : in) {
            out.add(tamed.computeIfAbsent(b, Guards::tame));
        }
        return out;
    }

    static Step add() {
        return binary("add", (a, b) -> new Built(a.t().add(b.t()), a.bound() + b.bound()));
    }

    static Step sub() {
        return binary("sub", (a, b) -> new Built(a.t().sub(b.t()), a.bound() + b.bound()));
    }

    static Step maximum() {
        return binary("maximum", (a, b) -> new Built(a.t().maximum(b.t()), Math.max(a.bound(), b.bound())));
    }

    static Step minimum() {
        return binary("minimum", (a, b) -> new Built(a.t().minimum(b.t()), Math.max(a.bound(), b.bound())));
    }

    static Step mul() {
        return binary("mul", (a, b) -> new Built(a.t().mul(b.t()), a.bound() * b.bound()));
    }

    /** a / (±(b² + 1/4)): the divisor never comes near 0, either sign. */
    static Step div(boolean negativeDivisor) {
        return new Step(negativeDivisor ? "div(a, -(b²+¼))" : "div(a, b²+¼)", in -> {
            Built a = tame(in.get(0));
            Tensor d = positive(in.get(1)).t();
            return new Built(a.t().div(negativeDivisor ? d.neg() : d), 4 * a.bound());
        });
    }

    /** where(p cmp q, a, b): children p, q, a, b, all broadcasting to the result. */
    static Step where(String cmp) {
        return new Step("where(" + cmp + ")", operands -> {
            List<Built> in = tameEach(operands);
            Tensor p = in.get(0).t();
            Tensor q = in.get(1).t();
            Tensor mask = switch (cmp) {
                case "gt" -> p.gt(q);
                case "ge" -> p.ge(q);
                case "lt" -> p.lt(q);
                case "le" -> p.le(q);
                case "eq" -> p.eq(q);
                default -> throw new IllegalArgumentException(cmp);
            };
            Built a = in.get(2);
            Built b = in.get(3);
            return new Built(Functional.where(mask, a.t(), b.t()), Math.max(a.bound(), b.bound()));
        });
    }

    // ---- views ------------------------------------------------------------------------------------

    static Step expand(Shape to) {
        return unary("expand(" + to + ")", u -> new Built(u.t().expand(to), u.bound()));
    }

    static Step reshape(Shape to) {
        return unary("reshape(" + to + ")", u -> new Built(u.t().reshape(to), u.bound()));
    }

    static Step transpose() {
        return unary("transpose", u -> new Built(u.t().transpose(), u.bound()));
    }

    // ---- reductions ----------------------------------------------------------------------------

    /** kind: sum, mean, max or logSumExp; axis may be negative. */
    static Step reduce(String kind, int axis, boolean keepdim) {
        return unary(kind + "(axis=" + axis + (keepdim ? ", keepdim" : "") + ")", u -> {
            Built v = tame(u);
            int n = v.t().shape().dim(v.t().shape().axis(axis));
            return switch (kind) {
                case "sum" -> new Built(v.t().sum(axis, keepdim), n * v.bound());
                case "mean" -> new Built(v.t().mean(axis, keepdim), v.bound());
                case "max" -> new Built(v.t().max(axis, keepdim), v.bound());
                case "min" -> new Built(v.t().min(axis, keepdim), v.bound());
                case "norm" -> new Built(Functional.norm(v.t(), axis, keepdim), Math.sqrt(n) * v.bound());
                case "logSumExp" -> new Built(Functional.logSumExp(v.t(), axis, keepdim), v.bound() + Math.log(n));
                default -> throw new IllegalArgumentException(kind);
            };
        });
    }

    static Step sumAll() {
        return unary("sumAll", u -> new Built(tame(u).t().sum(), u.t().shape().numel() * tame(u).bound()));
    }

    static Step meanAll() {
        return unary("meanAll", u -> new Built(tame(u).t().mean(), tame(u).bound()));
    }

    // ---- matrix products and labels -------------------------------------------------------------

    static Step matmul() {
        return binary("matmul", (a, b) -> new Built(a.t().matmul(b.t()), a.t().shape().dim(1) * a.bound() * b.bound()));
    }

    /** linear(x, W) or linear(x, W, bias): children x [N, D], W [C, D] (and bias [C]). */
    static Step linear(boolean bias) {
        return new Step(bias ? "linear+bias" : "linear", in -> {
            Built x = tame(in.get(0));
            Built w = tame(in.get(1));
            double bound = x.t().shape().dim(1) * x.bound() * w.bound();
            if (!bias) {
                return new Built(Functional.linear(x.t(), w.t()), bound);
            }
            Built b = tame(in.get(2));
            return new Built(Functional.linear(x.t(), w.t(), b.t()), bound + b.bound());
        });
    }

    /** crossEntropy(logits, labels): children logits [N, C] and integer labels [N]. */
    static Step crossEntropy() {
        return new Step("crossEntropy", in -> {
            Built logits = tame(in.get(0));
            return new Built(Functional.crossEntropy(logits.t(), in.get(1).t()),
                    2 * logits.bound() + Math.log(logits.t().shape().dim(1)));
        });
    }

    /** x·xᵀ (or xᵀ·x): one matrix is both operands of a product, a Gram matrix. */
    static Step gram(boolean leftTransposed) {
        return unary(leftTransposed ? "gram(xᵀ·x)" : "gram(x·xᵀ)", u -> {
            Built v = tame(u);
            Tensor x = v.t();
            int k = x.shape().dim(leftTransposed ? 0 : 1);
            return new Built(leftTransposed ? x.transpose().matmul(x) : x.matmul(x.transpose()), k * v.bound() * v.bound());
        });
    }

    /** |xᵢ|² + |xⱼ|² − 2 xᵢ·xⱼ over the rows of x [N, K]: the distance matrix of pairwise losses. */
    static Step squaredDistances() {
        return unary("squaredDistances", u -> {
            Built v = tame(u);
            Tensor x = v.t();
            Tensor sq = x.mul(x).sum(1, true);
            int k = x.shape().dim(1);
            return new Built(sq.add(sq.transpose()).sub(x.matmul(x.transpose()).scale(2)), 4 * k * v.bound() * v.bound());
        });
    }

    /**
     * where(yᵢ = yⱼ, a, b) with the label-equality mask as pairwise losses build it: comparing the
     * integer labels directly, y.reshape(n, 1).eq(y.reshape(1, n)), or as oneHot(y)·oneHot(y)ᵀ.
     */
    static Step sameLabel(int classes, boolean direct) {
        return new Step("sameLabel<" + classes + (direct ? ", eq" : ", oneHot") + ">", in -> {
            Tensor y = in.get(0).t();
            int n = y.shape().dim(0);
            Tensor same = direct ? y.reshape(n, 1).eq(y.reshape(1, n)) : gramOf(Functional.oneHot(y, classes));
            List<Built> ab = tameEach(in.subList(1, 3));
            return new Built(Functional.where(same, ab.get(0).t(), ab.get(1).t()),
                    Math.max(ab.get(0).bound(), ab.get(1).bound()));
        });
    }

    /** h·hᵀ with h one node read twice by the product (the GEMM reads one buffer as both operands). */
    private static Tensor gramOf(Tensor h) {
        return h.matmul(h.transpose());
    }

    /** gather(x, labels): children x S + [C] and integer labels S. */
    static Step gather() {
        return new Step("gather", in -> {
            Built x = tame(in.get(0));
            return new Built(Functional.gather(x.t(), in.get(1).t()), x.bound());
        });
    }
}
