package org.arcgrad.opencl.compile;

import org.arcgrad.autodiff.Op;
import org.arcgrad.autodiff.Tensor;

/** The pattern sum(values · oneHot(labels), axis) where the one-hot's class axis is the summed axis. */
final class Gather {
    final Tensor values;
    final Tensor labels;
    final int axis;

    private Gather(Tensor values, Tensor labels, int axis) {
        this.values = values;
        this.labels = labels;
        this.axis = axis;
    }

    /** The gather that {@code summed} (the operand of a sum along {@code axis}) is, or null. */
    static Gather match(Tensor summed, int axis) {
        if (summed.op() != Op.MUL || summed.shape().rank() - 1 != axis) {
            return null;
        }
        for (int k = 0; k < 2; k++) {
            Tensor hot = summed.input(k);
            Tensor other = summed.input(1 - k);
            if (hot.op() == Op.ONE_HOT && hot.shape().equals(summed.shape()) && other.shape().equals(summed.shape())) {
                return new Gather(other, hot.input(0), axis);
            }
        }
        return null;
    }
}
