package org.arcgrad.arcface.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.arcgrad.arcface.data.DataNotFoundException;
import org.arcgrad.arcface.data.Samples;
import org.arcgrad.arcface.data.TrainTestSplit;
import org.arcgrad.arcface.eval.ClosedSetResult;
import org.arcgrad.arcface.eval.TrainingReport;
import org.arcgrad.arcface.eval.VerificationResult;
import org.arcgrad.arcface.train.Network;
import org.arcgrad.arcface.train.NonFiniteLossException;
import org.arcgrad.arcface.train.Objective;
import org.arcgrad.arcface.train.Recipe;
import org.arcgrad.arcface.train.SettingsMismatchException;
import org.arcgrad.arcface.train.Trainer;
import org.arcgrad.arcface.train.TrainingInterruptedException;
import org.arcgrad.opencl.runtime.DeviceContext;
import org.arcgrad.opencl.runtime.DeviceOutOfMemoryException;

/**
 * One training run from the command line, shared by {@code train} and {@code demo}: opens the
 * device, loads the data, trains with a console progress bar and prints the summary. Returns the
 * exit code: 0, {@link Main#BAD_INPUT} for input the user can fix (options, data, device,
 * checkpoint, an output folder that cannot be written), {@link #DIVERGED} when the loss went NaN or
 * infinite, 130 / 143 when SIGINT / SIGTERM stopped it at a step boundary (see {@link StopSignals}).
 * Device out-of-memory ends as an {@link OutOfMemoryFailure}, anything unforeseen goes to
 * {@link Main}'s handler.
 */
final class TrainingRun {
    /** Exit code when training stopped on a non-finite loss. */
    static final int DIVERGED = 1;

    private TrainingRun() {
    }

    static int run(String command, Recipe recipe, HeadOptions headOptions, DataChoice data, String device, Path out, Path resume,
                   List<String> args, PrintWriter stdout, PrintWriter stderr) {
        Trainer trainer = null;
        try (StopSignals stop = StopSignals.install(stderr)) {
            try {
                Objective objective = headOptions.objective();
                recipe.loss(headOptions.describe()).dataset(data.describe(recipe.seed()));
                OutputCheck.check("--out", out, List.of()); // the folder itself, before the data is read
                if (resume != null && !Files.isRegularFile(resume)) {
                    throw new BadInputException("--resume: " + resume + ": no such checkpoint file");
                }
                TrainTestSplit<? extends Samples> split = data.load(recipe.seed());
                if (recipe.augment() && split.train().images().isEmpty()) {
                    throw new BadInputException("--augment: crops and flips images, and " + recipe.settings().get("dataset")
                            + " has none (its samples are feature vectors); use --dataset fashion-mnist or leave --augment out");
                }
                Network network;
                try {
                    network = recipe.network(split.train().dim(), objective, split.train().classes());
                } catch (IllegalArgumentException e) {
                    throw new BadInputException(e.getMessage());
                }
                if (recipe.classChunk() != null && recipe.classChunk() > 0 && network.headWeight().isEmpty()) {
                    throw new BadInputException("--class-chunk: computes a margin head's classes a chunk at a time, and a pair loss"
                            + " has no classes in its graph (no W)");
                }
                if (recipe.classBalanced()) {
                    try {
                        recipe.batches(split.train());
                    } catch (IllegalArgumentException e) {
                        throw new BadInputException("--classes-per-batch/--samples-per-class: " + e.getMessage());
                    }
                }
                try {
                    recipe.classSampler(network);
                } catch (IllegalArgumentException e) {
                    throw new BadInputException("--sample-rate: " + e.getMessage());
                }
                OutputCheck.check("--out", out, Trainer.outputs(out, network)); // and every file, before the compile
                try (DeviceContext context = DeviceOption.open(device)) {
                    stdout.printf("arcgrad %s: %s on %s (%d train, %d test samples), %s, %s%n", command, network.backbone().describe(),
                            recipe.settings().get("dataset"), split.train().size(), split.test().size(), recipe.settings().get("loss"),
                            recipe.settings().get("optimizer"));
                    stdout.printf("device: %s; %s, %d epochs of batch %d%s, seed %d%n", context.device().name(),
                            recipe.settings().get("schedule"), recipe.epochs(), recipe.batch(),
                            recipe.classBalanced() ? " (" + recipe.settings().get("sampler") + ")" : "", recipe.seed());
                    stdout.flush();
                    trainer = new Trainer(context, recipe, network, split, out, new ConsoleProgress(stdout, System.console() != null))
                            .stopWhen(stop::requested);
                    summary(trainer.run(resume), recipe, context.device().name(), out, stdout);
                    return 0;
                } catch (DeviceOutOfMemoryException e) {
                    throw OutOfMemoryFailure.onDevice(e, "the training step keeps the batch x ("
                            + OutOfMemoryFailure.size(recipe.batch(), network.inputs()) + "), " + (network.headWeight().isPresent()
                            ? "the logits and their gradient (each " + OutOfMemoryFailure.size(recipe.batch(), network.classes())
                                    + "), W and grad W (each " + OutOfMemoryFailure.size((long) network.classes() * network.rowsPerClass(),
                                    network.embedding()) + ")"
                            : "the pair loss's similarities (" + OutOfMemoryFailure.size(recipe.batch(), recipe.batch()) + " each)")
                            + " and the layers' activations",
                            "use " + (recipe.classChunk() != null && recipe.classChunk() > 0 || network.rowsPerClass() != 1 ? ""
                                    : "--class-chunk K (no N×C buffers), ")
                                    + (recipe.sampleRate() != null || network.headWeight().isEmpty() ? ""
                                    : "--sample-rate R (Partial FC: R·C classes a step), ")
                                    + "a smaller --batch, a smaller model (--hidden, --embedding), or a device with more memory (--device)");
                }
            } catch (TrainingInterruptedException e) {
                stdout.flush();
                stderr.println("arcgrad " + command + ": stopped by " + stop.signalName() + (e.stepsInEpoch() == 0
                        ? " before epoch " + e.epoch() : " in epoch " + e.epoch() + " after " + e.stepsInEpoch() + " steps")
                        + " of " + recipe.epochs() + "; " + continuation(command, args, e.lastCheckpoint(), e.lastCheckpointEpoch()));
                return stop.exitCode();
            } catch (BadInputException e) {
                stderr.println("arcgrad " + command + ": " + e.getMessage());
                return Main.BAD_INPUT;
            } catch (DataNotFoundException e) {
                stderr.println("arcgrad " + command + ": --data: " + e.getMessage());
                return Main.BAD_INPUT;
            } catch (SettingsMismatchException e) {
                stderr.println("arcgrad " + command + ": --resume: " + e.getMessage());
                return Main.BAD_INPUT;
            } catch (NonFiniteLossException e) {
                stdout.flush();
                stderr.println("arcgrad " + command + ": " + e.getMessage());
                return DIVERGED;
            } catch (IOException e) {
                stdout.flush();
                stderr.println("arcgrad " + command + ": " + IoMessages.describe(e) + (trainer == null ? ""
                        : "; " + continuation(command, args, trainer.lastCheckpoint().orElse(null), trainer.lastCheckpointEpoch())));
                return Main.BAD_INPUT;
            }
        } finally {
            stdout.flush();
            stderr.flush();
        }
    }

