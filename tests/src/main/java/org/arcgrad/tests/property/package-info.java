/**
 * arcgrad's own small property-testing harness on JUnit 5 (no jqwik, no other library).
 *
 * <ul>
 *   <li>{@link org.arcgrad.tests.property.Gen}: a generator draws a value from a Random and a size
 *       hint and returns it as a {@link org.arcgrad.tests.property.Shrinkable} (the value and its
 *       smaller candidates), so map, flatMap and zip keep shrinking.
 *       {@link org.arcgrad.tests.property.Gens} and {@link org.arcgrad.tests.property.Shapes} hold
 *       the primitive generators: ints, doubles with edge cases at a stated probability, labels,
 *       arrays, choices, shapes with dims of 1, broadcast-compatible operand shapes.</li>
 *   <li>{@link org.arcgrad.tests.property.Property}: runs a check over generated cases (100 tries,
 *       or -Darcgrad.tries=N), with one seed per run (printed on failure; -Darcgrad.seed=S or
 *       {@code Property.named(..).seed(S)} replays it), shrinks a failure greedily within a budget,
 *       and throws an AssertionError naming the property, seed, replay command, try, original and
 *       shrunk case and the reason.</li>
 * </ul>
 *
 * <p>Replaying a failure: copy the "replay:" line of the report. In a project of your own it reads
 * {@code mvn test -Dtest=MyLossTest#myLossHasRightGradientsEverywhere -Darcgrad.seed=430224115510617405}
 * (-Darcgrad.replay.launcher=… sets another command); in arcgrad's own build, e.g.
 * {@code ./arcgrad test -pl tests -am -Dsurefire.failIfNoSpecifiedTests=false -Dtest=OpGradientPropertiesTest#zeroUpstreamGradientGivesExactlyZero -Darcgrad.seed=430224115510617405}.
 * Running every property harder: {@code -Darcgrad.tries=1000}.
 */
package org.arcgrad.tests.property;
