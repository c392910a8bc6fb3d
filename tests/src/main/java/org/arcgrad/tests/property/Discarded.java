package org.arcgrad.tests.property;

/**
 * Thrown by {@link Property#assume} when a generated case lies outside what the property speaks
 * about (a finite difference straddling a kink, say). The runner draws another case; during
 * shrinking a discarded candidate counts as "does not fail".
 */
final class Discarded extends RuntimeException {
    Discarded(String why) {
        super(why, null, false, false);
    }
}
