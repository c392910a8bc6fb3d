package org.arcgrad.arcface.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.arcgrad.arcface.cli.DeviceOption;
import org.arcgrad.arcface.data.EpochPermutation;
import org.arcgrad.arcface.data.FashionMnist;
import org.arcgrad.arcface.eval.EpochRecord;
import org.arcgrad.arcface.heads.ArcFace;
import org.arcgrad.arcface.nn.ParameterSpec;
import org.arcgrad.arcface.npy.NpyArray;
import org.arcgrad.arcface.npy.NpyReader;
import org.arcgrad.arcface.npy.NpyWriter;
import org.arcgrad.arcface.train.Evaluator;
import org.arcgrad.arcface.train.Network;
import org.arcgrad.arcface.train.Recipe;
import org.arcgrad.arcface.train.Trainer;
import org.arcgrad.arcface.train.TrainingListener;
import org.arcgrad.arcface.train.WeightsExport;
import org.arcgrad.opencl.bench.Median;
import org.arcgrad.opencl.bench.PythonPeer;
import org.arcgrad.opencl.runtime.DeviceContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code arcgrad bench train}: the default training recipe on Fashion-MNIST, arcgrad on the OpenCL
 * device beside PyTorch on the CPU (bench/train_torch.py), on the same machine, alternating epoch
 * by epoch so both see the same load. Both start from the same initial weights, visit the same
 * batches in the same order, and are scored by the same evaluation (the peer's embeddings go
 * through arcgrad's closed-set and verification code, with the same pairs). Reports time per
 * epoch (training steps only, evaluation excluded on both sides) and final accuracies.
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Time the default training recipe (Fashion-MNIST, 784-512-256-128 + ArcFace, 10 epochs; or --model resnet)"
                + " beside PyTorch."})
