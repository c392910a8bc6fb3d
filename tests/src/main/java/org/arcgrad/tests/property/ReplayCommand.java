package org.arcgrad.tests.property;

import java.lang.reflect.Method;
import java.util.Optional;
import org.junit.platform.commons.annotation.Testable;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The command line that replays a failed property: the build command (-D{@value #LAUNCHER_PROPERTY},
 * by default Maven's {@code mvn test}; arcgrad's own build sets its launcher), restricted to this
 * test method, with the seed (and the try count, when it was overridden). Inside a test under
 * {@link DefaultKnobs} the system property cannot reach the run, and the line says how to pin the seed instead.
 */
final class ReplayCommand {
    /** The system property naming the command that runs one test class, before its -Dtest=… . */
    static final String LAUNCHER_PROPERTY = "arcgrad.replay.launcher";
    static final String DEFAULT_LAUNCHER = "mvn test";
    private static final StackWalker WALKER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);

    private ReplayCommand() {
    }

    static String of(long seed, String triesOverride) {
        String test = testMethod().orElse("<TestClass>#<method>");
        return System.getProperty(LAUNCHER_PROPERTY, DEFAULT_LAUNCHER) + " -Dtest=" + test
                + " -D" + Seeds.SEED_PROPERTY + "=" + seed
                + (triesOverride == null ? "" : " -D" + Property.TRIES_PROPERTY + "=" + triesOverride)
                + (DefaultKnobs.clearing() ? "\n            (this test runs under DefaultKnobs, which clears -D" + Seeds.SEED_PROPERTY
                        + ": pin .seed(" + seed + "L) in the test to replay it)" : "");
    }

    /** "SimpleClassName#method" of the nearest JUnit test method on the stack (lambdas inside it are skipped). */
    static Optional<String> testMethod() {
        return WALKER.walk(frames -> frames
                .filter(f -> isTestMethod(f.getDeclaringClass(), f.getMethodName()))
                .findFirst()
                .map(f -> f.getDeclaringClass().getSimpleName() + "#" + f.getMethodName()));
    }

    // @Testable sits on @Test directly but on @ParameterizedTest only through @TestTemplate, hence
    // the meta-annotation search.
    private static boolean isTestMethod(Class<?> c, String name) {
        for (Method m : c.getDeclaredMethods()) {
            if (m.getName().equals(name) && AnnotationSupport.isAnnotated(m, Testable.class)) {
                return true;
            }
        }
        return false;
    }
}
