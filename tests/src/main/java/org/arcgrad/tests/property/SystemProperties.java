package org.arcgrad.tests.property;

/**
 * Runs a block with a system property set or cleared, restoring it after. The harness's own tests
 * use it to pin the knobs (-Darcgrad.tries, -Darcgrad.seed) that a person may pass to the whole run.
 */
final class SystemProperties {
    private SystemProperties() {
    }

    /** {@code value} null clears the property for the duration of {@code body}. */
    static void with(String key, String value, Runnable body) {
        String saved = System.getProperty(key);
        if (value == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, value);
        }
        try {
            body.run();
        } finally {
            if (saved == null) {
                System.clearProperty(key);
            } else {
                System.setProperty(key, saved);
            }
        }
    }
}
