package org.arcgrad.arcface.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.arcgrad.arcface.data.Batcher;
import org.arcgrad.arcface.data.ClassBalancedOrder;
import org.arcgrad.arcface.data.PartialFcSampler;
import org.arcgrad.arcface.data.Samples;
import org.arcgrad.arcface.heads.MarginHead;
import org.arcgrad.arcface.nn.ImageShape;
import org.arcgrad.arcface.nn.Mlp;
import org.arcgrad.arcface.nn.ResNet;
import org.arcgrad.arcface.optim.AdamW;
import org.arcgrad.arcface.optim.Cosine;
import org.arcgrad.arcface.optim.LinearWarmup;
import org.arcgrad.arcface.optim.OneCycle;
import org.arcgrad.arcface.optim.Optimizer;
import org.arcgrad.arcface.optim.Schedule;
import org.arcgrad.arcface.optim.Sgd;
import org.arcgrad.arcface.optim.StepDecay;

/**
 * Everything that decides a training run's result, with the defaults of {@code arcgrad train}
 * (issue 5's recipe): a 784-512-256-128 MLP with batch norm and ReLU, ArcFace s = 30, m = 0.5,
 * SGD with Nesterov momentum 0.9 and weight decay 5e-4, one-cycle to lr 0.1, batch 256, 10
 * epochs, seed 0. {@link #settings()} is what a checkpoint records and a resume compares.
 */
public final class Recipe {
    public enum OptimizerKind {
        sgd, adamw
    }

    public enum ScheduleKind {
        onecycle, cosine, step, constant
    }

    /** The backbone: the MLP of {@link #hidden} widths, or issue 11's small ResNet ({@link ResNet}). */
    public enum ModelKind {
        mlp, resnet
    }

    private ModelKind model = ModelKind.mlp;
    private List<Integer> hidden = List.of(512, 256);
    private int embedding = 128;
    private Mlp.Activation activation = Mlp.Activation.RELU;
    private double dropout;
    private OptimizerKind optimizer = OptimizerKind.sgd;
    private double lr = 0.1;
    private double momentum = 0.9;
    private boolean nesterov = true;
    private Double weightDecay;
    private ScheduleKind schedule = ScheduleKind.onecycle;
    private long warmupSteps;
    private int epochs = 10;
    private int batch = 256;
    private long seed;
    private String loss = "arcface(s=30.0, m=0.5)";
    private String dataset = "fashion-mnist";
    private Integer classChunk;
    private Double sampleRate;
    private boolean augment;
    private Integer classesPerBatch;
    private Integer samplesPerClass;

    /**
     * P×K batches ({@link ClassBalancedOrder}): each batch takes {@code samplesPerClass} samples of
     * each of {@code classesPerBatch} distinct classes, and the batch becomes their product. What
     * pair losses train with; any loss may. A setting.
     */
    public Recipe classBalanced(int classesPerBatch, int samplesPerClass) {
        if (classesPerBatch < 2 || samplesPerClass < 2) {
            throw new IllegalArgumentException("P×K batches need P ≥ 2 and K ≥ 2, got " + classesPerBatch + " × " + samplesPerClass);
        }
        this.classesPerBatch = classesPerBatch;
        this.samplesPerClass = samplesPerClass;
        this.batch = classesPerBatch * samplesPerClass;
        return this;
    }

    /** Whether batches are P×K ({@link #classBalanced}) rather than shuffled. */
    public boolean classBalanced() {
        return classesPerBatch != null;
    }

    /**
     * The training batches of every epoch: shuffled (last partial batch dropped), or P×K.
     *
     * @throws IllegalArgumentException when the training set cannot fill a P×K batch (too few classes, or a class with fewer than K samples)
     */
    public Batcher batches(Samples train) {
        return classesPerBatch == null ? Batcher.forTraining(train, batch, seed)
                : Batcher.classBalanced(train, new ClassBalancedOrder(train, classesPerBatch, samplesPerClass, seed));
    }

    /**
     * Partial FC: each step computes the loss over the batch's classes and others drawn uniformly,
     * ⌊rate · C⌋ in all, and updates only their rows of W (and of its optimizer state); null for
     * every class. A setting.
     */
    public Recipe sampleRate(Double rate) {
        if (rate != null && !(rate > 0 && rate <= 1)) {
            throw new IllegalArgumentException("the sample rate must be in (0, 1], got " + rate);
        }
        this.sampleRate = rate;
        return this;
    }

