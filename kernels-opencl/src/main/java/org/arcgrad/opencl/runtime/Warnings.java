package org.arcgrad.opencl.runtime;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Warnings a user should see but that do not stop the work (a kernel-cache entry discarded, a
 * cache folder that cannot be written): one line on stderr, {@code arcgrad: warning: ...}, said
 * at most once per process for one key, so a read-only cache warns once per run and not once
 * per program.
 */
public final class Warnings {
    private static final Set<String> SAID = ConcurrentHashMap.newKeySet();
    private static volatile Consumer<String> sink = line -> {
        System.err.println(line);
        System.err.flush();
    };

    private Warnings() {
    }

    /** Says {@code message} unless a warning with {@code key} was said before in this process. */
    public static void once(String key, String message) {
        if (SAID.add(key)) {
            sink.accept("arcgrad: warning: " + message);
        }
    }

    /** Sends the warnings to {@code newSink} instead (tests read them); returns the sink it replaces. */
    public static Consumer<String> redirect(Consumer<String> newSink) {
        Consumer<String> old = sink;
        sink = newSink;
        return old;
    }
}
