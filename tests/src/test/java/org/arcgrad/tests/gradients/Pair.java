package org.arcgrad.tests.gradients;

/** Two generated values that belong together (a shape and its values, a mask and its operands). */
record Pair<A, B>(A first, B second) {
}
