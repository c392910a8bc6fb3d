package org.arcgrad.opencl.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Replaces a file so that readers (and a crash) see either the old content or the new, never a
 * half-written file: write a {@linkplain TemporaryFiles temporary file} in the same folder, fsync
 * it, rename it over the target, then fsync the folder so the rename itself survives a power cut.
 * A failure names the file it was writing ("No space left on device" alone names nothing).
 */
public final class AtomicFiles {
    /**
     * Test hook: with {@code -Darcgrad.test.stallWrite=NAME}, a write of a file named NAME (or, for
     * {@code *END}, a name ending in END) stops for good after its temporary file is written and
     * before the rename, and says so on stderr, so a test can kill the process at that moment.
     * Unset in every real run.
     */
    public static final String STALL_PROPERTY = "arcgrad.test.stallWrite";

    /** Writes the content into the open temporary file. */
    @FunctionalInterface
    public interface Content {
        void writeTo(FileChannel channel) throws IOException;
    }

    private AtomicFiles() {
    }

    /** {@code text} in UTF-8, as content to write. */
    public static Content text(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return channel -> {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        };
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
                Path tmp = named(e.getKey(), () -> TemporaryFiles.create(absolute.getParent(), absolute.getFileName().toString()));
                temps.put(absolute, tmp);
                named(e.getKey(), () -> {
                    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                        e.getValue().writeTo(ch);
                        ch.force(true);
                    }
                    return tmp;
                });
                stallIfAsked(absolute, tmp);
            }
            List<Path> folders = new ArrayList<>();
            for (Map.Entry<Path, Path> e : new ArrayList<>(temps.entrySet())) {
                try {
                    Files.move(e.getValue(), e.getKey(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException ex) {
                    throw new IOException(e.getKey() + ": this file system cannot rename atomically, refusing to write in place", ex);
                }
                TemporaryFiles.renamed(e.getValue());
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
                TemporaryFiles.discard(tmp);
            }
        }
    }

    private interface Step {
        Path run() throws IOException;
    }

    /** Runs one step of writing {@code target}; an error that does not name the file gets its name. */
    private static Path named(Path target, Step step) throws IOException {
        try {
            return step.run();
        } catch (IOException e) {
            String message = String.valueOf(e.getMessage());
            if (message.contains(target.getFileName().toString())) {
                throw e;
            }
            throw new IOException("cannot write " + target + ": " + message, e);
        }
    }

    private static void stallIfAsked(Path target, Path tmp) {
        String stall = System.getProperty(STALL_PROPERTY);
        String name = target.getFileName().toString();
        if (stall != null && (stall.startsWith("*") ? name.endsWith(stall.substring(1)) : name.equals(stall))) {
            System.err.println("arcgrad-test: stalled writing " + tmp);
            System.err.flush();
            while (true) {
                try {
                    Thread.sleep(60_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
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
