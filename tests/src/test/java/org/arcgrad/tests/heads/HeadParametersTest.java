package org.arcgrad.tests.heads;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.arcgrad.arcface.heads.ArcFace;
import org.arcgrad.arcface.heads.CombinedMargin;
import org.arcgrad.arcface.heads.CosFace;
import org.arcgrad.arcface.heads.SphereFace;
import org.arcgrad.arcface.heads.SubCenterArcFace;
import org.arcgrad.autodiff.Tape;
import org.arcgrad.autodiff.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Out-of-range parameters fail at construction, with a message naming the head and the parameter. */
class HeadParametersTest {
    private static final double NAN = Double.NaN;
    private static final double INF = Double.POSITIVE_INFINITY;

    @Test
    void arcFace() {
        for (double s : new double[] {0, -1, NAN, INF}) {
            rejects("ArcFace: s must be", () -> new ArcFace(s, 0.5, false));
        }
        // π/2 and above (30 is degrees given for radians) leave an aligned sample no better than an orthogonal class
        for (double m : new double[] {-0.1, Math.PI / 2, 30, NAN}) {
            rejects("ArcFace: m must be in [0, π/2)", () -> new ArcFace(30, m, false));
            rejects("ArcFace: m must be in [0, π/2)", () -> new ArcFace(30, m, true));
        }
        assertDoesNotThrow(() -> new ArcFace(30, 0, false));
        assertDoesNotThrow(() -> new ArcFace(30, Math.nextDown(Math.PI / 2), false));
    }

    @Test
    void cosFace() {
        for (double s : new double[] {0, -30, NAN, INF}) {
            rejects("CosFace: s must be", () -> new CosFace(s, 0.4));
        }
        for (double m : new double[] {-0.01, 1, 40, NAN}) {
            rejects("CosFace: m must be in [0, 1)", () -> new CosFace(30, m));
        }
        assertDoesNotThrow(() -> new CosFace(30, 0));
        assertDoesNotThrow(() -> new CosFace(30, 0.99));
    }

    @Test
    void sphereFace() {
        rejects("SphereFace: m must be an integer ≥ 1", () -> new SphereFace(0, 0));
        rejects("SphereFace: m must be an integer ≥ 1", () -> new SphereFace(-4, 0));
        rejects("SphereFace: iter must be an integer ≥ 0", () -> new SphereFace(4, -1));
        assertDoesNotThrow(() -> new SphereFace(1, 0));
    }

    @Test
    void combinedMargin() {
        for (double s : new double[] {0, -64, NAN, INF}) {
            rejects("CombinedMargin: s must be", () -> new CombinedMargin(s, 1, 0.3, 0.2));
        }
        for (double m1 : new double[] {0, -1, NAN, INF}) {
            rejects("CombinedMargin: m1 must be in (0, ∞)", () -> new CombinedMargin(64, m1, 0.3, 0.2));
        }
        for (double m2 : new double[] {-0.1, Math.PI / 2, NAN}) {
            rejects("CombinedMargin: m2 must be in [0, π/2)", () -> new CombinedMargin(64, 1, m2, 0));
        }
        for (double m3 : new double[] {-0.1, Math.cos(0.3), 1, NAN}) {
            rejects("CombinedMargin: m3 must be in [0, cos m2)", () -> new CombinedMargin(64, 1, 0.3, m3));
        }
        assertDoesNotThrow(() -> new CombinedMargin(64, 0.9, 0.4, 0.15));
        assertDoesNotThrow(() -> new CombinedMargin(64, 1, 0, Math.nextDown(1.0)));
    }

    @Test
    void subCenterArcFace() {
        rejects("SubCenterArcFace: s must be", () -> new SubCenterArcFace(0, 0.5, false, 3));
        rejects("SubCenterArcFace: m must be in [0, π/2)", () -> new SubCenterArcFace(30, 2, false, 3));
        rejects("SubCenterArcFace: K must be an integer ≥ 1", () -> new SubCenterArcFace(30, 0.5, false, 0));
        Tape tape = new Tape();
        Tensor x = tape.param("x", 2, 4);
        Tensor w = tape.param("w", 7, 4);
        Tensor y = tape.labels("y", 2);
        rejects("SubCenterArcFace: W has 7 rows, not a multiple of K = 3", () -> new SubCenterArcFace().logits(x, w, y));
    }

    private static void rejects(String messageStart, Executable construction) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, construction);
        assertTrue(e.getMessage().startsWith(messageStart), e.getMessage());
    }
}
