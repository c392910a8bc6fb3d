package org.arcgrad.arcface.heads;

import static org.arcgrad.autodiff.Functional.oneHot;
import static org.arcgrad.autodiff.Functional.where;

import org.arcgrad.autodiff.Tensor;

/**
 * The step every margin head shares: the margin-ed value on each row's label column, the plain
 * value everywhere else. A where on the one-hot mask equals the PyTorch heads' arithmetic blend
 * {@code one_hot * target + (1 - one_hot) * other} value for value, and sends no gradient to the
 * column a row does not take.
 */
public final class TargetColumn {
    private TargetColumn() {
    }

    /**
     * {@code target} on column labels[i] of row i, {@code other} elsewhere. {@code other} is
     * [N, C]; {@code target} broadcasts to it; the class count C is other's last dimension.
     */
    public static Tensor select(Tensor labels, Tensor target, Tensor other) {
        int classes = other.shape().dim(other.shape().rank() - 1);
        return where(oneHot(labels, classes), target, other);
    }
}
