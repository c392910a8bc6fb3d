package org.arcgrad.arcface.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.arcgrad.arcface.npy.NpyReader;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code arcgrad train} and {@code arcgrad demo} from the command line: a small synthetic run
 * writes every promised file and a resume with other settings is refused by name; bad input exits
 * 2 with one line naming the option, and trains nothing.
 */
class TrainCommandTest {
    @TempDir
    Path dir;

    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    private static String[] small(String... extra) {
        return SmallTraining.train(extra);
    }

    /**
     * The chunked training step (3 classes at a time over 10: chunks of 3, 3, 3 and 1; the head's W
     * and its momentum updated class by class) trains as the whole step does: the same losses per
     * epoch and test accuracy up to fp32 rounding, over two epochs (30 steps), and writes its files.
     */
    @Test
    void theChunkedStepTrainsAsTheWholeStep() throws IOException {
        Path whole = dir.resolve("whole");
        Path chunked = dir.resolve("chunked");
        CliRun a = run(small("--epochs", "2", "--out", whole.toString()));
        CliRun b = run(small("--epochs", "2", "--class-chunk", "3", "--out", chunked.toString()));
        assertEquals(0, a.code(), a.err());
        assertEquals(0, b.code(), b.err());
        assertSameHistory(whole, chunked);
        assertTrue(Files.size(chunked.resolve("checkpoint.npz")) > 0);
        assertEquals(List.of(10, 16), Arrays.stream(NpyReader.read(chunked.resolve("weights/head.weight.npy")).shape()).boxed().toList());

        // a sub-center head (W [3·C, D], the max over each class's centres) trains by chunks as it trains whole
        Path subWhole = dir.resolve("sub-whole");
        Path subChunked = dir.resolve("sub-chunked");
        CliRun c = run(small("--epochs", "2", "--loss", "subcenter", "--out", subWhole.toString()));
        CliRun d = run(small("--epochs", "2", "--loss", "subcenter", "--class-chunk", "3", "--out", subChunked.toString()));
        assertEquals(0, c.code(), c.err());
        assertEquals(0, d.code(), d.err());
        assertSameHistory(subWhole, subChunked);
        assertEquals(List.of(30, 16), Arrays.stream(NpyReader.read(subChunked.resolve("weights/head.weight.npy")).shape()).boxed().toList());
        assertEquals(Main.BAD_INPUT, run(small("--class-chunk", "0")).code());
    }

    /** The same loss and test accuracy per epoch, over two epochs, up to fp32 rounding. */
    private static void assertSameHistory(Path whole, Path chunked) throws IOException {
        var wholeHistory = org.arcgrad.arcface.eval.Json.parse(Files.readString(whole.resolve("metrics.json"))).get("history");
        var chunkedHistory = org.arcgrad.arcface.eval.Json.parse(Files.readString(chunked.resolve("metrics.json"))).get("history");
        for (String key : List.of("loss", "test_accuracy")) {
            for (int e = 0; e < 2; e++) {
                double expected = wholeHistory.get(key).get(e).asDouble();
                double actual = chunkedHistory.get(key).get(e).asDouble();
                assertEquals(expected, actual, 1e-3 * Math.abs(expected) + 1e-6, chunked.getFileName() + ": " + key + " after epoch " + (e + 1));
            }
        }
    }

