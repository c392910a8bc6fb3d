package org.arcgrad.tests.property;

/**
 * Where shrinking ended: the smallest failing case found, its failure, how many candidates were
 * accepted (steps) and evaluated (trials), and whether a budget stopped it before a local minimum.
 */
public record Shrunk<T>(T value, Throwable failure, int steps, int trials, boolean budgetSpent) {
}
