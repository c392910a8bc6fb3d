package org.arcgrad.arcface.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.arcgrad.arcface.data.Batch;
import org.arcgrad.arcface.data.Batcher;
import org.arcgrad.arcface.data.ImageAugmentation;
import org.arcgrad.arcface.data.PartialFcSampler;
import org.arcgrad.arcface.data.Samples;
import org.arcgrad.arcface.data.TrainTestSplit;
import org.arcgrad.arcface.eval.EpochRecord;
import org.arcgrad.arcface.eval.TrainingHistory;
import org.arcgrad.arcface.eval.TrainingMetrics;
import org.arcgrad.arcface.eval.TrainingReport;
import org.arcgrad.arcface.nn.ParameterSpec;
import org.arcgrad.arcface.optim.Optimizer;
import org.arcgrad.arcface.optim.Schedule;
import org.arcgrad.opencl.CompileOptions;
import org.arcgrad.opencl.files.TemporaryFiles;
import org.arcgrad.opencl.fused.ChunkedExecutable;
import org.arcgrad.opencl.runtime.DeviceContext;

/**
 * Trains a {@link Network} by a {@link Recipe} on a train/test split, on one device:
 * <ol>
 *   <li>compiles the training step (forward, backward, optimizer update: one executable) and the
 *       inference graph once;</li>
 *   <li>per epoch: batches shuffled by (seed, epoch), one device step each, the loss read back to
 *       check it is finite and to show progress; then evaluation (closed-set and verification
 *       accuracy, off the training clock), a checkpoint ({@value #CHECKPOINT}, atomic) and the
 *       report (curves.png, cosines.png, metrics.json), so the output folder is always current;</li>
 *   <li>at the end, the weights as .npy files in {@value #WEIGHTS}/.</li>
 * </ol>
 * A run resumed from a checkpoint continues at the next epoch with the same state and the same
 * random streams, and ends bitwise equal to a run that never stopped (same device and driver).
 */
public final class Trainer {
    public static final String CHECKPOINT = "checkpoint.npz";
    public static final String WEIGHTS = "weights";

    private final DeviceContext context;
    private final Recipe recipe;
    private final Network network;
    private final TrainTestSplit<? extends Samples> data;
    private final Path out;
    private final TrainingListener listener;
    private boolean evaluate = true;
    private BooleanSupplier stopRequested = () -> false;
    private Path lastCheckpoint;
    private int lastCheckpointEpoch;

    /** The result of a run. */
    public record Outcome(TrainingHistory history, Evaluator.Result evaluation, double trainSeconds, long trainedSamples,
                          Map<String, float[]> values, List<Path> reportFiles, Path checkpoint, Path weights, long peakDeviceBytes) {
        public double samplesPerSecond() {
            return trainSeconds > 0 ? trainedSamples / trainSeconds : Double.NaN;
        }
    }

    public Trainer(DeviceContext context, Recipe recipe, Network network, TrainTestSplit<? extends Samples> data, Path out,
                   TrainingListener listener) {
        if (data.train().dim() != network.inputs() || data.train().classes() != network.classes()) {
            throw new IllegalArgumentException("the network takes " + network.inputs() + " features and " + network.classes()
                    + " classes; the data has " + data.train().dim() + " and " + data.train().classes());
        }
        this.context = context;
        this.recipe = recipe;
        this.network = network;
        this.data = data;
        this.out = out;
        this.listener = listener;
    }

    /** Every file a run writes into {@code out}, so a caller can check them before any work. */
    public static List<Path> outputs(Path out, Network network) {
        List<Path> files = new java.util.ArrayList<>(List.of(out.resolve(CHECKPOINT), out.resolve(TrainingReport.METRICS),
                out.resolve(TrainingReport.CURVES), out.resolve(TrainingReport.COSINES)));
        files.addAll(WeightsExport.files(out.resolve(WEIGHTS), network));
        return files;
    }

    /** The last checkpoint this run wrote or resumed from, and the epochs it holds; empty before the first. */
    public java.util.Optional<Path> lastCheckpoint() {
        return java.util.Optional.ofNullable(lastCheckpoint);
    }

    public int lastCheckpointEpoch() {
        return lastCheckpointEpoch;
    }

