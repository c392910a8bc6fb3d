package org.arcgrad.tests.parity;

/** What a backend computed for one head case: logits [N, C], mean cross-entropy, and both gradients, row-major. */
record HeadOutputs(double[] logits, double loss, double[] gradX, double[] gradW) {
}
