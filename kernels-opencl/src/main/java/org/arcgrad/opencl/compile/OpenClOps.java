package org.arcgrad.opencl.compile;

import java.util.EnumMap;
import java.util.Map;
import org.arcgrad.autodiff.Op;

/**
 * The OpenCL C rendering of each elementwise op, in one table keyed by {@link Op} (the other
 * facts of each op live in Op itself; autodiff may not know OpenCL). Operands arrive as names of
 * fp32 locals, so repeating one is free. Semantics match the fp64 reference: NaN passes through
 * clamp and comparisons are 0/1 masks; nothing uses fast-math builtins that drop NaN (fmin/fmax).
 */
final class OpenClOps {
    /** Renders one op from its operands' C names and its scalar attributes. */
    @FunctionalInterface
    interface Rendering {
        String apply(String[] x, double[] p);
    }

    static final Map<Op, Rendering> ELEMENTWISE = table();

    private OpenClOps() {
    }

    private static Map<Op, Rendering> table() {
        Map<Op, Rendering> t = new EnumMap<>(Op.class);
        t.put(Op.NEG, (x, p) -> "(-" + x[0] + ")");
        t.put(Op.EXP, (x, p) -> "exp(" + x[0] + ")");
        t.put(Op.LOG, (x, p) -> "log(" + x[0] + ")");
        t.put(Op.SQRT, (x, p) -> "sqrt(" + x[0] + ")");
        t.put(Op.COS, (x, p) -> "cos(" + x[0] + ")");
        t.put(Op.SIN, (x, p) -> "sin(" + x[0] + ")");
        t.put(Op.ACOS, (x, p) -> "acos(" + x[0] + ")");
        t.put(Op.SCALE, (x, p) -> "(" + x[0] + "*" + literal(p[0]) + ")");
        t.put(Op.POW, OpenClOps::pow);
        t.put(Op.CLAMP, OpenClOps::clamp);
        t.put(Op.DETACH, (x, p) -> x[0]);
        t.put(Op.ABS, (x, p) -> "fabs(" + x[0] + ")");
        t.put(Op.LOG1P, (x, p) -> "log1p(" + x[0] + ")");
        // an integer operand was converted to float where it was loaded
        t.put(Op.TO_FLOAT, (x, p) -> x[0]);
        // conditionals, not fmax/fmin, which return the other operand of a NaN
        t.put(Op.MAXIMUM, (x, p) -> "((" + x[0] + ">" + x[1] + "||isnan(" + x[0] + "))?" + x[0] + ":" + x[1] + ")");
        t.put(Op.MINIMUM, (x, p) -> "((" + x[0] + "<" + x[1] + "||isnan(" + x[0] + "))?" + x[0] + ":" + x[1] + ")");
        t.put(Op.ADD, (x, p) -> "(" + x[0] + "+" + x[1] + ")");
        t.put(Op.SUB, (x, p) -> "(" + x[0] + "-" + x[1] + ")");
        t.put(Op.MUL, (x, p) -> "(" + x[0] + "*" + x[1] + ")");
        t.put(Op.DIV, (x, p) -> "(" + x[0] + "/" + x[1] + ")");
        t.put(Op.GT, (x, p) -> mask(x[0] + ">" + x[1]));
        t.put(Op.GE, (x, p) -> mask(x[0] + ">=" + x[1]));
        t.put(Op.LT, (x, p) -> mask(x[0] + "<" + x[1]));
        t.put(Op.LE, (x, p) -> mask(x[0] + "<=" + x[1]));
        t.put(Op.EQ, (x, p) -> mask(x[0] + "==" + x[1]));
        t.put(Op.WHERE, (x, p) -> "(" + x[0] + "!=0.0f?" + x[1] + ":" + x[2] + ")");
        return t;
    }

