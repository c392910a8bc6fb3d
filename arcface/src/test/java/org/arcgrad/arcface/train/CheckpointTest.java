package org.arcgrad.arcface.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoint files: what goes in comes out, other settings are refused by name, a failed write changes nothing. */
class CheckpointTest {
    @TempDir
    Path dir;

    @Test
    void roundTrip() throws IOException {
        Path file = dir.resolve("checkpoint.npz");
        Checkpoint c = Checkpoints.filled(3, 0.25f, 2, 5);
        c.write(file);
        Checkpoint r = Checkpoint.read(file);
        assertEquals(3, r.epochsCompleted());
        assertEquals(300, r.stepsCompleted());
        assertEquals(7.5, r.trainSeconds());
        assertEquals(19200, r.trainedSamples());
        assertEquals(c.settings(), r.settings());
        assertEquals(c.tensors().keySet(), r.tensors().keySet());
        for (String name : c.tensors().keySet()) {
            assertArrayEquals(c.tensors().get(name), r.tensors().get(name), name);
            assertArrayEquals(c.shapes().get(name), r.shapes().get(name), name);
        }
        assertEquals(c.history().records(), r.history().records(), "history, NaN (not measured) included");
    }

    @Test
    void otherSettingsAreRefusedNamingEachSetting() {
        Checkpoint c = Checkpoints.filled(1, 1, 1, 1);
        c.requireSettings(Map.of("lr", "0.1", "seed", "0"));
        Map<String, String> other = new LinkedHashMap<>();
        other.put("lr", "0.05");
        other.put("seed", "0");
        other.put("batch", "128");
        SettingsMismatchException e = assertThrows(SettingsMismatchException.class, () -> c.requireSettings(other));
        assertTrue(e.getMessage().contains("lr: checkpoint has 0.1, this run 0.05"), e.getMessage());
        assertTrue(e.getMessage().contains("batch: checkpoint has none, this run 128"), e.getMessage());
        assertTrue(!e.getMessage().contains("seed"), e.getMessage());
    }

    @Test
    void filesThatAreNotCompleteCheckpointsAreRefused() throws IOException {
        Path junk = Files.writeString(dir.resolve("junk.npz"), "not a zip at all");
        IOException e = assertThrows(IOException.class, () -> Checkpoint.read(junk));
        assertTrue(e.getMessage().contains("junk.npz"), e.getMessage());

        Path file = dir.resolve("checkpoint.npz");
        Checkpoints.filled(2, 1, 3, 1000).write(file);
        byte[] whole = Files.readAllBytes(file);
        Path truncated = Files.write(dir.resolve("truncated.npz"), java.util.Arrays.copyOf(whole, whole.length / 2));
        assertThrows(IOException.class, () -> Checkpoint.read(truncated));
        assertThrows(IOException.class, () -> Checkpoint.read(dir.resolve("missing.npz")));
    }

    /** A fault between the start of the temporary file and its rename: the previous checkpoint stays, no temporary file is left. */
    @Test
    void aWriteThatFailsMidwayLeavesThePreviousCheckpoint() throws IOException {
        Path file = dir.resolve("checkpoint.npz");
        Checkpoint good = Checkpoints.filled(1, 1, 2, 1000);
        good.write(file);
        byte[] before = Files.readAllBytes(file);
        // the second tensor's declared shape does not match its values: writing it throws after the first is written
        Checkpoint bad = Checkpoints.filled(2, 2, 2, 1000);
        Map<String, int[]> shapes = new LinkedHashMap<>(bad.shapes());
        shapes.put("layer1.weight", new int[] {7});
        Checkpoint faulty = new Checkpoint(2, 200, 5, 12800, bad.settings(), bad.tensors(), shapes, bad.history());
        assertThrows(IllegalArgumentException.class, () -> faulty.write(file));
        assertArrayEquals(before, Files.readAllBytes(file));
        assertEquals(1, Checkpoint.read(file).epochsCompleted());
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList(), "no temporary file left behind");
        }
    }
}
