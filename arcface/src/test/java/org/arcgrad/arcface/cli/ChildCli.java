package org.arcgrad.arcface.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The command line in a JVM of its own, as a user runs it: its own heap limit, environment and
 * signals, and System.exit's code. Both streams are read as they come, so a test can wait for a
 * line and then signal or kill the process.
 */
final class ChildCli implements AutoCloseable {
    private final Process process;
    private final List<String> out = new ArrayList<>();
    private final List<String> err = new ArrayList<>();
    private final Thread outReader;
    private final Thread errReader;

    private ChildCli(Process process) {
        this.process = process;
        this.outReader = reader(process.getInputStream(), out);
        this.errReader = reader(process.getErrorStream(), err);
    }

    /**
     * Starts {@code Main} with {@code args}; {@code jvm}: JVM options and -D properties; {@code env}:
     * environment variables to set (a null value removes one). The build's kernel cache folder is
     * passed on unless the test names a cache folder itself (property or variable).
     */
    static ChildCli start(List<String> jvm, Map<String, String> env, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path")));
        String cache = System.getProperty("arcgrad.cache.dir");
        boolean ownCache = env.containsKey("ARCGRAD_CACHE_DIR") || jvm.stream().anyMatch(o -> o.startsWith("-Darcgrad.cache.dir="));
        if (cache != null && !ownCache) {
            command.add("-Darcgrad.cache.dir=" + cache);
        }
        command.addAll(jvm);
        command.add(Main.class.getName());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        env.forEach((k, v) -> {
            if (v == null) {
                pb.environment().remove(k);
            } else {
                pb.environment().put(k, v);
            }
        });
        return new ChildCli(pb.start());
    }

    private static Thread reader(InputStream stream, List<String> lines) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    synchronized (lines) {
                        lines.add(line);
                        lines.notifyAll();
                    }
                }
            } catch (IOException closedByAKill) {
                // the process was killed: what was read stays
            }
        });
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Waits until a line of stdout ({@code stdout}) or stderr matches; fails the test after {@code seconds}. */
    String awaitLine(boolean stdout, Predicate<String> matches, int seconds) throws InterruptedException {
        List<String> lines = stdout ? out : err;
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        synchronized (lines) {
            while (true) {
                for (String l : lines) {
                    if (matches.test(l)) {
                        return l;
                    }
                }
                long left = end - System.nanoTime();
                if (left <= 0 || (!process.isAlive() && !(stdout ? outReader : errReader).isAlive())) {
                    throw new AssertionError("no such line within " + seconds + " s; stdout:\n" + out() + "\nstderr:\n" + err());
                }
                lines.wait(Math.max(1, Math.min(200, TimeUnit.NANOSECONDS.toMillis(left))));
            }
        }
    }

    /** Sends a signal by name ("INT", "TERM") as a terminal or a service manager would. */
    void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new AssertionError("kill -" + name + " failed");
        }
    }

    /** SIGKILL: no handler, no shutdown hook runs. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** The exit code, waiting at most {@code seconds}. */
    int exitCode(int seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("still running after " + seconds + " s; stdout:\n" + out() + "\nstderr:\n" + err());
        }
        outReader.join(10_000);
        errReader.join(10_000);
        return process.exitValue();
    }

    String out() {
        synchronized (out) {
            return String.join("\n", out);
        }
    }

    String err() {
        synchronized (err) {
            return String.join("\n", err);
        }
    }

    List<String> errLines() {
        synchronized (err) {
            return List.copyOf(err);
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
