package org.arcgrad.opencl.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one helper every write goes through: all-or-nothing, failures that name the file, temporary
 * files that are recognisable, and leftovers of dead writers removed while live writers' stay.
 */
class AtomicFilesTest {
    @TempDir
    Path dir;

    private static AtomicFiles.Content text(String s) {
        return ch -> ch.write(ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aFailedWriteNamesTheFileAndChangesNothing() throws IOException {
        Path a = Files.writeString(dir.resolve("a.txt"), "old a");
        Path b = dir.resolve("b.txt");
        Map<Path, AtomicFiles.Content> files = new LinkedHashMap<>();
        files.put(a, text("new a"));
        files.put(b, ch -> {
            throw new IOException("No space left on device");
        });
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.writeAll(files));
        assertEquals("cannot write " + b + ": No space left on device", e.getMessage());
        assertEquals("old a", Files.readString(a));
        assertFalse(Files.exists(b));
        assertEquals(List.of(a), list(), "no temporary file stays");
    }

    @Test
    void aWriteReplacesTheTargetAndItsTemporaryIsRecognisable() throws IOException {
        Path target = dir.resolve("metrics.json");
        Path[] seen = new Path[1];
        AtomicFiles.write(target, ch -> {
            try (Stream<Path> s = Files.list(dir)) {
                seen[0] = s.filter(TemporaryFiles::isTemporary).findFirst().orElseThrow();
            }
            ch.write(ByteBuffer.wrap("{}".getBytes(StandardCharsets.UTF_8)));
        });
        assertEquals("{}", Files.readString(target));
        String name = seen[0].getFileName().toString();
        assertTrue(name.startsWith(".metrics.json." + ProcessHandle.current().pid() + ".") && name.endsWith(TemporaryFiles.SUFFIX), name);
        assertEquals(List.of(target), list());
        assertFalse(TemporaryFiles.isTemporary(target));
    }

    @Test
    void staleTemporariesOfEndedWritersAreRemovedAndLiveOnesKept() throws Exception {
        Process ended = new ProcessBuilder("true").start();
        ended.waitFor();
        long deadPid = ended.pid();
        long livePid = ProcessHandle.current().parent().orElseThrow().pid();
        Path dead = Files.writeString(dir.resolve(".checkpoint.npz." + deadPid + ".0123abcd" + TemporaryFiles.SUFFIX), "half");
        Path live = Files.writeString(dir.resolve(".checkpoint.npz." + livePid + ".0123abcd" + TemporaryFiles.SUFFIX), "writing");
        Path ours = Files.writeString(dir.resolve(".w.npy." + ProcessHandle.current().pid() + ".ff" + TemporaryFiles.SUFFIX), "left");
        Path userFile = Files.writeString(dir.resolve(".notes.1.2.tmp"), "a user's file");
        assertEquals(2, TemporaryFiles.removeStale(dir));
        assertFalse(Files.exists(dead));
        assertFalse(Files.exists(ours), "this process's leftover that no write of it holds");
        assertTrue(Files.exists(live), "a writer that still runs keeps its file");
        assertTrue(Files.exists(userFile), "only our own temporaries are touched");
        assertEquals(0, TemporaryFiles.removeStale(dir.resolve("missing")));
    }

    @Test
    void aWriteInProgressOfThisProcessIsNotStale() throws IOException {
        // another run (or this one) cleaning the folder while a write is under way must leave it alone
        Path target = dir.resolve("checkpoint.npz");
        int[] removed = {-1};
        AtomicFiles.write(target, ch -> {
            removed[0] = TemporaryFiles.removeStale(dir);
            ch.write(ByteBuffer.wrap("complete".getBytes(StandardCharsets.UTF_8)));
        });
        assertEquals(0, removed[0]);
        assertEquals("complete", Files.readString(target));
        assertEquals(List.of(target), list());
    }

    @Test
    void theWritableProbeLeavesNothingAndFailsWhereNothingCanBeMade() throws IOException {
        TemporaryFiles.probeWritable(dir);
        assertEquals(List.of(), list());
        Path file = Files.writeString(dir.resolve("plain"), "x");
        assertThrows(IOException.class, () -> TemporaryFiles.probeWritable(file));
    }

    private List<Path> list() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }
}