    /**
     * Partial FC from the command line (100 classes, half of them a step, batch 32): it trains (the
     * loss falls, test accuracy well above chance), records the rate among the settings (a resume
     * without it is refused) and writes W whole, for a sub-center head too; a rate that cannot hold a
     * batch's classes and a rate outside (0, 1] are refused naming the option. (Bitwise resume with
     * Partial FC: ResumeTest; the step against a dense reference: PartialFcStepTest.)
     */
    @Test
    void partialFcTrainsAndRecordsItsRate() throws IOException {
        List<String> options = List.of("--dataset", "synthetic", "--synthetic-classes", "100", "--synthetic-dim", "32",
                "--hidden", "32", "--embedding", "16", "--batch", "32", "--sample-rate", "0.5");
        Path out = dir.resolve("run");
        CliRun a = run(partialFc(options, "--epochs", "2", "--out", out.toString()));
        assertEquals(0, a.code(), a.err());
        assertEquals(List.of(100, 16), Arrays.stream(NpyReader.read(out.resolve("weights/head.weight.npy")).shape()).boxed().toList());
        var metrics = org.arcgrad.arcface.eval.Json.parse(Files.readString(out.resolve("metrics.json")));
        assertEquals("sample_rate=0.5", metrics.get("settings").get("partial_fc").asText());
        var loss = metrics.get("history").get("loss");
        assertTrue(loss.get(1).asDouble() < loss.get(0).asDouble(), "the loss falls: " + loss);
        assertTrue(metrics.get("test_accuracy").asDouble() > 0.3, "test accuracy " + metrics.get("test_accuracy"));

        CliRun other = run(partialFc(options.subList(0, options.size() - 2), "--epochs", "2", "--out", dir.resolve("o").toString(),
                "--resume", out.resolve("checkpoint.npz").toString()));
        expectBadInput(other, "partial_fc: checkpoint has sample_rate=0.5, this run none");
        expectBadInput(run(small("--sample-rate", "0.5", "--out", dir.resolve("x").toString())),
                "--sample-rate: 0.5 of 10 classes is 5 per step, fewer than the 10 classes a batch of 64 may hold");
        Path sub = dir.resolve("sub");
        CliRun subCenter = run(partialFc(options, "--epochs", "1", "--loss", "subcenter", "--k", "2", "--out", sub.toString()));
        assertEquals(0, subCenter.code(), subCenter.err());
        assertEquals(List.of(200, 16), Arrays.stream(NpyReader.read(sub.resolve("weights/head.weight.npy")).shape()).boxed().toList());
        assertTrue(org.arcgrad.arcface.eval.Json.parse(Files.readString(sub.resolve("metrics.json"))).get("test_accuracy").asDouble() > 0.1,
                "a sub-center head learns with Partial FC");
        expectBadInput(run(small("--sample-rate", "0", "--out", dir.resolve("z").toString())), "--sample-rate: must be in (0, 1]");
    }

    /**
     * A pair loss from the command line trains on P×K batches (the batch becomes P·K, the sampler a
     * setting), writes no class weights, and refuses what it cannot use, naming the option: another
     * loss's option, a scale, Partial FC, class chunks, a P×K the data cannot fill or a --batch other
     * than P·K; {@code head} refuses a pair loss (it computes heads over W).
     */
    @Test
    void pairLossesTrainOnPkBatchesAndRefuseWhatTheyCannotUse() throws IOException {
        Path out = dir.resolve("pairs");
        CliRun r = run(noBatch("--loss", "multi-similarity", "--batch", "40", "--classes-per-batch", "5", "--epochs", "1", "--out", out.toString()));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("of batch 40 (pk(classes_per_batch=5, samples_per_class=8))"), r.out());
        var settings = org.arcgrad.arcface.eval.Json.parse(Files.readString(out.resolve("metrics.json"))).get("settings");
        assertEquals("pk(classes_per_batch=5, samples_per_class=8)", settings.get("sampler").asText());
        assertEquals("40", settings.get("batch").asText());
        assertEquals("multi-similarity(alpha=2.0, beta=40.0, lambda=0.5, epsilon=0.1)", settings.get("loss").asText());
        assertFalse(Files.exists(out.resolve("weights/head.weight.npy")), "a pair loss has no class weights");

