package org.arcgrad.opencl.files;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The temporary files of {@link AtomicFiles}: hidden files beside their target, named
 * {@code .NAME.PID.RANDOM.arcgrad-tmp} so that nobody mistakes them for user files and anybody can
 * tell whether their writer still runs. While one exists this process remembers it, and a shutdown
 * hook removes it when the JVM stops by signal or {@code System.exit} in the middle of a write.
 * What a SIGKILL or a power cut leaves behind, {@link #removeStale} removes: every command calls it
 * on the folders it writes before it writes there.
 */
public final class TemporaryFiles {
    /** The ending every temporary file of an atomic write has. */
    public static final String SUFFIX = ".arcgrad-tmp";

    private static final Pattern NAME = Pattern.compile("\\..+\\.(\\d{1,18})\\.[0-9a-f]{1,16}" + Pattern.quote(SUFFIX));
    private static final Set<Path> LIVE = ConcurrentHashMap.newKeySet();
    private static final AtomicBoolean HOOK_INSTALLED = new AtomicBoolean();

    private TemporaryFiles() {
    }

    /** Whether {@code file}'s name is that of a temporary file of an atomic write. */
    public static boolean isTemporary(Path file) {
        return NAME.matcher(file.getFileName().toString()).matches();
    }

    /**
     * Removes the temporary files in {@code folder} whose writer has ended: another process that is
     * no longer alive, or this process when the file is not one of its writes in progress. A folder
     * that does not exist has none. Returns how many were removed.
     *
     * <p>Judging by the process id errs on the safe side: a dead writer's id reused by a new process
     * keeps its leftover until a later run.
     */
    public static int removeStale(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return 0;
        }
        int removed = 0;
        try (Stream<Path> entries = Files.list(folder)) {
            for (Path p : entries.toList()) {
                Matcher m = NAME.matcher(p.getFileName().toString());
                if (m.matches() && !writerRuns(Long.parseLong(m.group(1)), p.toAbsolutePath()) && Files.deleteIfExists(p)) {
                    removed++;
                }
            }
        }
        return removed;
    }

    private static boolean writerRuns(long pid, Path file) {
        if (pid == ProcessHandle.current().pid()) {
            return LIVE.contains(file);
        }
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /**
     * Checks that files can be made in {@code folder} by making and removing one temporary file
     * (a read-only mount, a full disk's quota, missing permissions all show here, before any work).
     */
    public static void probeWritable(Path folder) throws IOException {
        discard(create(folder, "write-probe"));
    }

    /** A new, empty temporary file in {@code folder} for a write of {@code targetName}, remembered until {@link #discard}. */
    static Path create(Path folder, String targetName) throws IOException {
        installHook();
        long pid = ProcessHandle.current().pid();
        for (int attempt = 0; ; attempt++) {
            Path tmp = folder.resolve("." + targetName + "." + pid + "."
                    + Long.toHexString(ThreadLocalRandom.current().nextLong()) + SUFFIX).toAbsolutePath();
            try {
                // Not Files.createTempFile: that makes the file private (0600) and the rename would carry
                // those permissions to the target; this one gets the process's usual permissions.
                LIVE.add(tmp);
                FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
                return tmp;
            } catch (FileAlreadyExistsException e) {
                LIVE.remove(tmp);
                if (attempt > 100) {
                    throw e;
                }
            } catch (IOException | RuntimeException e) {
                LIVE.remove(tmp);
                throw e;
            }
        }
    }

    /** Forgets {@code tmp} after it was renamed over its target. */
    static void renamed(Path tmp) {
        LIVE.remove(tmp);
    }

    /** Deletes {@code tmp} (an abandoned write) and forgets it. */
    static void discard(Path tmp) throws IOException {
        try {
            Files.deleteIfExists(tmp);
        } finally {
            LIVE.remove(tmp);
        }
    }

    private static void installHook() {
        if (HOOK_INSTALLED.compareAndSet(false, true)) {
            Runtime.getRuntime().addShutdownHook(new Thread(TemporaryFiles::discardAll, "arcgrad-temporary-files"));
        }
    }

    /** The shutdown hook: the JVM stops in the middle of writes; none of them will finish. */
    private static void discardAll() {
        for (Path tmp : LIVE) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException e) {
                // stopping anyway; the next run in the folder removes it
            }
        }
    }
}
