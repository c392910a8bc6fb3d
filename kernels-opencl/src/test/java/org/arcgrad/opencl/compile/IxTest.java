package org.arcgrad.opencl.compile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Index expressions: the C they render evaluates to the arithmetic they stand for, every value
 * lies below the expression's bound, the bounds are exact (the largest value plus one) where the
 * simplifications rely on them, and the folds happen where the class comment says.
 */
class IxTest {
    /** Evaluates rendered C: integers, names, and fully parenthesised (a op b). */
    private static long eval(String c, Map<String, Long> vars) {
        int[] at = {0};
        long v = parse(c, at, vars);
        assertEquals(c.length(), at[0], "trailing text in " + c);
        return v;
    }

    private static long parse(String c, int[] at, Map<String, Long> vars) {
        char ch = c.charAt(at[0]);
        if (ch == '(') {
            at[0]++;
            long a = parse(c, at, vars);
            char op = c.charAt(at[0]++);
            long b = parse(c, at, vars);
            assertEquals(')', c.charAt(at[0]++), c);
            return switch (op) {
                case '+' -> a + b;
                case '*' -> a * b;
                case '/' -> a / b;
                case '%' -> a % b;
                default -> throw new AssertionError("operator " + op + " in " + c);
            };
        }
        int start = at[0];
        while (at[0] < c.length() && (Character.isLetterOrDigit(c.charAt(at[0])) || c.charAt(at[0]) == '_')) {
            at[0]++;
        }
        String token = c.substring(start, at[0]);
        return Character.isDigit(token.charAt(0)) ? Long.parseLong(token) : vars.get(token);
    }

    /** A random expression over vars i < 7 and j < 5, with its value as a function of (i, j). */
    private record Expr(Ix ix, java.util.function.BiFunction<Long, Long, Long> value) {
    }

    private static Expr random(Random r, int depth) {
        if (depth == 0 || r.nextInt(4) == 0) {
            return switch (r.nextInt(3)) {
                case 0 -> new Expr(Ix.var("i", 7), (i, j) -> i);
                case 1 -> new Expr(Ix.var("j", 5), (i, j) -> j);
                default -> {
                    long k = r.nextInt(4);
                    yield new Expr(Ix.constant(k), (i, j) -> k);
                }
            };
        }
        Expr a = random(r, depth - 1);
        long k = 1 + r.nextInt(9);
        return switch (r.nextInt(4)) {
            case 0 -> {
                Expr b = random(r, depth - 1);
                yield new Expr(a.ix().plus(b.ix()), (i, j) -> a.value().apply(i, j) + b.value().apply(i, j));
            }
            case 1 -> {
                long f = r.nextBoolean() ? k : k - 1; // 0 and 1 too
                yield new Expr(a.ix().times(f), (i, j) -> a.value().apply(i, j) * f);
            }
            case 2 -> new Expr(a.ix().div(k), (i, j) -> a.value().apply(i, j) / k);
            default -> new Expr(a.ix().mod(k), (i, j) -> a.value().apply(i, j) % k);
        };
    }

    @Test
    void renderedIndicesEvaluateToTheirArithmeticAndStayBelowTheirBounds() {
        Random r = new Random(11);
        for (int n = 0; n < 2000; n++) {
            Expr e = random(r, 4);
            for (long i = 0; i < 7; i++) {
                for (long j = 0; j < 5; j++) {
                    long got = eval(e.ix().c(), Map.of("i", i, "j", j));
                    assertEquals(e.value().apply(i, j), got, e.ix().c() + " at i=" + i + ", j=" + j);
                    assertTrue(got < e.ix().bound, e.ix().c() + " = " + got + " at i=" + i + ", j=" + j + " is not below its bound " + e.ix().bound);
                }
            }
        }
    }

