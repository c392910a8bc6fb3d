package org.arcgrad.arcface.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.arcgrad.arcface.npy.NpyReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code arcgrad train} and {@code arcgrad demo} from the command line: a small synthetic run
 * writes every promised file and a resume with other settings is refused by name; bad input exits
 * 2 with one line naming the option, and trains nothing.
 */
class TrainCommandTest {
    /** A small synthetic problem: 10 identities in 32 dimensions, a 32-32-16 MLP, batch 64. */
    private static final List<String> SMALL = List.of("--dataset", "synthetic", "--synthetic-classes", "10", "--synthetic-dim", "32",
            "--hidden", "32", "--embedding", "16", "--batch", "64");

    @TempDir
    Path dir;

    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    private String[] small(String... extra) {
        List<String> a = new ArrayList<>(List.of("train"));
        a.addAll(SMALL);
        a.addAll(Arrays.asList(extra));
        return a.toArray(new String[0]);
    }

    @Test
    void aSmallRunWritesEverythingAndResumesOnlyWithTheSameSettings() throws IOException {
        Path out = dir.resolve("run");
        CliRun r = run(small("--epochs", "2", "--out", out.toString()));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("epoch 1/2"), r.out());
        assertTrue(r.out().contains("samples/s"), r.out());
        assertTrue(r.out().contains("test accuracy"), r.out());
        assertTrue(r.out().contains("verification accuracy"), r.out());
        for (String f : List.of("metrics.json", "curves.png", "cosines.png", "checkpoint.npz", "weights/load_in_pytorch.py")) {
            assertTrue(Files.size(out.resolve(f)) > 0, f);
        }
        assertEquals(List.of(16, 32), Arrays.stream(NpyReader.read(out.resolve("weights/fc2.weight.npy")).shape()).boxed().toList());
        String metrics = Files.readString(out.resolve("metrics.json"));
        for (String key : List.of("test_accuracy", "verification_accuracy", "verification_std", "epochs", "train_seconds",
                "samples_per_second")) {
            assertTrue(metrics.contains("\"" + key + "\""), key);
        }

        CliRun other = run(small("--epochs", "3", "--out", dir.resolve("other").toString(), "--resume", out.resolve("checkpoint.npz").toString()));
        assertEquals(Main.BAD_INPUT, other.code());
        assertTrue(other.err().contains("--resume:") && other.err().contains("epochs: checkpoint has 2, this run 3"), other.err());

        CliRun same = run(small("--epochs", "2", "--out", out.toString(), "--resume", out.resolve("checkpoint.npz").toString()));
        assertEquals(0, same.code(), same.err());
        assertTrue(same.out().contains("resumed from") && !same.out().contains("epoch 1/2"), "nothing left to train: " + same.out());
    }

    @Test
    void badOptionsAreRefusedNamingTheOption() {
        expectBadInput(run(small("--epochs", "0", "--out", dir.toString())), "--epochs: must be ≥ 1");
        expectBadInput(run("train", "--batch", "1", "--out", dir.toString()), "--batch: must be ≥ 2");
        expectBadInput(run(small("--lr", "-1", "--out", dir.toString())), "--lr:");
        expectBadInput(run(small("--loss", "cosface", "--easy-margin", "--out", dir.toString())), "--easy-margin");
        expectBadInput(run("train", "--dataset", "mnist", "--out", dir.toString()), "--dataset: mnist");
        expectBadInput(run(small("--resume", dir.resolve("missing.npz").toString(), "--out", dir.toString())), "--resume:");
        expectBadInput(run("train", "--data", dir.resolve("nowhere").toString(), "--out", dir.toString()), "apt-get install dataset-fashion-mnist");
        expectBadInput(run("demo", "--data", dir.resolve("nowhere").toString(), "--out", dir.toString()), "apt-get install dataset-fashion-mnist");
        expectBadInput(run("demo", "--epochs", "0"), "--epochs: must be ≥ 1");
    }

    private void expectBadInput(CliRun r, String message) {
        assertEquals(Main.BAD_INPUT, r.code(), r.out() + r.err());
        assertTrue(r.err().contains(message), "expected '" + message + "' in: " + r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
        assertFalse(Files.exists(dir.resolve("checkpoint.npz")), "nothing trained");
    }
}
