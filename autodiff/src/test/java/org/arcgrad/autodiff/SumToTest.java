package org.arcgrad.autodiff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link Tensor#sumTo}, backward's inverse of broadcasting: each target shape's sums equal those
 * written out element by element, whatever pattern of summed and kept axes (leading axes dropped,
 * runs of summed axes merged, kept axes between them), and an image batch summed per channel
 * reads its planes as contiguous rows first.
 */
class SumToTest {
    @Test
    void everyPatternOfSummedAxesGivesTheElementwiseSums() {
        Shape from = Shape.of(2, 3, 4, 5);
        List<Shape> targets = List.of(Shape.of(1, 3, 1, 1), Shape.of(3, 1, 1), Shape.of(5), Shape.of(4, 1), Shape.of(1, 1, 1, 1),
                Shape.of(2, 1, 4, 1), Shape.of(1, 3, 4, 5), Shape.of(2, 3, 1, 5), Shape.of(1, 1, 4, 5), Shape.of(2, 3, 4, 5));
        Random random = new Random(5);
        for (Shape target : targets) {
            Tape tape = new Tape();
            Tensor x = tape.input("x", from.dims());
            NDArray values = NDArray.gaussian(from, random);
            NDArray got = Interpreter.run(Map.of(x, values), x.sumTo(target))[0];
            assertEquals(target, got.shape(), "shape of the sum to " + target);
            assertArrayEquals(sumsTo(values, target), got.data(), 1e-12, "sums to " + target);
        }
    }

    @Test
    void aPerChannelSumReadsEachPlaneAsOneContiguousRowFirst() {
        Tape tape = new Tape();
        Tensor x = tape.input("x", 8, 3, 7, 7);
        x.sumTo(Shape.of(1, 3, 1, 1));
        List<Tensor> sums = new ArrayList<>();
        for (Tensor t : tape.nodes()) {
            if (t.op() == Op.SUM) {
                sums.add(t);
            }
        }
        assertEquals(2, sums.size(), tape.dump());
        assertEquals(Shape.of(8, 3, 49), sums.get(0).input(0).shape(), tape.dump());
        assertEquals(2, sums.get(0).attrs().integer(0), tape.dump());
        assertEquals(0, sums.get(1).attrs().integer(0), tape.dump());
    }

    /** The sums written out: each element of {@code values} added into the target element it broadcasts from. */
    private static double[] sumsTo(NDArray values, Shape target) {
        Shape from = values.shape();
        int extra = from.rank() - target.rank();
        double[] out = new double[(int) target.numel()];
        int[] index = new int[from.rank()];
        for (int flat = 0; flat < from.numel(); flat++) {
            int rest = flat;
            for (int ax = from.rank() - 1; ax >= 0; ax--) {
                index[ax] = rest % from.dim(ax);
                rest /= from.dim(ax);
            }
            int at = 0;
            for (int ax = 0; ax < target.rank(); ax++) {
                int i = target.dim(ax) == 1 ? 0 : index[ax + extra];
                at = at * target.dim(ax) + i;
            }
            out[at] += values.data()[flat];
        }
        return out;
    }
}