    @Test
    void boundsAreTheLargestValuePlusOne() {
        Ix i = Ix.var("i", 7);
        Ix j = Ix.var("j", 5);
        assertEquals(7, i.bound);
        assertEquals(4, Ix.constant(3).bound);
        assertEquals(11, i.plus(j).bound);
        assertEquals(19, i.times(3).bound);
        assertEquals(3, i.div(3).bound);
        assertEquals(2, Ix.var("j", 5).div(3).bound, "j < 5: j / 3 is at most 1");
        assertEquals(3, i.mod(3).bound);
        assertEquals(Long.MAX_VALUE, Ix.var("n", Long.MAX_VALUE).times(2).bound);
        assertEquals(Long.MAX_VALUE, Ix.var("n", Long.MAX_VALUE).plus(i).bound);
        long half = Long.MAX_VALUE / 2;
        assertEquals((half - 1) * 2 + 1, Ix.var("n", half).times(2).bound, "the largest bound that does not overflow");
        assertEquals(Long.MAX_VALUE, Ix.var("n", half + 1).times(2).bound);
    }

    @Test
    void foldsWhereTheBoundsAllow() {
        Ix i = Ix.var("i", 7);
        assertEquals("i", i.times(1).c());
        assertEquals("0", i.times(0).c());
        assertEquals("0", Ix.constant(0).times(5).c());
        assertEquals("12", Ix.constant(4).times(3).c());
        assertEquals("i", i.plus(Ix.constant(0)).c());
        assertEquals("i", Ix.constant(0).plus(i).c());
        assertEquals("7", Ix.constant(3).plus(Ix.constant(4)).c());
        assertEquals("(i+3)", i.plus(Ix.constant(3)).c());
        assertEquals("(i+3)", i.plus(Ix.constant(3)).toString());
        assertEquals("i", i.div(1).c());
        assertEquals("0", i.div(7).c(), "i < 7, so i / 7 is 0");
        assertEquals("(i/6)", i.div(6).c());
        assertEquals("2", Ix.constant(7).div(3).c());
        assertEquals("0", i.mod(1).c());
        assertEquals("i", i.mod(7).c(), "i < 7, so i % 7 is i");
        assertEquals("(i%6)", i.mod(6).c());
        assertEquals("1", Ix.constant(7).mod(3).c());
        assertTrue(Ix.constant(0).isConst(0));
        assertTrue(!i.isConst(0) && !Ix.constant(1).isConst(0));
    }

    /**
     * A [N, C, 28, 28] index joined row-major and split again by 784 (a reshape, then a permute
     * of [C, N, 784]): the multiples of 784 leave the division and the remainder, so the column
     * keeps coefficient 1 and vector lanes can follow it.
     */
    @Test
    void multiplesOfTheDivisorLeaveDivisionsAndRemainders() {
        Ix n = Ix.var("n", 256);
        Ix ch = Ix.var("ch", 16);
        Ix y = Ix.var("y", 28);
        Ix x = Ix.var("x", 28);
        Ix flat = n.times(12544).plus(ch.times(784)).plus(y.times(28)).plus(x);
        assertEquals("((n*16)+ch)", flat.div(784).c());
        assertEquals("((y*28)+x)", flat.mod(784).c());
        assertEquals("ch", flat.div(784).mod(16).c());
        Ix permuted = flat.div(784).mod(16).times(200704).plus(flat.div(12544).times(784)).plus(flat.mod(784));
        assertEquals(1L, permuted.coefficientOf("x"));
        // a term that is no multiple stays inside: (n·12544 + 5) / 784 is n·16 + 5/784 = n·16
        assertEquals("(n*16)", n.times(12544).plus(Ix.constant(5)).div(784).c());
        assertEquals("5", n.times(12544).plus(Ix.constant(5)).mod(784).c());
    }