public final class TrainBenchmark implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--model", paramLabel = "NAME",
            description = "mlp (the default recipe's 784-512-256-128) or resnet (issue 11's small ResNet, built the same way on"
                    + " both sides: the peer takes the network class from the exported load_in_pytorch.py). Default: mlp.")
    private Recipe.ModelKind model = Recipe.ModelKind.mlp;

    @Option(names = "--epochs", description = "Default: 10 (the recipe's).")
    private int epochs = 10;

    @Option(names = "--device", paramLabel = "SPEC", description = "OpenCL device. Default: ARCGRAD_DEVICE, else a GPU, else the CPU.")
    private String device;

    @Option(names = "--data", paramLabel = "DIR", description = "Fashion-MNIST folder. Default: /usr/share/datasets/fashion-mnist.")
    private Path data = FashionMnist.DEFAULT_FOLDER;

    @Option(names = "--out", paramLabel = "DIR", description = "Where both runs' files go. Default: runs/bench-train.")
    private Path out = Path.of("runs", "bench-train");

    @Option(names = "--threads", description = "PyTorch's threads (torch.set_num_threads, OMP_NUM_THREADS, OPENBLAS_NUM_THREADS)."
            + " Default: the core count.")
    private int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--openblas-coretype", paramLabel = "TYPE",
            description = "OPENBLAS_CORETYPE for the peer (e.g. SkylakeX on AVX-512 CPUs). Default: the environment's.")
    private String openblasCoreType;

    @Option(names = "--omp-wait-policy", paramLabel = "POLICY",
            description = "OMP_WAIT_POLICY for the peer. Default: PASSIVE (spinning OpenMP threads slow torch's OpenBLAS calls 2-3x here).")
    private String ompWaitPolicy = "PASSIVE";

    @Option(names = "--python", description = "Python with torch. Default: /usr/bin/python3.")
    private String python = "/usr/bin/python3";

    @Option(names = "--no-torch", description = "Run arcgrad only.")
    private boolean noTorch;

    private static final Pattern EPOCH = Pattern.compile("epoch=(\\d+) seconds=([0-9.]+) loss=([0-9.naif-]+)");

    @Override
    public Integer call() throws Exception {
        PrintWriter w = spec.commandLine().getOut();
        FashionMnist fm = FashionMnist.load(data);
        Recipe recipe = new Recipe().model(model).epochs(epochs);
        Network network = recipe.network(FashionMnist.DIM, new ArcFace(), FashionMnist.CLASSES, 1);
        Files.createDirectories(out);
        writePeerInputs(network, recipe, fm.train().size());

        double[] torchSeconds = new double[epochs];
        double[] torchLoss = new double[epochs];
        try (DeviceContext context = DeviceOption.open(device);
             LockstepPeer peer = noTorch ? null : startPeer(fm)) {
            w.printf("arcgrad: %s; PyTorch: %s%n", context.device().name(), peer == null ? "not run (--no-torch)" : peer.info());
            w.printf("recipe: %s, %s, %s, %s, batch %d, %d epochs; same initial weights and batch order on both sides%n",
                    recipe.settings().get("model"), recipe.settings().get("loss"), recipe.settings().get("optimizer"),
                    recipe.settings().get("schedule"), recipe.batch(), epochs);
            w.printf("%-6s | %12s %10s | %12s %10s%n", "epoch", "arcgrad s", "loss", "PyTorch s", "loss");
            w.flush();
            double[] oursSeconds = new double[epochs];
            double[] oursLoss = new double[epochs];
            Trainer trainer = new Trainer(context, recipe, network, fm.split(), out.resolve("arcgrad"), new TrainingListener() {
                @Override
                public void epochDone(EpochRecord r, Path checkpoint) {
                    int e = r.epoch() - 1;
                    oursSeconds[e] = r.seconds();
                    oursLoss[e] = r.loss();
                    if (peer != null) {
                        Matcher m = EPOCH.matcher(ask(peer, "epoch " + r.epoch(), "TRAIN_TORCH epoch="));
                        if (!m.find()) {
                            throw new IllegalStateException("unexpected peer answer");
                        }
                        torchSeconds[e] = Double.parseDouble(m.group(2));
                        torchLoss[e] = Double.parseDouble(m.group(3));
                    }
                    w.printf("%-6d | %12.3f %10.4f | %12s %10s%n", r.epoch(), r.seconds(), r.loss(),
                            peer == null ? "-" : String.format("%.3f", torchSeconds[e]), peer == null ? "-" : String.format("%.4f", torchLoss[e]));
                    w.flush();
                }
            });
            Trainer.Outcome ours = trainer.run(null);
            Evaluator.Result theirs = null;
            if (peer != null) {
                peer.ask("finish", "TRAIN_TORCH_DONE");
                float[] train = NpyReader.read(out.resolve("torch_train.npy")).float32Data();
                float[] test = NpyReader.read(out.resolve("torch_test.npy")).float32Data();
                theirs = new Evaluator(fm.train(), fm.test()).score(train, test, recipe.embedding());
            }
            double samplesPerEpoch = (double) ours.trainedSamples() / epochs;
            table(w, samplesPerEpoch, oursSeconds, ours.evaluation(), ours.history().last().orElseThrow().loss(), torchSeconds, theirs,
                    peer == null ? Double.NaN : torchLoss[epochs - 1]);
        }
        return 0;
    }

    private void table(PrintWriter w, double samplesPerEpoch, double[] ours, Evaluator.Result ourResult, double ourLoss, double[] theirs,
                       Evaluator.Result theirResult, double theirLoss) {
        boolean peer = theirResult != null;
        w.println();
        w.printf("%-34s | %18s | %18s%n", "", "arcgrad (OpenCL)", "PyTorch (CPU)");
        row(w, "time per epoch, mean (s)", mean(ours), peer ? mean(theirs) : Double.NaN, "%.3f");
        row(w, "time per epoch, median (s)", Median.of(ours), peer ? Median.of(theirs) : Double.NaN, "%.3f");
        row(w, "time per epoch, fastest (s)", Arrays.stream(ours).min().orElse(0), peer ? Arrays.stream(theirs).min().orElse(0) : Double.NaN, "%.3f");
        row(w, "samples per second (mean epoch)", samplesPerEpoch / mean(ours), peer ? samplesPerEpoch / mean(theirs) : Double.NaN, "%.0f");
        row(w, "final epoch mean loss", ourLoss, theirLoss, "%.4f");
        row(w, "test accuracy (closed set)", ourResult.closedSet().accuracy(), peer ? theirResult.closedSet().accuracy() : Double.NaN, "%.4f");
        w.printf("%-34s | %18s | %18s%n", "verification accuracy ± std",
                String.format("%.4f ± %.4f", ourResult.verification().accuracy(), ourResult.verification().std()),
                peer ? String.format("%.4f ± %.4f", theirResult.verification().accuracy(), theirResult.verification().std()) : "-");
        if (peer) {
            w.printf("time per epoch, arcgrad / PyTorch: %.2f (mean), %.2f (median)%n", mean(ours) / mean(theirs), Median.of(ours) / Median.of(theirs));
        }
        w.println("Both timed over the training steps only (batch gathering, forward, backward, update, loss read back);"
                + " evaluation is outside; both scored by arcgrad's evaluation on the same verification pairs.");
        w.flush();
    }

    private static void row(PrintWriter w, String name, double ours, double theirs, String format) {
        w.printf("%-34s | %18s | %18s%n", name, String.format(format, ours), Double.isNaN(theirs) ? "-" : String.format(format, theirs));
    }

    private static String ask(LockstepPeer peer, String command, String answer) {
        try {
            return peer.ask(command, answer);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The initial weights (exactly those the trainer starts from) and every epoch's sample order. */
    private void writePeerInputs(Network network, Recipe recipe, int samples) throws IOException {
        Map<String, float[]> initial = new LinkedHashMap<>();
        List<ParameterSpec> specs = new ArrayList<>(network.backbone().parameters());
        network.headWeight().ifPresent(specs::add);
        for (ParameterSpec s : specs) {
            initial.put(s.name(), s.initialValue(recipe.seed()));
        }
        WeightsExport.write(out.resolve("init"), network, initial, 0);
        int[] orders = new int[epochs * samples];
        for (int e = 0; e < epochs; e++) {
            System.arraycopy(EpochPermutation.of(recipe.seed(), e, samples), 0, orders, e * samples, samples);
        }
        NpyWriter.write(out.resolve("orders.npy"), NpyArray.ofInt32(new int[] {epochs, samples}, orders));
    }

    private LockstepPeer startPeer(FashionMnist fm) throws IOException {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("OMP_NUM_THREADS", "" + threads);
        env.put("OPENBLAS_NUM_THREADS", "" + threads);
        if (ompWaitPolicy != null && !ompWaitPolicy.isEmpty()) {
            env.put("OMP_WAIT_POLICY", ompWaitPolicy);
        }
        if (openblasCoreType != null) {
            env.put("OPENBLAS_CORETYPE", openblasCoreType);
        }
        List<String> command = List.of(python, PythonPeer.script("train_torch.py").toString(), "--dir", out.toString(),
                "--data", data.toString(), "--mean", Double.toString(fm.normalization().mean()),
                "--std", Double.toString(fm.normalization().std()), "--epochs", "" + epochs, "--threads", "" + threads,
                "--model", model.name());
        return new LockstepPeer(command, env, "TRAIN_TORCH");
    }

    private static double mean(double[] a) {
        return Arrays.stream(a).average().orElse(Double.NaN);
    }
}
