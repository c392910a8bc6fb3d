package org.arcgrad.opencl.compile;

/**
 * A symbolic, non-negative integer index expression of generated kernels, with the folding that
 * keeps the emitted C readable: constants fold, x·1 and x+0 vanish, x / d or x % d simplify
 * when x's known upper bound is at most d, and the terms of a sum that are multiples of d leave
 * the division or the remainder. Every expression knows an exclusive upper bound.
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

        private static void flatten(Ix x, java.util.List<Ix> into) {
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