    /**
     * A 2-D launch whose column covers two trailing axes of [256, 32, 14, 14]: the flat index
     * row·196 + col (col < 196) split into axes again. 196 divides the strides 6272 and 196, and
     * col stays below it, so the image and channel come from the row alone and the plane position
     * is the column itself: a read in [C, N, 196] order keeps coefficient 1 in col.
     */
    @Test
    void coarseTermsLeaveDivisionsWhenTheFineRestStaysBelowTheirUnit() {
        Ix row = Ix.var("row", 256 * 32);
        Ix col = Ix.var("col", 196);
        Ix flat = row.times(196).plus(col);
        assertEquals("(row/32)", flat.div(6272).c());
        assertEquals("(row%32)", flat.div(196).mod(32).c());
        assertEquals("col", flat.mod(196).c());
        assertEquals("(((row%32)*196)+col)", flat.mod(6272).c());
        Ix permuted = flat.div(196).mod(32).times(50176).plus(flat.div(6272).times(196)).plus(flat.mod(196));
        assertEquals(1L, permuted.coefficientOf("col"));
        // units that share only part of the divisor: (i·6 + j) / 4 with j < 2 is (i·3) / 2
        Ix i = Ix.var("i", 7);
        Ix j = Ix.var("j", 2);
        assertEquals("((i*3)/2)", i.times(6).plus(j).div(4).c());
        assertEquals("((((i*3)%2)*2)+j)", i.times(6).plus(j).mod(4).c());
        // an axis split in two and joined again is the axis: (x / 49)·49 + x % 49 = x, among other terms too
        Ix x = Ix.var("x", 12544);
        assertEquals("x", x.div(49).times(49).plus(x.mod(49)).c());
        assertEquals("((row*12544)+x)", row.times(12544).plus(x.div(49).times(49)).plus(x.mod(49)).c());
        assertEquals("((x%49)+(x/7))", x.mod(49).plus(x.div(7)).c(), "a different divisor stays");
        // a fine rest as large as the unit keeps the division
        assertEquals("(((i*6)+j)/4)", i.times(6).plus(Ix.var("j", 3)).div(4).c());
    }

    /**
     * The folds this file's random expressions rarely reach, drawn on purpose: sums of an axis
     * split and joined again ((x / d)·k + x % e, sometimes with k = d and e = d), of coarse terms
     * (y·u with u sharing factors with the divisor) and a fine rest, divided and reduced by random
     * divisors. Every rendering must evaluate to the arithmetic at every value of x and y.
     */
    @Test
    void splitJoinedAndCoarseSumsEvaluateToTheirArithmetic() {
        Random r = new Random(17);
        for (int n = 0; n < 3000; n++) {
            long xBound = 1 + r.nextInt(60);
            long yBound = 1 + r.nextInt(12);
            long d = 1 + r.nextInt(8);
            long k = r.nextBoolean() ? d : 1 + r.nextInt(8);
            long e = r.nextBoolean() ? d : 1 + r.nextInt(8);
            long u = 1 + r.nextInt(12);
            long fine = r.nextInt(3);
            long divisor = 1 + r.nextInt(r.nextBoolean() ? 16 : 200);
            Ix x = Ix.var("x", xBound);
            Ix y = Ix.var("y", yBound);
            Ix joined = r.nextBoolean() ? x.div(d).times(k).plus(x.mod(e)) : x.mod(e).plus(x.div(d).times(k));
            Ix sum = joined.plus(y.times(u)).plus(Ix.constant(fine));
            Ix quotient = sum.div(divisor);
            Ix remainder = sum.mod(divisor);
            for (long xv = 0; xv < xBound; xv++) {
                for (long yv = 0; yv < yBound; yv++) {
                    long value = (xv / d) * k + xv % e + yv * u + fine;
                    Map<String, Long> at = Map.of("x", xv, "y", yv);
                    String where = " at x=" + xv + ", y=" + yv + " (" + sum.c() + ")";
                    assertEquals(value, eval(sum.c(), at), sum.c() + where);
                    assertEquals(value / divisor, eval(quotient.c(), at), quotient.c() + where);
                    assertEquals(value % divisor, eval(remainder.c(), at), remainder.c() + where);
                    assertTrue(value < sum.bound && value / divisor < quotient.bound && value % divisor < remainder.bound, where);
                }
            }
        }
    }

    @Test
    void coefficientsOfAffineIndices() {
        Ix i = Ix.var("i", 7);
        Ix j = Ix.var("j", 5);
        Ix affine = i.times(4).plus(j).plus(Ix.constant(2));
        assertEquals(4L, affine.coefficientOf("i"));
        assertEquals(1L, affine.coefficientOf("j"));
        assertEquals(0L, affine.coefficientOf("k"));
        assertEquals(0L, Ix.constant(3).coefficientOf("i"));
        assertNull(i.div(3).coefficientOf("i"), "i / 3 is not affine in i");
        assertNull(i.mod(3).plus(j).coefficientOf("i"));
        assertEquals(0L, i.div(3).coefficientOf("j"), "i / 3 does not vary with j");
        assertEquals(0L, i.mod(3).times(2).coefficientOf("j"));
        assertNull(i.mod(3).times(2).coefficientOf("i"));
    }
}