    /**
     * The rendering of {@code op} on vector operands (every operand a {@code floatN}). Arithmetic
     * and the math builtins read alike on vectors; comparisons give -1/0 integer vectors, so masks,
     * where and clamp go through select, and pown wants an integer vector exponent.
     */
    static String vector(Op op, String[] x, double[] p, Lanes lanes) {
        return switch (op) {
            case GT -> lanes.mask(x[0] + ">" + x[1]);
            case GE -> lanes.mask(x[0] + ">=" + x[1]);
            case LT -> lanes.mask(x[0] + "<" + x[1]);
            case LE -> lanes.mask(x[0] + "<=" + x[1]);
            case EQ -> lanes.mask(x[0] + "==" + x[1]);
            case WHERE -> "select(" + x[2] + "," + x[1] + "," + x[0] + "!=0.0f)";
            case MAXIMUM -> "select(" + x[1] + "," + x[0] + ",(" + x[0] + ">" + x[1] + ")|isnan(" + x[0] + "))";
            case MINIMUM -> "select(" + x[1] + "," + x[0] + ",(" + x[0] + "<" + x[1] + ")|isnan(" + x[0] + "))";
            case CLAMP -> vclamp(x[0], p, lanes);
            case POW -> vpow(x, p, lanes);
            default -> ELEMENTWISE.get(op).apply(x, p);
        };
    }

    /** The scalar forms of the special powers read alike on vectors; pown and pow need vector exponents. */
    private static String vpow(String[] x, double[] p, Lanes lanes) {
        double e = p[0];
        if (e == 2 || e == 0.5 || e == -0.5 || e == -1.5 || e == 1.5 || e == -1) {
            return pow(x, p);
        }
        if (e == Math.rint(e) && Math.abs(e) < 1 << 20) {
            return "pown(" + x[0] + ",(" + lanes.ints() + ")(" + (int) e + "))";
        }
        return "pow(" + x[0] + "," + lanes.splat(literal(e)) + ")";
    }

    private static String vclamp(String x, double[] p, Lanes lanes) {
        String v = x;
        if (p[1] != Double.POSITIVE_INFINITY) {
            v = "select(" + v + "," + lanes.splat(literal(p[1])) + "," + x + ">" + literal(p[1]) + ")";
        }
        if (p[0] != Double.NEGATIVE_INFINITY) {
            v = "select(" + v + "," + lanes.splat(literal(p[0])) + "," + x + "<" + literal(p[0]) + ")";
        }
        return v;
    }

    private static String mask(String condition) {
        return "((" + condition + ")?1.0f:0.0f)";
    }

    /** Exact special cases first: OpenCL's pow is undefined for a negative base, pown is not. */
    private static String pow(String[] x, double[] p) {
        double e = p[0];
        if (e == 2) {
            return "(" + x[0] + "*" + x[0] + ")";
        }
        if (e == 0.5) {
            return "sqrt(" + x[0] + ")";
        }
        if (e == -0.5) {
            return "rsqrt(" + x[0] + ")";
        }
        if (e == -1.5) {
            return "(rsqrt(" + x[0] + ")/" + x[0] + ")";
        }
        if (e == 1.5) {
            return "(sqrt(" + x[0] + ")*" + x[0] + ")";
        }
        if (e == -1) {
            return "(1.0f/" + x[0] + ")";
        }
        if (e == Math.rint(e) && Math.abs(e) < 1 << 20) {
            return "pown(" + x[0] + "," + (int) e + ")";
        }
        return "pow(" + x[0] + "," + literal(e) + ")";
    }

    /** Conditionals, not fmin/fmax, so NaN passes through; an infinite bound is left out. */
    private static String clamp(String[] x, double[] p) {
        String v = x[0];
        if (p[1] != Double.POSITIVE_INFINITY) {
            v = "(" + x[0] + ">" + literal(p[1]) + "?" + literal(p[1]) + ":" + v + ")";
        }
        if (p[0] != Double.NEGATIVE_INFINITY) {
            v = "(" + x[0] + "<" + literal(p[0]) + "?" + literal(p[0]) + ":" + v + ")";
        }
        return v;
    }

    /** An fp32 C literal; infinities and NaN by their OpenCL macros. */
    static String literal(double v) {
        if (Double.isNaN(v)) {
            return "NAN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "INFINITY" : "(-INFINITY)";
        }
        float f = (float) v;
        String s = Float.toString(Math.abs(f)) + "f";
        return f < 0 || (f == 0 && 1 / f < 0) ? "(-" + s + ")" : s;
    }
}
