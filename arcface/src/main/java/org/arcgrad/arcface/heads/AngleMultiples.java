package org.arcgrad.arcface.heads;

import static org.arcgrad.autodiff.Functional.cosAdd;

import org.arcgrad.autodiff.Functional;
import org.arcgrad.autodiff.Tensor;

/**
 * Functions of an integer multiple of the angle θ, from c = cos θ alone, without acos: the
 * multiplicative margins of SphereFace and of the combined margin with integer m1. Chebyshev
 * polynomials are identities on all of θ ∈ [0, π], so no branch on θ is needed:
 *
 * <pre>
 * cos(mθ) = T_m(c)                 T_0 = 1, T_1 = c, T_{n+1} = 2c·T_n − T_{n−1}
 * sin(mθ) = sin θ · U_{m−1}(c)     U_0 = 1, U_1 = 2c, U_{n+1} = 2c·U_n − U_{n−1}
 * </pre>
 *
 * The three-term recurrence, not the expanded power form, is what gets recorded: it is the stable
 * way to evaluate these polynomials in fp32 on a device, and it stays short (three ops a degree).
 */
public final class AngleMultiples {
    private AngleMultiples() {
    }

    /** cos(mθ) = T_m(c) for an integer m ≥ 0. */
    public static Tensor cosMultiple(Tensor c, int m) {
        return chebyshev(c, m, false);
    }

    /**
     * U_n(c), the Chebyshev polynomial of the second kind: sin((n + 1)θ) / sin θ for an integer
     * n ≥ 0.
     */
    public static Tensor chebyshevU(Tensor c, int n) {
        return chebyshev(c, n, true);
    }

    /**
     * cos(mθ + a) for an integer m ≥ 1 and a constant angle a:
     * T_m(c)·cos a − sin θ·U_{m−1}(c)·sin a, with sin θ = sqrt(clamp(1 − c², 1e-12, 1)) as in
     * {@link Functional#cosAdd}, so the gradient stays finite at c = ±1 (where the true one, for
     * a ≠ 0, is infinite). For m = 1 this is exactly {@code cosAdd(c, a)}, which is used.
     */
    public static Tensor cosMultipleAdd(Tensor c, int m, double a) {
        requireDegree(m, 1);
        if (m == 1) {
            return cosAdd(c, a);
        }
        Tensor cosine = cosMultiple(c, m);
        if (a == 0) {
            return cosine;
        }
        Tensor sineTheta = c.square().rsub(1).clamp(Functional.COS_ADD_RADICAND_EPS, 1).sqrt();
        Tensor sine = sineTheta.mul(chebyshevU(c, m - 1));
        return cosine.scale(Math.cos(a)).sub(sine.scale(Math.sin(a)));
    }

    /** T_n, or U_n when {@code secondKind}: P_{k+1} = 2c·P_k − P_{k−1} from P_0 = 1 and P_1 = c or 2c. */
    private static Tensor chebyshev(Tensor c, int n, boolean secondKind) {
        requireDegree(n, 0);
        if (n == 0) {
            return c.tape().full(c.shape(), 1);
        }
        if (n == 1 && !secondKind) {
            return c;
        }
        Tensor twoC = c.scale(2);
        Tensor previous = c.tape().constant(1);
        Tensor current = secondKind ? twoC : c;
        for (int k = 1; k < n; k++) {
            Tensor next = twoC.mul(current).sub(previous);
            previous = current;
            current = next;
        }
        return current;
    }

    private static void requireDegree(int n, int min) {
        if (n < min) {
            throw new IllegalArgumentException("Chebyshev degree must be ≥ " + min + ", got " + n);
        }
    }
}
