/**
 * Gradient properties, with the library's public {@link org.arcgrad.autodiff.GradCheck} as the
 * oracle:
 * <ul>
 *   <li>per primitive op ({@code OpCases}) and per composite of Functional ({@code CompositeCases}):
 *       analytic gradient = central difference in fp64 on random shapes (dims of 1, broadcasting)
 *       and values with each domain's edges; an all-zero cotangent gives exactly zero gradients;
 *       {@code CoverageTest} fails when an op with a gradient rule or a composite has no property;</li>
 *   <li>the points a central difference cannot judge, checked against their documented rule:
 *       clamp at its bounds (one-sided difference), max ties (even split; tie of k sums to the
 *       upstream gradient), cosAdd at |c| = 1 (cos m), relu at 0, normalize at a zero row, detach;</li>
 *   <li>random expression trees over the whole op set ({@code ExprGen}), shrunk by structure and
 *       printed as a tape dump; backward evaluated twice and grad taken twice give identical
 *       bits; ArcFace-sized inputs (up to 256 × 512) by random-direction vector–Jacobian checks;</li>
 *   <li>{@code PlantedWrongRuleTest}: with one rule replaced by a wrong one, the same properties
 *       fail, with a seed and a shrunk case.</li>
 * </ul>
 */
package org.arcgrad.tests.gradients;