    /** Leaves out the per-epoch evaluation (tests of the training loop alone). */
    public Trainer withoutEvaluation() {
        this.evaluate = false;
        return this;
    }

    /**
     * Polled before every step: when it says true, the run stops there with a
     * {@link TrainingInterruptedException}, dropping the unfinished epoch's steps; the files of the
     * last finished epoch (checkpoint, report) stay as they are.
     */
    public Trainer stopWhen(BooleanSupplier stop) {
        this.stopRequested = stop;
        return this;
    }

    /** Trains from the start (resume == null) or from a checkpoint. */
    public Outcome run(Path resume) throws IOException {
        lastCheckpoint = null;
        lastCheckpointEpoch = 0;
        Optimizer optimizer = recipe.optimizer();
        Batcher batches = recipe.batches(data.train());
        ImageAugmentation augmentation = recipe.augment() ? new ImageAugmentation(data.train().images().orElseThrow(
                () -> new IllegalArgumentException("augmentation needs images, and " + data.train() + " are not")), recipe.seed()) : null;
        int steps = batches.batchesPerEpoch();
        Schedule schedule = recipe.schedule(steps);
        Path checkpointFile = out.resolve(CHECKPOINT);
        java.nio.file.Files.createDirectories(out);
        TemporaryFiles.removeStale(out);
        TemporaryFiles.removeStale(out.resolve(WEIGHTS));

        long compileStart = System.nanoTime();
        PartialFcSampler sampler = recipe.classSampler(network);
        TrainingGraph graph = new TrainingGraph(network, optimizer, recipe.batch(), sampler == null ? 0 : sampler.perStep());
        CompileOptions options = CompileOptions.fromEnvironment();
        Integer chunk = recipe.classChunk() == null ? ChunkedExecutable.autoChunkWidth(context, options, graph.outputs())
                : recipe.classChunk() == 0 ? null : recipe.classChunk();
        listener.classChunks(chunk);
        try (TrainingStep step = new TrainingStep(context, graph, optimizer, options, chunk, sampler);
             Embedder embedder = evaluate ? new Embedder(context, network, evalBatch()) : null) {
            Evaluator evaluator = evaluate && data.test().size() > 0 ? new Evaluator(data.train(), data.test()) : null;

            TrainingHistory history = new TrainingHistory();
            int firstEpoch = 0;
            long stepsDone = 0;
            double trainSeconds = 0;
            long trainedSamples = 0;
            Map<String, float[]> startValues = new LinkedHashMap<>();
            if (resume != null) {
                Checkpoint c = Checkpoint.read(resume);
                c.requireSettings(recipe.settings());
                startValues = tensors(graph, c, resume);
                history = c.history();
                firstEpoch = c.epochsCompleted();
                stepsDone = c.stepsCompleted();
                trainSeconds = c.trainSeconds();
                trainedSamples = c.trainedSamples();
                lastCheckpoint = resume;
                lastCheckpointEpoch = firstEpoch;
            } else {
                for (ParameterSpec s : graph.specs()) {
                    startValues.put(s.name(), s.initialValue(recipe.seed()));
                }
            }
            step.load(startValues);
            step.warmUp(startValues);
            listener.compiled((System.nanoTime() - compileStart) / 1e9, step.executable().kernelCount());
            if (resume != null) {
                listener.resumed(resume, firstEpoch);
            }

            Evaluator.Result evaluation = null;
            List<Path> reportFiles = List.of();
            Batch batch = batches.newBatch();
            for (int epoch = firstEpoch; epoch < recipe.epochs(); epoch++) {
                listener.epochStarted(epoch + 1, recipe.epochs(), steps);
                batches.startEpoch(epoch);
                double lossSum = 0;
                long start = System.nanoTime();
                int k = 0;
                while (batches.next(batch)) {
                    if (stopRequested.getAsBoolean()) {
                        listener.interrupted();
                        throw new TrainingInterruptedException(epoch + 1, k, lastCheckpoint, lastCheckpointEpoch);
                    }
                    if (augmentation != null) {
                        augmentation.apply(batch);
                    }
                    float loss = step.run(batch.features(), batch.labels(), schedule.at(stepsDone), recipe.seed());
                    stepsDone++;
                    k++;
                    if (!Float.isFinite(loss)) {
                        throw new NonFiniteLossException(loss, stepsDone, epoch + 1, k, lastCheckpoint, lastCheckpointEpoch);
                    }
                    lossSum += loss;
                    listener.stepDone(k, loss, (double) k * recipe.batch() / ((System.nanoTime() - start) / 1e9));
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                trainSeconds += seconds;
                trainedSamples += (long) k * recipe.batch();
                listener.epochTrained(epoch + 1, lossSum / k, seconds, k * recipe.batch() / seconds);

                EpochRecord record;
                if (evaluator != null) {
                    evaluation = evaluator.evaluate(embedder, step::buffer);
                    record = new EpochRecord(epoch + 1, lossSum / k, evaluation.closedSet().accuracy(),
                            evaluation.verification().accuracy(), seconds);
                } else {
                    record = EpochRecord.unevaluated(epoch + 1, lossSum / k, seconds);
                }
                history.add(record);
                Map<String, float[]> values = step.values();
                new Checkpoint(epoch + 1, stepsDone, trainSeconds, trainedSamples, recipe.settings(), values, shapes(graph), history)
                        .write(checkpointFile);
                lastCheckpoint = checkpointFile;
                lastCheckpointEpoch = epoch + 1;
                reportFiles = TrainingReport.write(out, metrics(history, evaluation, trainSeconds, trainedSamples));
                listener.epochDone(record, checkpointFile);
            }
            if (evaluation == null && evaluator != null) {
                evaluation = evaluator.evaluate(embedder, step::buffer); // resumed after the last epoch: measure once
                reportFiles = TrainingReport.write(out, metrics(history, evaluation, trainSeconds, trainedSamples));
            }
            Map<String, float[]> values = step.values();
            Path weights = out.resolve(WEIGHTS);
            WeightsExport.write(weights, network, values, stepsDone);
            return new Outcome(history, evaluation, trainSeconds, trainedSamples, values, reportFiles, lastCheckpoint, weights,
                    context.peakAllocatedBytes());
        }
    }

    private TrainingMetrics metrics(TrainingHistory history, Evaluator.Result e, double seconds, long samples) {
        Map<String, Object> settings = new LinkedHashMap<>(recipe.settings());
        settings.put("device", context.device().name());
        if (network.classes() > Evaluator.MOST_CLASSES) {
            settings.put("evaluation", "the samples of the first " + Evaluator.MOST_CLASSES + " of " + network.classes() + " classes");
        }
        return new TrainingMetrics(settings, history, e == null ? null : e.closedSet(), e == null ? null : e.verification(),
                seconds, samples, context.peakAllocatedBytes());
    }

    /**
     * The evaluation batch: the training batch (at most 1000, at most the data): the inference
     * graph then needs no more memory than the training step's forward part. An image model's
     * patch matrices grow with the batch: the ResNet's embedder at 1000 held 984 MiB beside its
     * training step's 520, at 256 it holds 252 ({@code tools/StepMemory.java resnet 256 1000}, then
     * {@code 256}). (Measured: the MLP's {@code ./arcgrad demo} takes no longer, 26 s against 27.)
     */
    private int evalBatch() {
        return Math.max(1, Math.min(Math.min(1000, recipe.batch()), Math.max(data.train().size(), data.test().size())));
    }

    private static Map<String, int[]> shapes(TrainingGraph graph) {
        Map<String, int[]> s = new LinkedHashMap<>();
        for (ParameterSpec p : graph.specs()) {
            s.put(p.name(), p.shape());
        }
        return s;
    }

    /** The checkpoint's tensors, checked against what this graph keeps: every one present, with its shape. */
    private static Map<String, float[]> tensors(TrainingGraph graph, Checkpoint c, Path file) throws IOException {
        Map<String, float[]> v = new LinkedHashMap<>();
        for (ParameterSpec s : graph.specs()) {
            float[] t = c.tensors().get(s.name());
            if (t == null || !Arrays.equals(c.shapes().get(s.name()), s.shape())) {
                throw new IOException(file + ": " + (t == null ? "has no " + s.name()
                        : s.name() + " has shape " + Arrays.toString(c.shapes().get(s.name())) + ", this model needs "
                        + Arrays.toString(s.shape())));
            }
            v.put(s.name(), t);
        }
        return v;
    }
}
