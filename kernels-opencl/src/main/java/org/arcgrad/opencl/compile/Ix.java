package org.arcgrad.opencl.compile;

/**
 * A symbolic, non-negative integer index expression of generated kernels, with the folding that
 * keeps the emitted C readable: constants fold, x·1 and x+0 vanish, x / d or x % d simplify
 * when x's known upper bound is at most d, the terms of a sum that are multiples of d leave
 * the division or the remainder, and so do the coarse terms of a sum whose fine rest stays below
 * their common unit (see {@link Coarse}), and (x / d)·d + x % d is x. Every expression knows an
 * exclusive upper bound.
 */
abstract class Ix {
    /** Exclusive upper bound of the value; Long.MAX_VALUE when unknown. */
    final long bound;

    private Ix(long bound) {
        this.bound = bound;
    }

    abstract String c();

    @Override
    public String toString() {
        return c();
    }

    static Ix constant(long v) {
        return new Const(v);
    }

    /** A variable with values in [0, bound). */
    static Ix var(String name, long bound) {
        return new Var(name, bound);
    }

    /**
     * The coefficient c such that this expression is (terms without {@code var}) + c·var, or null
     * when {@code var} sits inside a division or remainder (then the expression is not affine in it).
     */
    abstract Long coefficientOf(String var);

    boolean isConst(long v) {
        return this instanceof Const k && k.value == v;
    }

    Ix times(long k) {
        if (k == 0 || isConst(0)) {
            return constant(0);
        }
        if (k == 1) {
            return this;
        }
        if (this instanceof Const c) {
            return constant(c.value * k);
        }
        return new Bin(this, "*", constant(k), mulBound(bound, k));
    }

    Ix plus(Ix o) {
        if (isConst(0)) {
            return o;
        }
        if (o.isConst(0)) {
            return this;
        }
        if (this instanceof Const a && o instanceof Const b) {
            return constant(a.value + b.value);
        }
        Ix joined = rejoined(this, o);
        if (joined != null) {
            return joined;
        }
        long b = bound == Long.MAX_VALUE || o.bound == Long.MAX_VALUE ? Long.MAX_VALUE : bound + o.bound - 1;
        return new Bin(this, "+", o, b);
    }

    Ix div(long d) {
        if (d == 1) {
            return this;
        }
        if (bound <= d) {
            return constant(0);
        }
        if (this instanceof Const c) {
            return constant(c.value / d);
        }
        Terms t = Terms.of(this, d);
        if (t.multiples != null) {
            return t.multiples.plus(t.rest.div(d)); // (m·d + r) / d = m + r / d for r ≥ 0
        }
        Coarse k = Coarse.of(this, d);
        if (k != null) {
            return k.coarse.div(d / k.unit); // (s·u + r) / d = s / (d / u) when u divides d and r < u
        }
        return new Bin(this, "/", constant(d), (bound + d - 1) / d);
    }

    Ix mod(long d) {
        if (d == 1) {
            return constant(0);
        }
        if (bound <= d) {
            return this;
        }
        if (this instanceof Const c) {
            return constant(c.value % d);
        }
        Terms t = Terms.of(this, d);
        if (t.multiples != null) {
            return t.rest.mod(d); // (m·d + r) % d = r % d
        }
        Coarse k = Coarse.of(this, d);
        if (k != null) {
            return k.coarse.mod(d / k.unit).times(k.unit).plus(k.fine); // (s·u + r) % d = (s % (d / u))·u + r
        }
        return new Bin(this, "%", constant(d), d);
    }

    /**
     * A sum split by a divisor d: the terms that are multiples of d, as their sum divided by d
     * (null when there are none), and the sum of the others. A view read through reshapes (a
     * row-major index split into axes and joined again) divides sums like row·784 + y·28 + x by
     * 784; keeping the multiples out of the division lets y·28 + x, whose bound is 784, vanish
     * from it, so that the index stays affine in the column and vector lanes can follow it.
     */
    private record Terms(Ix multiples, Ix rest) {
        static Terms of(Ix x, long d) {
            java.util.List<Ix> terms = new java.util.ArrayList<>();
            flatten(x, terms);
            Ix multiples = null;
            Ix rest = constant(0);
            for (Ix term : terms) {
                Ix quotient = exactQuotient(term, d);
                if (quotient != null) {
                    multiples = multiples == null ? quotient : multiples.plus(quotient);
                } else {
                    rest = rest.plus(term);
                }
            }
            return new Terms(multiples, rest);
        }

        static void flatten(Ix x, java.util.List<Ix> into) {
            if (x instanceof Bin b && b.op.equals("+")) {
                flatten(b.a, into);
                flatten(b.b, into);
            } else {
                into.add(x);
            }
        }

