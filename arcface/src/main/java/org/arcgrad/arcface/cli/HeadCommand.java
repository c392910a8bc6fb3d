package org.arcgrad.arcface.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.arcgrad.arcface.HeadComputation;
import org.arcgrad.arcface.HeadResult;
import org.arcgrad.arcface.data.PartialFcSampler;
import org.arcgrad.arcface.heads.MarginHead;
import org.arcgrad.opencl.files.AtomicFiles;
import org.arcgrad.opencl.fused.ChunkedExecutable;
import org.arcgrad.arcface.npy.NpyArray;
import org.arcgrad.arcface.npy.NpyWriter;
import org.arcgrad.opencl.files.TemporaryFiles;
import org.arcgrad.opencl.runtime.DeviceContext;
import org.arcgrad.opencl.runtime.DeviceOutOfMemoryException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code arcgrad head}: one forward and backward of a margin head + mean cross-entropy on arrays
 * from .npy files, so anyone can compare with their own PyTorch numbers. Every input is checked
 * before anything is written; the four outputs appear together or not at all.
 */
@Command(name = "head", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run a margin head + mean cross-entropy, forward and backward, on .npy arrays.",
                "Writes DIR/logits.npy (float32 N×C), DIR/loss.npy (float32, shape ()), DIR/grad_x.npy (float32 N×D)"
                        + " and DIR/grad_w.npy (float32, W's shape); with --sample-rate also DIR/sampled_classes.npy.",
                "Exit codes: 0 done, 2 bad input or environment (nothing is written), 3 out of memory (Java heap or device),",
                "4 an internal error (ARCGRAD_DEBUG=1 prints its stack trace)."})
public final class HeadCommand implements Callable<Integer> {
    /** The files written into --out, in this order. */
    private static final List<String> OUTPUTS = List.of("logits.npy", "loss.npy", "grad_x.npy", "grad_w.npy");

    @Spec
    private CommandSpec spec;

    @Option(names = "--x", order = 1, required = true, paramLabel = "X.npy", description = "Embeddings, float32 N×D.")
    private Path x;

    @Option(names = "--w", order = 2, required = true, paramLabel = "W.npy",
            description = "Class weights, float32 C×D (C·K × D for subcenter, class-major: row c·K + k).")
    private Path w;

    @Option(names = "--labels", order = 3, required = true, paramLabel = "Y.npy", description = "Labels, int32 or int64 of shape (N,), in [0, C).")
    private Path labels;

    @Option(names = "--out", order = 4, required = true, paramLabel = "DIR", description = "Output folder (created if missing).")
    private Path out;

    @Mixin
    private HeadOptions head = new HeadOptions();

    @Option(names = "--device", order = 14, paramLabel = "SPEC",
            description = "OpenCL device: an index (0:0), a type (gpu, cpu) or part of a name. Default: ARCGRAD_DEVICE, else a GPU, else the CPU.")
    private String device;

    @Option(names = "--backend", order = 15, paramLabel = "NAME", description = "opencl or interpreter (fp64 on the JVM). Default: opencl.")
    private Backend backend = Backend.opencl;

    @Option(names = "--class-chunk", order = 16, paramLabel = "K|auto|off",
            description = "Compute loss and gradients K classes at a time, so that no device buffer holds N×C values"
                    + " and none of W's size but W and grad W (logits.npy still comes whole, from a forward-only pass);"
                    + " off: the whole graph at once. Default: auto: K = C/25 within [1024, 16384] (for subcenter, K classes"
                    + " of --k centres each).")
    private String classChunk = "auto";

    @Option(names = "--sample-rate", order = 17, paramLabel = "R",
            description = "Partial FC (insightface's PartialFC_V2): compute over the batch's classes and others drawn uniformly"
                    + " to floor(R·C) classes, seeded by --seed; logits.npy then has those columns, sampled_classes.npy"
                    + " (int64) names them, and grad_w.npy is zero in the other rows. Default: 1 (every class).")
    private Double sampleRate;

    @Option(names = "--seed", order = 18, paramLabel = "S", description = "Seeds the class sample of --sample-rate. Default: 0.")
    private long seed;

    /** The class sample's file, written with the others when --sample-rate is given. */
    private static final String SAMPLED = "sampled_classes.npy";

    enum Backend {
        opencl, interpreter
    }

    @Override
    public Integer call() {
        try {
            run();
            return 0;
        } catch (BadInputException e) {
            spec.commandLine().getErr().println("arcgrad head: " + e.getMessage());
            return Main.BAD_INPUT;
        }
    }

