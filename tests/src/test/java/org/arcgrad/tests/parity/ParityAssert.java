package org.arcgrad.tests.parity;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.arcgrad.arcface.npy.NpyDType;
import org.arcgrad.tests.fixtures.ArcFaceFixture;

/**
 * Compares a backend's head outputs with a seed fixture. The bars are the issue's: relative error
 * ({@link Closeness}) at most {@code valueTol} for logits and loss and {@code gradTol} for
 * gradients. fp64 fixtures are held to these bars on every row, ±1 included (only where the seed's
 * gradient is NaN, at a cosine of exactly ±1, ours must instead be finite): there the one
 * difference is cosAdd's radicand clamp, which moves a logit by at most s·sin m·1e-6. Two kinds of
 * rows cannot meet the bars in fp32 and get their own, stated bounds on the device:
 * <ul>
 *   <li><b>Near ±1</b> (target cosine within 1e-3 of ±1, or any cosine exactly ±1): one ulp of
 *       cosine moves the target logit by s·sin m·sqrt(2·ulp), since d sqrt(1 − c²) is unbounded
 *       there. Their logits must be within s·sin m·sqrt(2·8·2⁻²⁴) (eight ulps of cosine) plus
 *       valueTol relative; their grad_x rows within gradTol + 8·2⁻²⁴ / (1 − |c|) relative (floored, as everywhere, at 1% of the whole
 *       array's largest entry, since these rows' gradients are sums that nearly cancel); where the
 *       seed's gradient is NaN, ours must only be finite.</li>
 *   <li><b>At a branch switch</b> (target cosine within four ulps of th, or of 0 with easy_margin,
 *       in fp32): the seed's logit jumps there, so a cosine one ulp off takes the other branch. The
 *       target logit must match the fixture or, if the row took the other branch, that branch's
 *       value at the fixture's cosine. When a row took the other branch, the loss is compared with
 *       the fixture's loss after recomputing that row's cross-entropy on the branch taken, grad_x
 *       rows of the other samples as usual (each depends on its own sample only), and grad_w,
 *       which sums over every sample, only for finiteness.</li>
 * </ul>
 */
final class ParityAssert {
    private static final double ULP1 = Math.ulp(1.0f);

    private ParityAssert() {
    }

