package org.arcgrad.opencl.compile;

/**
 * A symbolic, non-negative integer index expression of generated kernels, with the folding that
 * keeps the emitted C readable: constants fold, x·1 and x+0 vanish, and x / d or x % d simplify
 * when x's known upper bound is at most d. Every expression knows an exclusive upper bound.
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
        return new Bin(this, "%", constant(d), d);
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