        expectBadInput(run(small("--loss", "triplet", "--gamma", "3", "--out", dir.toString())), "--gamma: not an option of --loss triplet");
        expectBadInput(run(small("--loss", "triplet", "--soft-margin", "--m", "0.1", "--out", dir.toString())), "the soft margin takes no margin");
        expectBadInput(run(small("--loss", "triplet", "--m", "-1", "--out", dir.toString())), "--m: triplet loss: the margin must be");
        expectBadInput(run(small("--loss", "circle", "--gamma", "0", "--out", dir.toString())), "--gamma: Circle loss: gamma must be");
        expectBadInput(run(small("--loss", "contrastive", "--s", "30", "--out", dir.toString())), "--s (a pair loss has no scale of logits)");
        expectBadInput(run(small("--loss", "circle", "--sample-rate", "1", "--out", dir.toString())),
                "--sample-rate: not with a pair loss, which has no class weights to sample");
        expectBadInput(run(small("--loss", "circle", "--class-chunk", "3", "--out", dir.toString())), "--class-chunk: computes a margin head's");
        expectBadInput(run(noBatch("--loss", "circle", "--samples-per-class", "4", "--classes-per-batch", "11", "--out", dir.toString())),
                "--classes-per-batch/--samples-per-class: a P×K batch takes 11 classes, and the training set has 10");
        expectBadInput(run(small("--loss", "circle", "--classes-per-batch", "5", "--samples-per-class", "8", "--out", dir.toString())),
                "--batch 64 is not P·K = 5 × 8");
        expectBadInput(run(small("--loss", "circle", "--classes-per-batch", "1", "--out", dir.toString())), "--classes-per-batch: must be ≥ 2");
        CliRun unknown = run(small("--loss", "no-such-loss", "--out", dir.toString())); // picocli's parse error: the line, then where help is
        assertEquals(Main.BAD_INPUT, unknown.code(), unknown.err());
        assertTrue(unknown.err().contains("'no-such-loss' is not a loss; expected one of arcface, cosface, sphereface, combined, subcenter,"
                + " magface, curricularface, adaface, elasticface, circle, triplet, contrastive, multi-similarity"), unknown.err());
        expectBadInput(run("head", "--x", "x.npy", "--w", "w.npy", "--labels", "y.npy", "--out", dir.toString(), "--loss", "circle"),
                "--loss circle: a pair loss");
    }

    /** {@code train} with the small problem but no --batch, and {@code extra}. */
    private static String[] noBatch(String... extra) {
        List<String> a = new java.util.ArrayList<>(Arrays.asList(small(extra)));
        int at = a.indexOf("--batch");
        a.subList(at, at + 2).clear();
        return a.toArray(new String[0]);
    }

    /** Synthetic identities are feature vectors, not images: nothing to crop or flip. */
    @Test
    void augmentOnSyntheticDataIsBadInputNamingTheDataSet() {
        CliRun r = run(small("--augment", "--out", dir.resolve("aug").toString()));
        expectBadInput(r, "--augment: crops and flips images, and synthetic");
        assertFalse(Files.exists(dir.resolve("aug").resolve("checkpoint.npz")), "nothing written");
    }

    private static String[] partialFc(List<String> options, String... extra) {
        List<String> a = new java.util.ArrayList<>(List.of("train"));
        a.addAll(options);
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
        assertTrue(r.out().contains("MiB at most in buffers"), r.out());
        for (String f : List.of("metrics.json", "curves.png", "cosines.png", "checkpoint.npz", "weights/load_in_pytorch.py")) {
            assertTrue(Files.size(out.resolve(f)) > 0, f);
        }
        assertEquals(List.of(16, 32), Arrays.stream(NpyReader.read(out.resolve("weights/fc2.weight.npy")).shape()).boxed().toList());
        String metrics = Files.readString(out.resolve("metrics.json"));
        for (String key : List.of("test_accuracy", "verification_accuracy", "verification_std", "epochs", "train_seconds",
                "samples_per_second", "peak_device_bytes")) {
            assertTrue(metrics.contains("\"" + key + "\""), key);
        }
        java.util.regex.Matcher peak = java.util.regex.Pattern.compile("\"peak_device_bytes\": (\\d+)").matcher(metrics);
        assertTrue(peak.find(), metrics);
        // at least the parameters, their momentum and a batch of 64 × 32 inputs; far below a gigabyte
        long parameters = 4L * (32 * 32 + 32 + 16 * 32 + 16 + 10 * 16);
        assertTrue(Long.parseLong(peak.group(1)) > 2 * parameters + 4L * 64 * 32 && Long.parseLong(peak.group(1)) < (1L << 30),
                peak.group(1));

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
        expectBadInput(run("train", "--model", "resnet", "--hidden", "64", "--out", dir.toString()), "--hidden: applies to --model mlp only");
        expectBadInput(run("train", "--model", "resnet", "--dropout", "0.1", "--out", dir.toString()), "--dropout: applies to --model mlp only");
        expectBadInput(run("train", "--model", "resnet", "--dataset", "synthetic", "--synthetic-dim", "32", "--out", dir.toString()),
                "--model resnet takes square single-channel images of at least 4×4 pixels; the data has 32 features per sample");
    }

    @Test
    void outputsOfTheWrongKindAreRefusedBeforeTheCompile() throws IOException {
        Path out = dir.resolve("run");
        Files.createDirectories(out);
        Path weights = Files.writeString(out.resolve("weights"), "a file where the weights folder goes");
        CliRun r = run(small("--epochs", "1", "--out", out.toString()));
        expectBadInput(r, "--out: " + weights + " exists and is not a folder, where this command writes");
        assertFalse(r.out().contains("compiled"), r.out());

        Files.delete(weights);
        Files.createDirectories(out.resolve("metrics.json"));
        expectBadInput(run(small("--epochs", "1", "--out", out.toString())), out.resolve("metrics.json") + " is a folder");

        Path plain = Files.writeString(dir.resolve("plain"), "x");
        expectBadInput(run(small("--epochs", "1", "--out", plain.resolve("run").toString())), "--out: cannot create");
        assertFalse(Files.exists(out.resolve("checkpoint.npz")), "nothing trained");
    }

    @Test
    void aDeviceNoneMatchesIsOneLineNamingTheOptionAndListingTheDevices() {
        CliRun r = run(small("--epochs", "1", "--device", "no-such-device", "--out", dir.toString()));
        expectBadInput(r, "The device spec 'no-such-device' (from --device) matches no OpenCL device. Devices here: 0:0 ");
    }

    @Test
    void deviceOutOfMemoryNamesTheBatchLogitsAndWAndAdvisesASmallerBatch() {
        // a million identities and a batch whose logits pass the device's largest allocation, the whole step on request
        int classes = 1_000_000;
        long maxAlloc;
        try (var context = DeviceOption.open(null)) {
            maxAlloc = context.device().info().maxAllocBytes();
        }
        int batch = (int) (maxAlloc / Float.BYTES / classes + 1);
        // where the largest allocation is 2^31 floats or more, batch × C passes 32-bit indexing first (exit 2, another check)
        Assumptions.assumeTrue((long) batch * classes < Integer.MAX_VALUE, "this device allocates more than an int-indexed tensor holds");
        CliRun r = run("train", "--dataset", "synthetic", "--synthetic-classes", String.valueOf(classes), "--synthetic-dim", "8",
                "--hidden", "4", "--embedding", "2", "--batch", String.valueOf(batch), "--epochs", "1", "--class-chunk", "off",
                "--out", dir.toString());
        assertEquals(Main.OUT_OF_MEMORY, r.code(), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().startsWith("arcgrad train: out of device memory on '"), r.err());
        assertTrue(r.err().contains("the logits and their gradient (each " + batch + "×" + classes + " float32")
                && r.err().contains("W and grad W (each " + classes + "×2 float32"), r.err());
        assertTrue(r.err().contains("use --class-chunk K (no N×C buffers), --sample-rate R") && r.err().contains("a smaller --batch"), r.err());
        assertFalse(Files.exists(dir.resolve("checkpoint.npz")), "nothing trained");
    }

    private void expectBadInput(CliRun r, String message) {
        assertEquals(Main.BAD_INPUT, r.code(), r.out() + r.err());
        assertTrue(r.err().contains(message), "expected '" + message + "' in: " + r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
        assertFalse(Files.exists(dir.resolve("checkpoint.npz")), "nothing trained");
    }
}