    private void run() {
        MarginHead head = this.head.build();
        HeadInputs in = HeadInputs.read(x, w, labels);
        int perClass = this.head.choice().rowsPerClass();
        if (in.wRows() % perClass != 0) {
            throw new BadInputException("--k: " + w + " has " + in.wRows() + " rows, not a multiple of K = " + perClass);
        }
        int classes = in.wRows() / perClass;
        in.checkLabels(labels, classes);
        if (backend == Backend.opencl) {
            in.checkFp32Norms(x, w);
        }
        List<String> outputs = new ArrayList<>(OUTPUTS);
        if (sampleRate != null) {
            outputs.add(SAMPLED);
        }
        OutputCheck.check("--out", out, outputs.stream().map(out::resolve).toList());
        Integer width = ClassChunkOption.parse(classChunk);
        if (width != null && width > 0 && backend == Backend.interpreter) {
            throw new BadInputException("--class-chunk: applies to --backend opencl only");
        }
        HeadInputs used = in;
        int[] sampled = null;
        if (sampleRate != null) {
            if (!(sampleRate > 0 && sampleRate <= 1)) {
                throw new BadInputException("--sample-rate: must be in (0, 1], got " + sampleRate);
            }
            PartialFcSampler.Sample sample = new PartialFcSampler(classes, sampleRate, seed).sample(in.labels(), 0);
            sampled = sample.classes();
            // a class's rows are contiguous (K of them for subcenter, class-major): one block of K·D values
            used = new HeadInputs(in.x(), rowsOf(in.w(), perClass * in.d(), sampled), sample.labels(), in.n(), in.d(),
                    sampled.length * perClass);
        }
        HeadComputation computation = new HeadComputation(head, used.n(), used.d(), used.wRows());
        HeadResult r = backend == Backend.interpreter
                ? computation.onInterpreter(used.x(), used.w(), used.labels())
                : onDevice(computation, used);
        if (sampled != null) {
            // W's gradient has the shape of W: the sampled rows' gradients in place, zero elsewhere (as autograd through weight[index])
            float[] full = new float[in.wRows() * in.d()];
            int block = perClass * in.d();
            for (int k = 0; k < sampled.length; k++) {
                System.arraycopy(r.gradW(), k * block, full, sampled[k] * block, block);
            }
            r = new HeadResult(r.logits(), r.loss(), r.gradX(), full);
        }
        r.firstNonFinite(r.logits().length / in.n(), in.d()).ifPresent(v -> {
            throw new IllegalStateException("the " + backend + " backend computed " + v + " from finite inputs; nothing was written"
                    + " (a fault: compare --backend " + (backend == Backend.opencl ? "interpreter" : "opencl") + " on these inputs)");
        });
        write(r, in, computation.classes(), sampled);
        spec.commandLine().getOut().printf("loss %.6f; wrote %s to %s%n", r.loss(), String.join(", ", outputs), out);
    }

    /** The rows {@code index} of a row-major matrix with {@code d} columns (a class's block of rows, for {@code d} = K·D). */
    private static float[] rowsOf(float[] matrix, int d, int[] index) {
        float[] rows = new float[index.length * d];
        for (int k = 0; k < index.length; k++) {
            System.arraycopy(matrix, index[k] * d, rows, k * d, d);
        }
        return rows;
    }

    private HeadResult onDevice(HeadComputation computation, HeadInputs in) {
        Integer width = ClassChunkOption.parse(classChunk); // auto (null) here: by chunks whenever the head splits by classes
        if (width == null) {
            width = computation.splitsByClasses() ? ChunkedExecutable.defaultChunkWidth(computation.classes()) : 0;
        }
        try (DeviceContext context = DeviceOption.open(device)) {
            if (width > 0) {
                try {
                    return computation.onDeviceByChunks(context, in.x(), in.w(), in.labels(), width);
                } catch (IllegalArgumentException e) {
                    throw new BadInputException("--class-chunk: " + e.getMessage());
                }
            }
            return computation.onDevice(context, in.x(), in.w(), in.labels());
        } catch (DeviceOutOfMemoryException e) {
            throw OutOfMemoryFailure.onDevice(e, "the head keeps W and grad W (each " + OutOfMemoryFailure.size(in.wRows(), in.d())
                    + ") and several N×C tensors such as the logits (each " + OutOfMemoryFailure.size(in.n(), computation.classes()) + ")",
                    (width == 0 && computation.splitsByClasses() ? "use --class-chunk auto (no N×C intermediates), " : "use ")
                            + "fewer classes (rows of " + w + ") or fewer embeddings (rows of " + x + "), a device with more memory"
                            + " (--device), or --backend interpreter (Java heap, fp64)");
        }
    }

    private void write(HeadResult r, HeadInputs in, int classes, int[] sampled) {
        Map<Path, AtomicFiles.Content> files = new LinkedHashMap<>();
        if (sampled != null) {
            files.put(out.resolve(SAMPLED), NpyWriter.content(NpyArray.ofInt64(new int[] {sampled.length},
                    Arrays.stream(sampled).asLongStream().toArray())));
        }
        files.put(out.resolve(OUTPUTS.get(0)), NpyWriter.content(NpyArray.ofFloat32(new int[] {in.n(), classes}, r.logits())));
        files.put(out.resolve(OUTPUTS.get(1)), NpyWriter.content(NpyArray.ofFloat32(new int[0], new float[] {r.loss()})));
        files.put(out.resolve(OUTPUTS.get(2)), NpyWriter.content(NpyArray.ofFloat32(new int[] {in.n(), in.d()}, r.gradX())));
        files.put(out.resolve(OUTPUTS.get(3)), NpyWriter.content(NpyArray.ofFloat32(new int[] {in.wRows(), in.d()}, r.gradW())));
        try {
            Files.createDirectories(out);
            TemporaryFiles.removeStale(out);
            AtomicFiles.writeAll(files);
        } catch (IOException e) {
            throw new BadInputException("--out: cannot write to " + out + ": " + IoMessages.describe(e));
        }
    }
}
