package org.arcgrad.arcface.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.arcgrad.arcface.nn.Mlp;
import org.arcgrad.arcface.train.Recipe;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code arcgrad train}: trains an embedding model (an MLP or a small ResNet) with a margin head or a pair loss on the OpenCL device.
 * The defaults are issue 5's recipe (see {@link Recipe}); every option's default is in --help.
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train an embedding model (an MLP, or a small ResNet) with a margin head (ArcFace by default) or a pair loss on the OpenCL device.",
                "Defaults: Fashion-MNIST, 784-512-256-128 MLP with batch norm and ReLU, ArcFace s=30 m=0.5,"
                        + " SGD with Nesterov momentum 0.9 and weight decay 5e-4, one-cycle to lr 0.1, batch 256, 10 epochs.",
                "Writes DIR/metrics.json, DIR/curves.png, DIR/cosines.png, DIR/weights/*.npy (with load_in_pytorch.py)"
                        + " and DIR/checkpoint.npz after every epoch (atomically).",
                "Ctrl-C (or SIGTERM) stops at the next step and prints the --resume command that continues; a second Ctrl-C quits at once.",
                "Exit codes: 0 done, 1 the loss became NaN or infinite (the last checkpoint is kept), 2 bad input or environment,",
                "3 out of memory (Java heap or device), 4 an internal error (ARCGRAD_DEBUG=1 prints its stack trace),",
                "130 stopped by Ctrl-C (SIGINT), 143 stopped by SIGTERM."})
