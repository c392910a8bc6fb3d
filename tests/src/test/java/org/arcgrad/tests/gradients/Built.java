package org.arcgrad.tests.gradients;

import org.arcgrad.autodiff.Tensor;

/**
 * A tensor built from a random expression, with an upper bound on the magnitude of its values
 * known from the structure alone. The bound lets each step keep its operands in range (see
 * {@link Guards}) so that no value overflows and finite differences stay accurate.
 */
record Built(Tensor t, double bound) {
}
