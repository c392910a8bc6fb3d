package org.arcgrad.arcface.cli;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Ctrl-C (SIGINT) and SIGTERM during a training run. The first asks the run to stop at its next
 * step boundary, where every file on disk is complete (the loop polls {@link #requested()}), and
 * says so; the second ends the process at once (exit 130 or 143), and even then the shutdown hook
 * of {@link org.arcgrad.opencl.files.TemporaryFiles} removes the temporary files of writes in
 * progress. Closing restores the handlers that were there before.
 *
 * <p>sun.misc.Signal is the JDK's only way to catch a signal and go on (jdk.unsupported, present
 * in every JDK since 9); where a signal cannot be caught, the JVM's default stays: exit at once.
 */
final class StopSignals implements AutoCloseable {
    private static final Map<String, Integer> CODES = Map.of("INT", 130, "TERM", 143);

    private final PrintWriter err;
    private final Map<Signal, SignalHandler> previous = new LinkedHashMap<>();
    private volatile String received;

    private StopSignals(PrintWriter err) {
        this.err = err;
    }

    static StopSignals install(PrintWriter err) {
        StopSignals s = new StopSignals(err);
        for (String name : new String[] {"INT", "TERM"}) {
            try {
                Signal signal = new Signal(name);
                SignalHandler old = Signal.handle(signal, s::handle);
                // JDK 17 never reports null (see close); a JDK that did would have it installed as a handler of nothing
                s.previous.put(signal, old == null ? SignalHandler.SIG_DFL : old);
            } catch (IllegalArgumentException notCatchable) {
                // -Xrs, or a platform without this signal: the default (exit at once) stays
            }
        }
        return s;
    }

    private void handle(Signal signal) {
        if (received == null) {
            received = signal.getName();
            err.println();
            err.println("arcgrad: SIG" + signal.getName() + " received: stopping after this step (press Ctrl-C again to quit at once,"
                    + " losing the epoch in progress)");
            err.flush();
        } else {
            err.println("arcgrad: second signal, quitting now");
            err.flush();
            System.exit(CODES.getOrDefault(signal.getName(), 130));
        }
    }

    /** Whether a stop was asked for. */
    boolean requested() {
        return received != null;
    }

    /** The exit code for the signal received: 128 + its number (130 for SIGINT, 143 for SIGTERM). */
    int exitCode() {
        return CODES.getOrDefault(received, 130);
    }

    /** "SIGINT" or "SIGTERM". */
    String signalName() {
        return "SIG" + received;
    }

    /**
     * Puts back the handlers found at install. When the JVM dispatched a signal to Java with no Java
     * handler in its table (seen twice in test suites, where other code such as a terminal library
     * registers and restores handlers too), JDK 17's Signal.handle reports that as a wrapper around
     * no handler, which it then refuses to take back (NullPointerException "handler"): the default
     * (exit at once) is restored instead, so that a finished run never ends in an internal error.
     */
    @Override
    public void close() {
        previous.forEach((signal, old) -> {
            try {
                Signal.handle(signal, old);
            } catch (NullPointerException noHandlerToRestore) {
                Signal.handle(signal, SignalHandler.SIG_DFL);
            }
        });
    }
}