    public Double sampleRate() {
        return sampleRate;
    }

    /**
     * The class sampler of Partial FC for {@code network}, or null without it.
     *
     * @throws IllegalArgumentException for a pair loss, or a sample smaller than a batch's classes may be
     */
    public PartialFcSampler classSampler(Network network) {
        if (sampleRate == null) {
            return null;
        }
        if (network.headWeight().isEmpty()) {
            throw new IllegalArgumentException("not with a pair loss, which has no class weights to sample");
        }
        PartialFcSampler sampler = new PartialFcSampler(network.classes(), sampleRate, seed);
        int mostInBatch = Math.min(batch, network.classes());
        if (sampler.perStep() < mostInBatch) {
            throw new IllegalArgumentException(sampleRate + " of " + network.classes() + " classes is " + sampler.perStep()
                    + " per step, fewer than the " + mostInBatch + " classes a batch of " + batch + " may hold; raise the rate or lower --batch");
        }
        return sampler;
    }

    /**
     * Classes per chunk for the chunked training step (no N×C buffer on the device); 0 for the
     * whole graph; null (the default) to choose: the whole graph when its buffers fit in half the
     * device's memory, else chunks ({@link org.arcgrad.opencl.fused.ChunkedExecutable#autoChunkWidth}). Not a setting: the two
     * paths compute the same step up to fp32 rounding, and a run may resume on either.
     */
    public Recipe classChunk(Integer classes) {
        if (classes != null && classes < 0) {
            throw new IllegalArgumentException("classes per chunk must be ≥ 1, 0 (whole) or null (auto), got " + classes);
        }
        this.classChunk = classes;
        return this;
    }

    public Integer classChunk() {
        return classChunk;
    }

    public Recipe model(ModelKind kind) {
        this.model = kind;
        return this;
    }

    public ModelKind model() {
        return model;
    }

    public Recipe hidden(List<Integer> widths) {
        this.hidden = List.copyOf(widths);
        return this;
    }

    public Recipe embedding(int width) {
        this.embedding = width;
        return this;
    }

    public Recipe activation(Mlp.Activation a) {
        this.activation = a;
        return this;
    }

    public Recipe dropout(double p) {
        this.dropout = p;
        return this;
    }

    public Recipe optimizer(OptimizerKind o) {
        this.optimizer = o;
        return this;
    }

    /** The peak learning rate (one-cycle's max_lr; the base rate of the other schedules). */
    public Recipe lr(double lr) {
        this.lr = lr;
        return this;
    }

    /** SGD's momentum or AdamW's β1 (one-cycle cycles it between 0.95 and 0.85 regardless, as torch). */
    public Recipe momentum(double m) {
        this.momentum = m;
        return this;
    }

    public Recipe nesterov(boolean on) {
        this.nesterov = on;
        return this;
    }

    /** Default: 5e-4 for SGD, 0.01 (torch's default) for AdamW. */
    public Recipe weightDecay(double wd) {
        this.weightDecay = wd;
        return this;
    }

    public Recipe schedule(ScheduleKind s) {
        this.schedule = s;
        return this;
    }

    public Recipe warmupSteps(long steps) {
        this.warmupSteps = steps;
        return this;
    }

    public Recipe epochs(int n) {
        this.epochs = n;
        return this;
    }

    /** The batch size; it leaves P×K batches ({@link #classBalanced}), which set their own. */
    public Recipe batch(int n) {
        this.batch = n;
        this.classesPerBatch = null;
        this.samplesPerClass = null;
        return this;
    }

    public Recipe seed(long s) {
        this.seed = s;
        return this;
    }

    /** How the loss (margin head or pair loss) was chosen, as text (its parameters included): recorded and compared on resume. */
    public Recipe loss(String description) {
        this.loss = description;
        return this;
    }

    public Recipe dataset(String description) {
        this.dataset = description;
        return this;
    }

    public int epochs() {
        return epochs;
    }

    public int batch() {
        return batch;
    }

    public long seed() {
        return seed;
    }