    /** Where the run can go on from: the kept checkpoint and the exact command, or that there is none yet. */
    private static String continuation(String command, List<String> args, Path checkpoint, int epochs) {
        return checkpoint == null
                ? "no epoch had finished, so there is no checkpoint; run the command again to start over"
                : "the checkpoint " + checkpoint + " (after epoch " + epochs + ") is intact; continue with: "
                        + ResumeCommand.of(command, args, checkpoint);
    }

    private static void summary(Trainer.Outcome o, Recipe recipe, String device, Path out, PrintWriter w) {
        int epochs = o.history().size();
        w.println();
        w.printf("trained %d epochs in %.1f s: %.2f s per epoch, %,.0f samples/s (%s)%n", epochs, o.trainSeconds(),
                o.trainSeconds() / Math.max(1, epochs), o.samplesPerSecond(), device);
        w.printf("final training loss      %.4f%n", o.history().last().orElseThrow().loss());
        w.printf("device memory            %s at most in buffers (training step and evaluation)%n",
                org.arcgrad.opencl.runtime.ByteSizes.mib(o.peakDeviceBytes()));
        if (o.evaluation() != null) {
            ClosedSetResult c = o.evaluation().closedSet();
            VerificationResult v = o.evaluation().verification();
            w.printf("test accuracy            %.4f  (closed set, nearest class center, %d test samples)%n", c.accuracy(), c.testSamples());
            w.printf("verification accuracy    %.4f ± %.4f  (LFW protocol: %d pairs, %d folds)%n", v.accuracy(), v.std(),
                    v.protocol().pairs(), v.protocol().folds());
        }
        w.printf("metrics     %s%n", out.resolve(TrainingReport.METRICS));
        List<String> plots = o.reportFiles().stream().map(Path::toString).filter(f -> f.endsWith(".png")).toList();
        w.printf("plots       %s%n", plots.isEmpty() ? "none (this Java cannot draw: see the warning above)" : String.join(", ", plots));
        w.printf("weights     %s/*.npy (load in PyTorch: python3 %s)%n", o.weights(),
                o.weights().resolve(org.arcgrad.arcface.train.WeightsExport.LOADER));
        w.printf("checkpoint  %s (continue with --resume)%n", o.checkpoint());
    }
}