        /** term / d when term is a non-negative multiple of d (a constant, or something times a constant), else null. */
        private static Ix exactQuotient(Ix term, long d) {
            if (term instanceof Const c) {
                return c.value >= 0 && c.value % d == 0 ? constant(c.value / d) : null;
            }
            if (term instanceof Bin b && b.op.equals("*") && b.b instanceof Const k && k.value > 0 && k.value % d == 0) {
                return b.a.times(k.value / d);
            }
            return null;
        }
    }

    /**
     * a + b with a term (x / d)·d of one and a term x % d of either joined into x (for x ≥ 0 they
     * sum to x), or null when there is no such pair. An axis split into two and read back
     * row-major (the [N, 49] plane of a 7×7 layer seen as [N, 7, 7] and flattened again) is then
     * the column itself, which vector lanes can follow.
     */
    private static Ix rejoined(Ix a, Ix b) {
        java.util.List<Ix> terms = new java.util.ArrayList<>();
        Terms.flatten(a, terms);
        Terms.flatten(b, terms);
        for (int i = 0; i < terms.size(); i++) {
            if (terms.get(i) instanceof Bin t && t.op.equals("*") && t.a instanceof Bin q && q.op.equals("/")
                    && t.b instanceof Const k && q.b instanceof Const d && k.value == d.value) {
                for (int j = 0; j < terms.size(); j++) {
                    if (terms.get(j) instanceof Bin r && r.op.equals("%") && r.b instanceof Const e && e.value == d.value
                            && r.a.c().equals(q.a.c())) {
                        Ix sum = constant(0);
                        for (int m = 0; m < terms.size(); m++) {
                            if (m == Math.min(i, j)) {
                                sum = sum.plus(q.a); // x where the first of the pair was: the order of terms stays
                            } else if (m != Math.max(i, j)) {
                                sum = sum.plus(terms.get(m));
                            }
                        }
                        return sum;
                    }
                }
            }
        }
        return null;
    }

    /**
     * A sum split, for a divisor d, into terms that are multiples of a unit u dividing d (their sum
     * s·u, kept as s) and terms whose sum r stays below u. Then (s·u + r) / d = s / (d / u) and
     * (s·u + r) % d = (s % (d / u))·u + r. This is the index of a 2-D launch whose column runs over
     * several trailing axes (row·196 + col with col < 196, divided by 6272 = 196·32, is row / 32),
     * which the multiples rule alone (each term a multiple of d) leaves as a division.
     */
    private record Coarse(Ix coarse, long unit, Ix fine) {
        static Coarse of(Ix x, long d) {
            java.util.List<Ix> terms = new java.util.ArrayList<>();
            Terms.flatten(x, terms);
            long unit = 0;
            java.util.List<Ix> scaled = new java.util.ArrayList<>();
            Ix fine = constant(0);
            for (Ix term : terms) {
                long g = term instanceof Bin b && b.op.equals("*") && b.b instanceof Const k && k.value > 0
                        ? gcd(k.value, d) : 1;
                if (g > 1) {
                    unit = gcd(unit, g);
                    scaled.add(term);
                } else {
                    fine = fine.plus(term);
                }
            }
            if (unit <= 1 || fine.bound > unit) {
                return null;
            }
            Ix coarse = constant(0);
            for (Ix term : scaled) {
                Bin b = (Bin) term;
                coarse = coarse.plus(b.a.times(((Const) b.b).value / unit));
            }
            return new Coarse(coarse, unit, fine);
        }

        private static long gcd(long a, long b) {
            return b == 0 ? a : gcd(b, a % b);
        }
    }

    private static long mulBound(long b, long k) {
        return b == Long.MAX_VALUE || b > Long.MAX_VALUE / k ? Long.MAX_VALUE : (b - 1) * k + 1;
    }

    private static final class Const extends Ix {
        final long value;

        Const(long value) {
            super(value + 1);
            this.value = value;
        }

        @Override
        String c() {
            return Long.toString(value);
        }

        @Override
        Long coefficientOf(String var) {
            return 0L;
        }
    }

    private static final class Var extends Ix {
        final String name;

        Var(String name, long bound) {
            super(bound);
            this.name = name;
        }

        @Override
        String c() {
            return name;
        }

        @Override
        Long coefficientOf(String var) {
            return name.equals(var) ? 1L : 0L;
        }
    }

    private static final class Bin extends Ix {
        final Ix a;
        final String op;
        final Ix b;

        Bin(Ix a, String op, Ix b, long bound) {
            super(bound);
            this.a = a;
            this.op = op;
            this.b = b;
        }

        @Override
        String c() {
            return "(" + a.c() + op + b.c() + ")";
        }

        @Override
        Long coefficientOf(String var) {
            Long ca = a.coefficientOf(var);
            Long cb = b.coefficientOf(var);
            if (ca == null || cb == null) {
                return null;
            }
            return switch (op) {
                case "+" -> ca + cb;
                case "*" -> b instanceof Const k ? ca * k.value : (ca == 0 && cb == 0 ? 0L : null);
                default -> ca == 0 && cb == 0 ? 0L : null; // '/' and '%' of something that varies: not affine
            };
        }
    }
}
