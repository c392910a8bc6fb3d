package org.arcgrad.tests.property;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Clears -Darcgrad.seed and -Darcgrad.tries around each test that uses it: those knobs are for the
 * gradient properties, while the harness's own tests (and the planted-bug tests) count tries,
 * compare seeds or need enough tries to meet a failure, and must mean the same thing whatever a
 * person passes to the whole run. A property that must replay from the command line (one that is
 * meant to pass) does not belong under it: its failure's replay line says so.
 */
public final class DefaultKnobs implements BeforeEachCallback, AfterEachCallback {
    private static final String[] KNOBS = {Seeds.SEED_PROPERTY, Property.TRIES_PROPERTY};
    private static final ThreadLocal<Boolean> CLEARING = ThreadLocal.withInitial(() -> false);
    private final Map<String, String> saved = new HashMap<>();

    /** True inside a test run under this extension, where -Darcgrad.seed does not reach the properties. */
    static boolean clearing() {
        return CLEARING.get();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        for (String k : KNOBS) {
            saved.put(k, System.getProperty(k));
            System.clearProperty(k);
        }
        CLEARING.set(true);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        CLEARING.remove();
        for (String k : KNOBS) {
            String v = saved.get(k);
            if (v == null) {
                System.clearProperty(k);
            } else {
                System.setProperty(k, v);
            }
        }
    }
}