public final class TrainCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private DataChoice data = new DataChoice();

    @Mixin
    private HeadOptions head = new HeadOptions();

    @Mixin
    private PairLossOptions pairLoss = new PairLossOptions(head.choice());

    @Option(names = "--model", order = 19, paramLabel = "NAME",
            description = "mlp, or resnet (issue 11's small ResNet: a 3x3 stem of 16 channels, basic blocks of 16, 32 and 64"
                    + " channels, the last two at stride 2, then batch norm, a linear layer and batch norm to the embedding;"
                    + " square single-channel images). --hidden, --activation and --dropout are the MLP's. Default: mlp.")
    private Recipe.ModelKind model = Recipe.ModelKind.mlp;

    @Option(names = "--augment", order = 19,
            description = "Augment each training image as torchvision's RandomCrop(28, padding=2) then"
                    + " RandomHorizontalFlip() would: shifted by up to 2 pixels each way over a blank border, mirrored"
                    + " with probability 1/2, drawn per sample from the seed and the epoch (a resumed run augments as one"
                    + " that never stopped). Images only (fashion-mnist). Default: off.")
    private boolean augment;

    @Option(names = "--embedding", order = 20, paramLabel = "E", description = "Embedding width. Default: 128.")
    private int embedding = 128;

    @Option(names = "--hidden", order = 21, split = ",", paramLabel = "W", description = "Hidden widths. Default: 512,256.")
    private List<Integer> hidden = List.of(512, 256);

    @Option(names = "--activation", order = 22, paramLabel = "NAME", description = "relu or prelu. Default: relu.")
    private Activation activation = Activation.relu;

    @Option(names = "--dropout", order = 23, paramLabel = "P", description = "Dropout after each hidden activation. Default: 0 (none).")
    private double dropout;

    @Option(names = "--epochs", order = 24, paramLabel = "N", description = "Default: 10.")
    private int epochs = 10;

    @Option(names = "--batch", order = 25, paramLabel = "B", description = "Default: 256 (P·K with P×K batches).")
    private Integer batch;

    @Option(names = "--classes-per-batch", order = 25, paramLabel = "P",
            description = "P×K batches: each batch takes K samples of each of P distinct classes (drawn per batch, seeded; each"
                    + " class's samples shuffled per epoch), batch P·K, about one pass over the data an epoch. Default: 8 with a"
                    + " pair loss, else shuffled batches.")
    private Integer classesPerBatch;

    @Option(names = "--samples-per-class", order = 25, paramLabel = "K",
            description = "P×K batches: samples of each class in a batch. Default: 32 with a pair loss (batch 256), or --batch / P.")
    private Integer samplesPerClass;

    @Option(names = "--lr", order = 26, paramLabel = "LR", description = "Peak learning rate (one-cycle's max). Default: 0.1.")
    private double lr = 0.1;

    @Option(names = "--optimizer", order = 27, paramLabel = "NAME", description = "sgd or adamw. Default: sgd.")
    private Recipe.OptimizerKind optimizer = Recipe.OptimizerKind.sgd;

    @Option(names = "--momentum", order = 28, paramLabel = "M",
            description = "SGD momentum or AdamW β1 (one-cycle cycles it 0.95→0.85→0.95, as torch's OneCycleLR). Default: 0.9.")
    private double momentum = 0.9;

    @Option(names = "--no-nesterov", order = 29, description = "Plain momentum instead of Nesterov's (SGD).")
    private boolean noNesterov;

    @Option(names = "--weight-decay", order = 30, paramLabel = "WD", description = "Default: 5e-4 (sgd), 0.01 (adamw).")
    private Double weightDecay;

    @Option(names = "--schedule", order = 31, paramLabel = "NAME",
            description = "onecycle, cosine, step (×0.1 at each third) or constant. Default: onecycle.")
    private Recipe.ScheduleKind schedule = Recipe.ScheduleKind.onecycle;

    @Option(names = "--warmup", order = 32, paramLabel = "STEPS", description = "Linear warm-up steps before the schedule. Default: 0.")
    private long warmup;

    @Option(names = "--device", order = 33, paramLabel = "SPEC",
            description = "OpenCL device: an index (0:0), a type (gpu, cpu) or part of a name. Default: ARCGRAD_DEVICE, else a GPU, else the CPU.")
    private String device;

    @Option(names = "--seed", order = 34, paramLabel = "S", description = "Seeds initialization, shuffling and dropout. Default: 0.")
    private long seed;

    @Option(names = "--class-chunk", order = 37, paramLabel = "K|auto|off",
            description = "Run the training step K classes at a time, so that no device buffer holds N×C values (the head's"
                    + " W-sized values, its gradient and update included, are computed class by class, as with head"
                    + " --class-chunk); it saves device memory, not time. auto: the whole step"
                    + " when its buffers fit in half the device's memory, else chunks of C/25 classes within [1024, 16384]."
                    + " Default: auto.")
    private String classChunk = ClassChunkOption.AUTO;

    @Option(names = "--sample-rate", order = 38, paramLabel = "R",
            description = "Partial FC (insightface): each step computes the loss over the batch's classes and others drawn"
                    + " uniformly (seeded), floor(R·C) classes in all, and updates only their rows of W and of its momentum"
                    + " (rows not drawn keep weight and optimizer state). R in (0, 1], R·C at least the batch. Default: every class.")
    private Double sampleRate;

    @Option(names = "--out", order = 35, paramLabel = "DIR", description = "Output folder. Default: runs/train.")
    private Path out = Path.of("runs", "train");

    @Option(names = "--resume", order = 36, paramLabel = "FILE",
            description = "Continue from a checkpoint (DIR/checkpoint.npz) made with the same settings.")
    private Path resume;

    /** The batch without P×K batches, and K·P's default with them. */
    static final int DEFAULT_BATCH = 256;
    /** Classes per P×K batch when a pair loss does not say. */
    static final int DEFAULT_P = 8;

    enum Activation {
        relu, prelu
    }

    @Override
    public Integer call() {
        Recipe recipe;
        try {
            recipe = recipe();
        } catch (BadInputException e) {
            spec.commandLine().getErr().println("arcgrad train: " + e.getMessage());
            spec.commandLine().getErr().flush();
            return Main.BAD_INPUT;
        }
        return TrainingRun.run("train", recipe, head, data, device, out, resume, CommandArgs.of(spec),
                spec.commandLine().getOut(), spec.commandLine().getErr());
    }

    private Recipe recipe() {
        require(epochs >= 1, "--epochs: must be ≥ 1, got " + epochs);
        require(batch == null || batch >= 2, "--batch: must be ≥ 2 (batch norm needs two samples), got " + batch);
        require(lr > 0 && Double.isFinite(lr), "--lr: must be a finite number > 0, got " + lr);
        require(momentum >= 0 && momentum < 1, "--momentum: must be in [0, 1), got " + momentum);
        require(weightDecay == null || weightDecay >= 0, "--weight-decay: must be ≥ 0, got " + weightDecay);
        require(dropout >= 0 && dropout < 1, "--dropout: must be in [0, 1), got " + dropout);
        require(embedding >= 1, "--embedding: must be ≥ 1, got " + embedding);
        require(warmup >= 0, "--warmup: must be ≥ 0, got " + warmup);
        require(sampleRate == null || sampleRate > 0 && sampleRate <= 1, "--sample-rate: must be in (0, 1], got " + sampleRate);
        for (int w : hidden) {
            require(w >= 1, "--hidden: widths must be ≥ 1, got " + w);
        }
        if (model != Recipe.ModelKind.mlp) {
            for (String mlpOnly : List.of("--hidden", "--activation", "--dropout")) {
                require(!spec.commandLine().getParseResult().hasMatchedOption(mlpOnly), mlpOnly + ": applies to --model mlp only");
            }
        }
        Recipe r = new Recipe().model(model).hidden(hidden).embedding(embedding)
                .activation(activation == Activation.relu ? Mlp.Activation.RELU : Mlp.Activation.PRELU).dropout(dropout)
                .optimizer(optimizer).lr(lr).momentum(momentum).nesterov(!noNesterov).schedule(schedule).warmupSteps(warmup)
                .epochs(epochs).batch(batch == null ? DEFAULT_BATCH : batch).seed(seed).classChunk(ClassChunkOption.parse(classChunk)).sampleRate(sampleRate).augment(augment);
        if (weightDecay != null) {
            r.weightDecay(weightDecay);
        }
        classBalanced(r);
        return r;
    }

    /**
     * P×K batches when asked for, or by default with a pair loss (P = {@value #DEFAULT_P}, K from
     * --batch or {@value #DEFAULT_BATCH} / P); --batch, when given too, must be P·K.
     */
    private void classBalanced(Recipe r) {
        if (classesPerBatch == null && samplesPerClass == null && !head.choice().loss.pair()) {
            return;
        }
        int p = classesPerBatch != null ? classesPerBatch
                : samplesPerClass != null && batch != null && batch % samplesPerClass == 0 ? batch / samplesPerClass : DEFAULT_P;
        require(p >= 2, "--classes-per-batch: must be ≥ 2 (negatives come from other classes), got " + p);
        int k = samplesPerClass != null ? samplesPerClass : (batch == null ? DEFAULT_BATCH : batch) / p;
        require(k >= 2, "--samples-per-class: must be ≥ 2 (positives come from the same class), got " + k
                + (samplesPerClass == null ? " (--batch / P)" : ""));
        require(batch == null || batch == p * k, "--batch " + batch + " is not P·K = " + p + " × " + k
                + "; leave --batch out with --classes-per-batch and --samples-per-class");
        r.classBalanced(p, k);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new BadInputException(message);
        }
    }
}