    static void assertMatches(ArcFaceFixture f, HeadOutputs got, double valueTol, double gradTol) {
        String name = f.name();
        int c = f.c();
        int d = f.d();
        double[] refLogits = f.logits().toDoubleArray();
        double[] refGx = f.gradX().toDoubleArray();
        double[] refGw = f.gradW().toDoubleArray();
        boolean fp32 = f.dtype() == NpyDType.FLOAT32;

        // fp32 allowances only: an fp64 fixture's ±1 rows are held to the bars like every other
        Set<Integer> nearPm1 = fp32 ? union(f.rowsTargetCosNearPm1(), f.rowsAnyCosExactlyPm1()) : Set.of();
        Set<Integer> atSwitch = fp32 ? switchRows(f) : Set.of();
        Set<Integer> flipped = new HashSet<>();
        for (int i : atSwitch) {
            int j = i * c + f.labels()[i];
            double other = otherBranch(f, i);
            if (Math.abs(got.logits()[j] - other) < Math.abs(got.logits()[j] - refLogits[j])) {
                flipped.add(i);
                assertClose(other, got.logits()[j], valueTol, name + ": row " + i + " took the other branch; its logit");
            } else {
                assertClose(refLogits[j], got.logits()[j], valueTol, name + ": switch row " + i + " target logit");
            }
        }
        Set<Integer> special = new HashSet<>(nearPm1);
        special.addAll(atSwitch);

        // logits: ordinary rows at the strict bar; near-±1 rows within eight ulps of cosine.
        double logitsErr = Closeness.relativeError(got.logits(), refLogits, c, special);
        assertTrue(logitsErr <= valueTol, name + ": logits relative error " + logitsErr + " > " + valueTol);
        double nearBound = f.s() * Math.sin(f.m()) * Math.sqrt(2 * 8 * ULP1);
        for (int i : nearPm1) {
            for (int j = i * c; j < (i + 1) * c; j++) {
                double tol = nearBound + valueTol * Math.abs(refLogits[j]);
                assertTrue(Math.abs(got.logits()[j] - refLogits[j]) <= tol, name + ": near-±1 row " + i + " logit " + got.logits()[j]
                        + " vs " + refLogits[j] + " (bound " + tol + ")");
            }
        }

        assertAllFinite(got.gradX(), name + ": grad_x");
        assertAllFinite(got.gradW(), name + ": grad_w");
        assertTrue(Double.isFinite(got.loss()), name + ": loss " + got.loss());
        double refLoss = f.loss();
        if (!flipped.isEmpty()) {
            // the fixture's loss with the flipped rows' cross-entropy recomputed on the branch we took
            double[] corrected = refLogits.clone();
            for (int i : flipped) {
                corrected[i * c + f.labels()[i]] = otherBranch(f, i);
            }
            for (int i : flipped) {
                refLoss += (rowCrossEntropy(corrected, i, c, f.labels()[i]) - rowCrossEntropy(refLogits, i, c, f.labels()[i])) / f.n();
            }
        }
        double lossErr = Math.abs(got.loss() - refLoss) / Math.abs(refLoss);
        assertTrue(lossErr <= valueTol, name + ": loss " + got.loss() + " vs " + refLoss + ", relative error " + lossErr);

        Set<Integer> nanX = union(f.nonfiniteGradXRows());
        Set<Integer> skipX = new HashSet<>(special);
        skipX.addAll(nanX); // the seed's NaN rows: ours are finite (checked above), nothing to compare with
        double gxErr = Closeness.relativeError(got.gradX(), refGx, d, skipX);
        assertTrue(gxErr <= gradTol, name + ": grad_x relative error " + gxErr + " > " + gradTol);
        for (int i : nearPm1) {
            if (nanX.contains(i)) {
                continue;
            }
            double ct = Math.abs(f.targetCos()[i]);
            double tol = gradTol + 8 * ULP1 / Math.max(1 - ct, 1e-30);
            int row = i;
            double err = Closeness.relativeError(got.gradX(), refGx, d, r -> r == row, Closeness.scale(refGx, d, nanX));
            assertTrue(err <= tol, name + ": near-±1 grad_x row " + i + " relative error " + err + " > " + tol);
        }
        if (!flipped.isEmpty()) {
            return; // every grad_w row sums over all samples, flipped ones included: nothing to compare with
        }
        double gwErr = Closeness.relativeError(got.gradW(), refGw, d, union(f.nonfiniteGradWRows()));
        assertTrue(gwErr <= gradTol, name + ": grad_w relative error " + gwErr + " > " + gradTol);
    }

    private static double rowCrossEntropy(double[] logits, int row, int c, int label) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = row * c; j < (row + 1) * c; j++) {
            max = Math.max(max, logits[j]);
        }
        double sum = 0;
        for (int j = row * c; j < (row + 1) * c; j++) {
            sum += Math.exp(logits[j] - max);
        }
        return max + Math.log(sum) - logits[row * c + label];
    }

    /** fp32 rows whose target cosine is within four ulps of the switch the seed's where tests. */
    private static Set<Integer> switchRows(ArcFaceFixture f) {
        double sw = f.easyMargin() ? 0.0 : f.thInDtype();
        double width = 4 * Math.ulp((float) Math.max(Math.abs(sw), Float.MIN_NORMAL));
        Set<Integer> rows = new HashSet<>();
        for (int i = 0; i < f.n(); i++) {
            if (Math.abs(f.targetCos()[i] - sw) <= width) {
                rows.add(i);
            }
        }
        return rows;
    }

    /** s times the branch the fixture's row did not take, at the fixture's target cosine. */
    private static double otherBranch(ArcFaceFixture f, int row) {
        double c = f.targetCos()[row];
        double phi = c * Math.cos(f.m()) - Math.sqrt(Math.max(1 - c * c, 0)) * Math.sin(f.m());
        boolean tookPhi = "phi".equals(f.targetBranch().get(row));
        double other = tookPhi ? (f.easyMargin() ? c : c - f.mm()) : phi;
        return f.s() * other;
    }

    private static void assertClose(double expected, double actual, double rtol, String what) {
        assertTrue(Math.abs(expected - actual) <= rtol * Math.abs(expected) + 1e-6, what + ": " + actual + " vs " + expected);
    }

    private static void assertAllFinite(double[] a, String what) {
        for (double v : a) {
            assertTrue(Double.isFinite(v), what + " has " + v + " (ours must be finite even where the seed's is NaN)");
        }
    }

    private static Set<Integer> union(int[]... rowLists) {
        Set<Integer> s = new HashSet<>();
        for (int[] rows : rowLists) {
            for (int r : rows) {
                s.add(r);
            }
        }
        return s;
    }
}
