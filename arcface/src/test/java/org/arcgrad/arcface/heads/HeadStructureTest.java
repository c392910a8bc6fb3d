package org.arcgrad.arcface.heads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.arcgrad.autodiff.Op;
import org.arcgrad.autodiff.Tape;
import org.arcgrad.autodiff.Tensor;
import org.junit.jupiter.api.Test;

/**
 * What the heads promise about their own structure: integer m1 up to {@value CombinedMargin#MAX_CHEBYSHEV_M1}
 * takes Chebyshev polynomials with no acos node (the README's "no acos anywhere" except a
 * non-integer m1 or a larger one), Chebyshev degrees are checked, and the heads report the
 * parameters they were made with.
 */
class HeadStructureTest {
    private static boolean usesAcos(MarginHead head) {
        Tape tape = new Tape();
        head.logits(tape.param("x", 2, 3), tape.param("w", 4, 3), tape.labels("y", 2));
        return tape.nodes().stream().anyMatch(n -> n.op() == Op.ACOS);
    }

    @Test
    void integerM1UpToTheLimitTakesNoAcos() {
        assertFalse(usesAcos(new CombinedMargin(64, 1, 0.3, 0.2)));
        assertFalse(usesAcos(new CombinedMargin(64, 2, 0.3, 0.2)));
        assertFalse(usesAcos(new CombinedMargin(64, CombinedMargin.MAX_CHEBYSHEV_M1, 0.3, 0.2)));
        assertTrue(usesAcos(new CombinedMargin(64, CombinedMargin.MAX_CHEBYSHEV_M1 + 1, 0.3, 0.2)));
        assertTrue(usesAcos(new CombinedMargin(64, 0.9, 0.3, 0.2)));
        assertFalse(usesAcos(new ArcFace()));
        assertFalse(usesAcos(new SphereFace(4, 0)));
    }

    @Test
    void chebyshevDegreesBelowTheirMinimumAreRefused() {
        Tape tape = new Tape();
        Tensor c = tape.param("c", 3);
        assertEquals("Chebyshev degree must be ≥ 1, got 0",
                assertThrows(IllegalArgumentException.class, () -> AngleMultiples.cosMultipleAdd(c, 0, 0.5)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> AngleMultiples.chebyshevU(c, -1));
        assertThrows(IllegalArgumentException.class, () -> AngleMultiples.cosMultiple(c, -1));
    }

    @Test
    void headsReportTheirParameters() {
        ArcFace arc = new ArcFace(30, 0.5, true);
        assertEquals(Math.cos(Math.PI - 0.5), arc.th(), 0);
        assertEquals(Math.sin(Math.PI - 0.5) * 0.5, arc.mm(), 0);
        assertEquals(7, new SphereFace(4, 7).iter());
        assertEquals(4, new SphereFace(4, 7).m());
        assertEquals(5, new SubCenterArcFace(30, 0.5, false, 5).k());
        ArcMargin margin = new ArcMargin("test", 0.3, true);
        assertEquals(0.3, margin.m());
        assertTrue(margin.easyMargin());
        assertFalse(new ArcMargin("test", 0.3, false).easyMargin());
    }
}
