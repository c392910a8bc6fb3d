package org.arcgrad.opencl.compile;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.arcgrad.autodiff.Op;
import org.junit.jupiter.api.Test;

/** The C spelling of constants and of the special powers and clamps, where a wrong spelling is still valid C. */
class OpenClOpsTest {
    @Test
    void literalsKeepSignZeroAndNonFiniteValues() {
        assertEquals("1.5f", OpenClOps.literal(1.5));
        assertEquals("(-1.5f)", OpenClOps.literal(-1.5));
        assertEquals("0.0f", OpenClOps.literal(0.0));
        assertEquals("(-0.0f)", OpenClOps.literal(-0.0));
        assertEquals("1.0E-12f", OpenClOps.literal(1e-12));
        assertEquals("NAN", OpenClOps.literal(Double.NaN));
        assertEquals("INFINITY", OpenClOps.literal(Double.POSITIVE_INFINITY));
        assertEquals("(-INFINITY)", OpenClOps.literal(Double.NEGATIVE_INFINITY));
    }

    @Test
    void powersTakeExactFormsFirst() {
        String[] x = {"a"};
        assertEquals("(a*a)", OpenClOps.ELEMENTWISE.get(Op.POW).apply(x, new double[] {2}));
        assertEquals("sqrt(a)", OpenClOps.ELEMENTWISE.get(Op.POW).apply(x, new double[] {0.5}));
        assertEquals("rsqrt(a)", OpenClOps.ELEMENTWISE.get(Op.POW).apply(x, new double[] {-0.5}));
        assertEquals("(rsqrt(a)/a)", OpenClOps.ELEMENTWISE.get(Op.POW).apply(x, new double[] {-1.5}));
        assertEquals("(sqrt(a)*a)", OpenClOps.ELEMENTWISE.get(Op.POW).apply(x, new double[] {1.5}));
        assertEquals("(1.0f/a)", OpenClOps.ELEMENTWISE.get(Op.POW).apply(x, new double[] {-1}));
        assertEquals("pown(a,3)", OpenClOps.ELEMENTWISE.get(Op.POW).apply(x, new double[] {3}));
        assertEquals("pow(a,2.5f)", OpenClOps.ELEMENTWISE.get(Op.POW).apply(x, new double[] {2.5}));
        Lanes lanes = new Lanes(4, "c");
        assertEquals("(a*a)", OpenClOps.vector(Op.POW, x, new double[] {2}, lanes));
        assertEquals("rsqrt(a)", OpenClOps.vector(Op.POW, x, new double[] {-0.5}, lanes));
        assertEquals("(rsqrt(a)/a)", OpenClOps.vector(Op.POW, x, new double[] {-1.5}, lanes));
        assertEquals("(sqrt(a)*a)", OpenClOps.vector(Op.POW, x, new double[] {1.5}, lanes));
        assertEquals("sqrt(a)", OpenClOps.vector(Op.POW, x, new double[] {0.5}, lanes));
        assertEquals("(1.0f/a)", OpenClOps.vector(Op.POW, x, new double[] {-1}, lanes));
        assertEquals("pown(a,(int4)(3))", OpenClOps.vector(Op.POW, x, new double[] {3}, lanes));
        assertEquals("pow(a,((float4)(2.5f)))", OpenClOps.vector(Op.POW, x, new double[] {2.5}, lanes));
    }

    @Test
    void clampsLeaveInfiniteBoundsOut() {
        String[] x = {"a"};
        Lanes lanes = new Lanes(4, "c");
        assertEquals("a", OpenClOps.ELEMENTWISE.get(Op.CLAMP).apply(x, new double[] {Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY}));
        assertEquals("(a>1.0f?1.0f:a)", OpenClOps.ELEMENTWISE.get(Op.CLAMP).apply(x, new double[] {Double.NEGATIVE_INFINITY, 1}));
        assertEquals("(a<0.0f?0.0f:a)", OpenClOps.ELEMENTWISE.get(Op.CLAMP).apply(x, new double[] {0, Double.POSITIVE_INFINITY}));
        assertEquals("a", OpenClOps.vector(Op.CLAMP, x, new double[] {Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY}, lanes));
        assertEquals("select(a,((float4)(1.0f)),a>1.0f)", OpenClOps.vector(Op.CLAMP, x, new double[] {Double.NEGATIVE_INFINITY, 1}, lanes));
        assertEquals("select(a,((float4)(0.0f)),a<0.0f)", OpenClOps.vector(Op.CLAMP, x, new double[] {0, Double.POSITIVE_INFINITY}, lanes));
        assertEquals("select(((float4)(0.0f)),((float4)(1.0f)),a>b)", OpenClOps.vector(Op.GT, new String[] {"a", "b"}, new double[0], lanes));
        assertEquals("select(b,a,m!=0.0f)", OpenClOps.vector(Op.WHERE, new String[] {"m", "a", "b"}, new double[0], lanes));
    }
}
