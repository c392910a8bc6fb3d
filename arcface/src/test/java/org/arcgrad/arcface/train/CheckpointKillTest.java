package org.arcgrad.arcface.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A process killed (SIGKILL, no shutdown hooks) at random moments while it writes checkpoints in a
 * loop: every time, the file on disk is a complete checkpoint, one of those written, never a mix.
 */
class CheckpointKillTest {
    @TempDir
    Path dir;

    @Test
    void aKillDuringAWriteLeavesTheLastCompleteCheckpoint() throws Exception {
        Path file = dir.resolve("checkpoint.npz");
        Random random = new Random(1);
        int killedMidWrite = 0;
        for (int round = 0; round < 6; round++) {
            Process child = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), CheckpointWriteLoop.class.getName(), file.toString(), "1000000"))
                    .redirectErrorStream(true).start();
            // the child's lines are read on another thread: destroyForcibly closes the streams
            AtomicInteger written = new AtomicInteger();
            CountDownLatch first = new CountDownLatch(1);
            Thread reader = new Thread(() -> {
                try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream()))) {
                    for (String line; (line = out.readLine()) != null; ) {
                        if (line.startsWith("wrote ")) {
                            written.set(Integer.parseInt(line.substring("wrote ".length())));
                            first.countDown();
                        }
                    }
                } catch (IOException closedByTheKill) {
                    // expected
                }
            });
            reader.start();
            // the first checkpoint (16 MB) is complete: now kill at a random moment of the following writes
            assertTrue(first.await(60, TimeUnit.SECONDS), "the child wrote no checkpoint");
            Thread.sleep(random.nextInt(400));
            child.destroyForcibly();
            child.waitFor();
            reader.join();
            Checkpoint c = Checkpoint.read(file);
            int k = c.epochsCompleted();
            assertTrue(k >= written.get(), "round " + round + ": the file holds checkpoint " + k + ", but " + written + " was complete");
            for (float[] t : c.tensors().values()) {
                for (float v : t) {
                    assertEquals(k, v, "round " + round + ": checkpoint " + k + " holds values of another write");
                }
            }
            assertEquals(k, c.history().size());
            try (Stream<Path> left = Files.list(dir)) {
                for (Path tmp : left.filter(p -> p.getFileName().toString().endsWith(".arcgrad-tmp")).toList()) {
                    killedMidWrite++; // a temporary file left behind: this kill landed inside a write
                    Files.delete(tmp);
                }
            }
        }
        // writes take most of the child's time, so kills land inside them; show that they did
        assertTrue(killedMidWrite >= 1, "no kill landed inside a write");
    }

    @Test
    void theChildReallyWritesSeveralCheckpoints() throws IOException, InterruptedException {
        // guards the test above: the kill must be able to land mid-write, so writes take a while and repeat
        Path file = dir.resolve("probe.npz");
        Process child = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), CheckpointWriteLoop.class.getName(), file.toString(), "1000000"))
                .redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream()))) {
            assertTrue(out.readLine().startsWith("wrote 1"));
            assertTrue(out.readLine().startsWith("wrote 2"));
        } finally {
            child.destroyForcibly();
            child.waitFor();
        }
        assertTrue(Files.size(file) > 16_000_000);
    }
}
