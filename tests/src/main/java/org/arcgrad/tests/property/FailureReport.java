package org.arcgrad.tests.property;

/**
 * The message of a failed property: everything needed to understand and replay the failure
 * without rerunning anything first. The shrunk failure becomes the error's cause, so its own stack
 * trace (where the check failed) stays visible.
 */
final class FailureReport {
    private FailureReport() {
    }

    static <T> AssertionError error(String name, long seed, String replay, int attempt, int tries, int size,
                                    T original, Throwable originalReason, Shrunk<T> shrunk) {
        StringBuilder b = new StringBuilder();
        b.append("property \"").append(name).append("\" failed at try ").append(attempt + 1).append(" of ").append(tries)
                .append(" (size ").append(size).append(")\n");
        b.append("  seed:     ").append(seed).append('\n');
        b.append("  replay:   ").append(replay).append('\n');
        b.append("  original: ").append(indent(String.valueOf(original))).append('\n');
        b.append("  shrunk:   ").append(indent(String.valueOf(shrunk.value()))).append('\n');
        b.append("            (").append(shrunk.steps()).append(" shrink steps, ").append(shrunk.trials())
                .append(" candidates tried").append(shrunk.budgetSpent() ? ", shrink budget spent" : "").append(")\n");
        b.append("  reason:   ").append(indent(reason(shrunk.failure())));
        if (shrunk.steps() > 0) {
            b.append("\n  original reason: ").append(indent(reason(originalReason)));
        }
        return new AssertionError(b.toString(), shrunk.failure());
    }

    private static String reason(Throwable t) {
        String m = t.getMessage();
        return t instanceof AssertionError ? String.valueOf(m) : t.getClass().getName() + ": " + m;
    }

    private static String indent(String s) {
        return s.replace("\n", "\n            ");
    }
}
