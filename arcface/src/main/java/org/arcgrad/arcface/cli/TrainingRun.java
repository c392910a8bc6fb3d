package org.arcgrad.arcface.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.arcgrad.arcface.data.DataNotFoundException;
import org.arcgrad.arcface.data.Samples;
import org.arcgrad.arcface.data.TrainTestSplit;
import org.arcgrad.arcface.eval.ClosedSetResult;
import org.arcgrad.arcface.eval.TrainingReport;
import org.arcgrad.arcface.eval.VerificationResult;
import org.arcgrad.arcface.heads.MarginHead;
import org.arcgrad.arcface.train.NonFiniteLossException;
import org.arcgrad.arcface.train.Network;
import org.arcgrad.arcface.train.Recipe;
import org.arcgrad.arcface.train.SettingsMismatchException;
import org.arcgrad.arcface.train.Trainer;
import org.arcgrad.opencl.runtime.CacheSettings;
import org.arcgrad.opencl.runtime.DeviceContext;
import org.arcgrad.opencl.runtime.Devices;
import org.arcgrad.opencl.runtime.OpenClException;

/**
 * One training run from the command line, shared by {@code train} and {@code demo}: opens the
 * device, loads the data, trains with a console progress bar and prints the summary. Returns the
 * exit code: 0, {@link Main#BAD_INPUT} for input the user can fix (options, data, device,
 * checkpoint), {@link #DIVERGED} when the loss went NaN or infinite.
 */
final class TrainingRun {
    /** Exit code when training stopped on a non-finite loss. */
    static final int DIVERGED = 1;

    private TrainingRun() {
    }

    static int run(String command, Recipe recipe, HeadOptions headOptions, DataChoice data, String device, Path out, Path resume,
                   PrintWriter stdout, PrintWriter stderr) {
        try {
            MarginHead head = headOptions.build();
            recipe.loss(headOptions.describe()).dataset(data.describe(recipe.seed()));
            if (Files.exists(out) && !Files.isDirectory(out)) {
                throw new BadInputException("--out: " + out + " exists and is not a folder");
            }
            if (resume != null && !Files.isRegularFile(resume)) {
                throw new BadInputException("--resume: " + resume + ": no such checkpoint file");
            }
            TrainTestSplit<? extends Samples> split = data.load(recipe.seed());
            Network network = recipe.network(split.train().dim(), head, split.train().classes(), headOptions.choice().rowsPerClass());
            try (DeviceContext context = DeviceContext.open(device == null ? Devices.choose() : Devices.choose(device),
                    CacheSettings.fromEnvironment())) {
                stdout.printf("arcgrad %s: %s on %s (%d train, %d test samples), %s, %s%n", command, network.backbone().describe(),
                        recipe.settings().get("dataset"), split.train().size(), split.test().size(), recipe.settings().get("loss"),
                        recipe.settings().get("optimizer"));
                stdout.printf("device: %s; %s, %d epochs of batch %d, seed %d%n", context.device().name(),
                        recipe.settings().get("schedule"), recipe.epochs(), recipe.batch(), recipe.seed());
                stdout.flush();
                Trainer trainer = new Trainer(context, recipe, network, split, out,
                        new ConsoleProgress(stdout, System.console() != null));
                summary(trainer.run(resume), recipe, context.device().name(), out, stdout);
                return 0;
            }
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
        } catch (OpenClException e) {
            stderr.println("arcgrad " + command + ": --device: " + e.getMessage().lines().findFirst().orElse(""));
            return Main.BAD_INPUT;
        } catch (IOException e) {
            stderr.println("arcgrad " + command + ": " + e.getMessage());
            return Main.BAD_INPUT;
        } finally {
            stdout.flush();
            stderr.flush();
        }
    }

    private static void summary(Trainer.Outcome o, Recipe recipe, String device, Path out, PrintWriter w) {
        int epochs = o.history().size();
        w.println();
        w.printf("trained %d epochs in %.1f s: %.2f s per epoch, %,.0f samples/s (%s)%n", epochs, o.trainSeconds(),
                o.trainSeconds() / Math.max(1, epochs), o.samplesPerSecond(), device);
        w.printf("final training loss      %.4f%n", o.history().last().orElseThrow().loss());
        if (o.evaluation() != null) {
            ClosedSetResult c = o.evaluation().closedSet();
            VerificationResult v = o.evaluation().verification();
            w.printf("test accuracy            %.4f  (closed set, nearest class center, %d test samples)%n", c.accuracy(), c.testSamples());
            w.printf("verification accuracy    %.4f ± %.4f  (LFW protocol: %d pairs, %d folds)%n", v.accuracy(), v.std(),
                    v.protocol().pairs(), v.protocol().folds());
        }
        w.printf("metrics     %s%n", out.resolve(TrainingReport.METRICS));
        w.printf("plots       %s, %s%n", out.resolve(TrainingReport.CURVES), out.resolve(TrainingReport.COSINES));
        w.printf("weights     %s/*.npy (load in PyTorch: python3 %s)%n", o.weights(),
                o.weights().resolve(org.arcgrad.arcface.train.WeightsExport.LOADER));
        w.printf("checkpoint  %s (continue with --resume)%n", o.checkpoint());
    }
}
