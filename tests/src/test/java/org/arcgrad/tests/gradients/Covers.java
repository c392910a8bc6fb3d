package org.arcgrad.tests.gradients;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.arcgrad.autodiff.Op;

/**
 * Marks a test class whose properties cover ops (or Functional composites) that the case
 * catalogues cannot hold, DETACH for one; {@code CoverageTest} counts it.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@interface Covers {
    Op[] ops() default {};

    String[] composites() default {};
}