    public int embedding() {
        return embedding;
    }

    public double weightDecay() {
        return weightDecay != null ? weightDecay : optimizer == OptimizerKind.sgd ? 5e-4 : 0.01;
    }

    /**
     * The network for {@code inputs} features: the MLP, or the ResNet on square single-channel
     * images of √inputs pixels a side.
     *
     * @throws IllegalArgumentException when the ResNet is asked for inputs that are no square image
     */
    public Network network(int inputs, MarginHead head, int classes, int rowsPerClass) {
        return network(inputs, new Objective.Head(head, rowsPerClass), classes);
    }

    /** The network for {@code inputs} features, trained against {@code objective} (a margin head or a pair loss). */
    public Network network(int inputs, Objective objective, int classes) {
        if (model == ModelKind.resnet) {
            int side = (int) Math.round(Math.sqrt(inputs));
            if (side * side != inputs || side < 4) {
                throw new IllegalArgumentException("--model resnet takes square single-channel images of at least 4×4 pixels; the data"
                        + " has " + inputs + " features per sample");
            }
            return new Network(new ResNet(new ImageShape(1, side, side), embedding), inputs, objective, classes);
        }
        Mlp mlp = Mlp.builder(inputs).embedding(embedding).activation(activation).dropout(dropout);
        for (int w : hidden) {
            mlp.hidden(w);
        }
        return new Network(mlp.build(), inputs, objective, classes);
    }

    public Optimizer optimizer() {
        return optimizer == OptimizerKind.sgd
                ? new Sgd(momentum, nesterov && momentum > 0, weightDecay())
                : new AdamW(momentum, 0.999, 1e-8, weightDecay());
    }

    public Schedule schedule(long stepsPerEpoch) {
        long total = stepsPerEpoch * epochs;
        long main = Math.max(2, total - warmupSteps);
        Schedule s = switch (schedule) {
            case onecycle -> new OneCycle(lr, main);
            case cosine -> new Cosine(lr, main, 0);
            case step -> new StepDecay(lr, Math.max(1, (long) Math.ceil(main / 3.0)), 0.1);
            case constant -> Schedule.constant(lr);
        };
        return warmupSteps > 0 ? new LinearWarmup(s, warmupSteps, 0.01) : s;
    }

    /**
     * The settings as text, by name, in a fixed order: written into checkpoints and metrics.json,
     * and compared setting by setting when a run resumes.
     */
    public Map<String, String> settings() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("dataset", dataset);
        m.put("model", model == ModelKind.resnet ? "resnet(blocks=16,32,64, embedding=" + embedding + ")"
                : "mlp(hidden=" + hidden.stream().map(String::valueOf).collect(Collectors.joining(",")) + ", embedding="
                + embedding + ", batch_norm, " + activation.name().toLowerCase() + (dropout > 0 ? ", dropout=" + dropout : "") + ")");
        m.put("loss", loss);
        m.put("optimizer", optimizer().describe());
        m.put("schedule", schedule.name() + "(lr=" + lr + (warmupSteps > 0 ? ", warmup_steps=" + warmupSteps : "") + ")");
        m.put("epochs", Integer.toString(epochs));
        m.put("batch", Integer.toString(batch));
        m.put("seed", Long.toString(seed));
        if (classesPerBatch != null) { // absent when off, so checkpoints from before the option still match
            m.put("sampler", "pk(classes_per_batch=" + classesPerBatch + ", samples_per_class=" + samplesPerClass + ")");
        }
        if (sampleRate != null) {
            m.put("partial_fc", "sample_rate=" + sampleRate);
        }
        if (augment) { // absent when off, so checkpoints from before the option still match
            m.put("augment", "crop(padding=" + org.arcgrad.arcface.data.ImageAugmentation.PADDING + ")+hflip");
        }
        return m;
    }

    /**
     * Seeded augmentation of image data ({@link org.arcgrad.arcface.data.ImageAugmentation}: random
     * crop with padding 2, horizontal flip). Default: off.
     */
    public Recipe augment(boolean on) {
        this.augment = on;
        return this;
    }

    public boolean augment() {
        return augment;
    }

    /** The widths of the hidden layers. */
    public List<Integer> hidden() {
        return new ArrayList<>(hidden);
    }
}
