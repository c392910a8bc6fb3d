package org.arcgrad.arcface.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.arcgrad.arcface.train.Recipe;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code arcgrad demo}: the default training recipe on Fashion-MNIST, the README's first command.
 * The launcher installs what is missing (OpenCL, the data set) before this runs.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train the default model (784-512-256-128 MLP + ArcFace; --model resnet for the small ResNet) on Fashion-MNIST"
                + " and show the results.",
                "The same as `arcgrad train` with its defaults; writes metrics, plots, weights and a checkpoint to DIR."})
public final class DemoCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--epochs", paramLabel = "N", description = "Default: 10 (the recipe's; about a minute on two cores).")
    private int epochs = 10;

    @Option(names = "--model", paramLabel = "NAME", description = "mlp or resnet (see `arcgrad train --help`). Default: mlp.")
    private Recipe.ModelKind model = Recipe.ModelKind.mlp;

    @Option(names = "--augment", description = "Random crop (padding 2) and horizontal flip of each training image,"
            + " seeded (see `arcgrad train --help`). Default: off.")
    private boolean augment;

    @Option(names = "--device", paramLabel = "SPEC", description = "OpenCL device. Default: ARCGRAD_DEVICE, else a GPU, else the CPU.")
    private String device;

    @Option(names = "--out", paramLabel = "DIR", description = "Output folder. Default: runs/demo.")
    private Path out = Path.of("runs", "demo");

    @Option(names = "--data", paramLabel = "DIR", description = "Fashion-MNIST folder. Default: /usr/share/datasets/fashion-mnist.")
    private Path data;

    @Option(names = "--resume", paramLabel = "FILE", description = "Continue from DIR/checkpoint.npz of a stopped demo.")
    private Path resume;

    @Override
    public Integer call() {
        if (epochs < 1) {
            spec.commandLine().getErr().println("arcgrad demo: --epochs: must be ≥ 1, got " + epochs);
            return Main.BAD_INPUT;
        }
        DataChoice choice = new DataChoice();
        if (data != null) {
            choice.folder = data;
        }
        return TrainingRun.run("demo", new Recipe().model(model).augment(augment).epochs(epochs), new HeadOptions(), choice, device, out, resume,
                CommandArgs.of(spec), spec.commandLine().getOut(), spec.commandLine().getErr());
    }
}
