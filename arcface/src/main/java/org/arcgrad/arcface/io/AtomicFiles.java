package org.arcgrad.arcface.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Replaces a file so that readers (and a crash) see either the old content or the new, never a
 * half-written file: write a temporary file in the same folder, fsync it, rename it over the
 * target, then fsync the folder so the rename itself survives a power cut.
 */
public final class AtomicFiles {
    /** Writes the content into the open temporary file. */
    @FunctionalInterface
    public interface Content {
        void writeTo(FileChannel channel) throws IOException;
    }

    private AtomicFiles() {
    }

    /** Replaces {@code target} with {@code content}, atomically. */
    public static void write(Path target, Content content) throws IOException {
        writeAll(Map.of(target, content));
    }

    /**
     * Writes several files so that a failed write leaves none of them changed: every content goes
     * to its own synced temporary file first, and only when all are complete are they renamed over
     * their targets (each rename atomic; renames within one file system do not fail in practice),
     * then the folders synced.
     */
    public static void writeAll(Map<Path, Content> files) throws IOException {
        Map<Path, Path> temps = new LinkedHashMap<>();
        try {
            for (Map.Entry<Path, Content> e : files.entrySet()) {
                Path absolute = e.getKey().toAbsolutePath();
                if (Files.isDirectory(absolute)) {
                    throw new IOException(e.getKey() + ": is a folder, cannot write a file there");
                }
                Path tmp = createTemp(absolute.getParent(), absolute.getFileName().toString());
                temps.put(absolute, tmp);
                try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                    e.getValue().writeTo(ch);
                    ch.force(true);
                }
            }
            List<Path> folders = new ArrayList<>();
            for (Map.Entry<Path, Path> e : new ArrayList<>(temps.entrySet())) {
                try {
                    Files.move(e.getValue(), e.getKey(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException ex) {
                    throw new IOException(e.getKey() + ": this file system cannot rename atomically, refusing to write in place", ex);
                }
                temps.remove(e.getKey());
                if (!folders.contains(e.getKey().getParent())) {
                    folders.add(e.getKey().getParent());
                }
            }
            for (Path dir : folders) {
                syncFolder(dir);
            }
        } finally {
            for (Path tmp : temps.values()) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    /**
     * A new hidden file beside the target. Not Files.createTempFile: that makes the file private
     * (0600) and the rename would carry those permissions to the target; this one gets the
     * process's usual permissions, as a plain new file would.
     */
    private static Path createTemp(Path dir, String name) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Path tmp = dir.resolve("." + name + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
            try {
                FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
                return tmp;
            } catch (FileAlreadyExistsException e) {
                if (attempt > 100) {
                    throw e;
                }
            }
        }
    }

    /** fsync of the folder makes the rename durable on Linux; some platforms cannot open a folder, which we accept. */
    private static void syncFolder(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Windows: folders cannot be opened as channels; NTFS orders the rename itself.
        }
    }
}
