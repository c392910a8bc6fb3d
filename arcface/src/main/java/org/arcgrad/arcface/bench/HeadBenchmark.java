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
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.arcgrad.arcface.cli.BadInputException;
import org.arcgrad.arcface.cli.DeviceOption;
import org.arcgrad.arcface.eval.Json;
import org.arcgrad.arcface.heads.ArcFace;
import org.arcgrad.autodiff.Functional;
import org.arcgrad.autodiff.Graph;
import org.arcgrad.autodiff.Tape;
import org.arcgrad.autodiff.Tensor;
import org.arcgrad.autodiff.NDArray;
import org.arcgrad.opencl.CompileOptions;
import org.arcgrad.opencl.CompiledGraph;
import org.arcgrad.opencl.Executable;
import org.arcgrad.opencl.bench.Median;
import org.arcgrad.opencl.fused.ChunkedExecutable;
import org.arcgrad.opencl.fused.ChunkedPlan;
import org.arcgrad.opencl.bench.PythonPeer;
import org.arcgrad.opencl.bench.Warmup;
import org.arcgrad.opencl.files.AtomicFiles;
import org.arcgrad.opencl.gemm.GemmBenchmark;
import org.arcgrad.opencl.gemm.HeadFloor;
import org.arcgrad.opencl.runtime.DeviceContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code arcgrad bench head}: the seed's ArcFace head + mean cross-entropy, forward and backward,
 * one step at a time on the OpenCL device, beside the seed's PyTorch code (bench/head_torch.py)
 * on the same machine and threads. A step ends when the loss is back on the host; gradients stay
 * where each side keeps them (device buffers; torch's .grad).
 */
@Command(name = "head", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Time ArcFace + cross-entropy forward and backward against the seed's PyTorch head."})
public final class HeadBenchmark implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--classes", split = ",", description = "Class counts C. Default: 10000,100000.")
    private int[] classes = {10_000, 100_000};

    @Option(names = "--batch", description = "N. Default: 256.")
    private int batch = 256;

    @Option(names = "--dim", description = "D. Default: 512.")
    private int dim = 512;

    @Option(names = "--warmup", description = "Untimed steps first: at least this many, then on until the JVM's JIT compiler "
            + "has been idle for 0.3 s of steps (at most 20 s), since its threads take one of few cores at first; 0: none. Default: 3.")
    private int warmup = 3;

    @Option(names = "--reps", description = "Timed steps; the median is reported. Default: 10.")
    private int reps = 10;

    @Option(names = "--device", paramLabel = "SPEC", description = "OpenCL device. Default: ARCGRAD_DEVICE, else a GPU, else the CPU.")
    private String device;

    @Option(names = "--no-torch", description = "Skip the PyTorch peer.")
    private boolean noTorch;

    @Option(names = "--python", description = "Python with torch. Default: /usr/bin/python3.")
    private String python = "/usr/bin/python3";

    @Option(names = "--torch-device", paramLabel = "DEV",
            description = "Where the peer runs: cpu (all cores) or cuda (an NVIDIA GPU, for a GPU beside a GPU). Default: cpu.")
    private String torchDevice = "cpu";

    @Option(names = "--openblas-coretype", paramLabel = "TYPE",
            description = "OPENBLAS_CORETYPE for the peer (e.g. SkylakeX). Default: the environment's.")
    private String openblasCoreType;

    @Option(names = "--class-chunk", paramLabel = "K",
            description = "Also time the chunked path (issue 10: K classes at a time, no N×C buffer) and show its peak"
                    + " device memory beside the whole graph's and the GEMM floor. Default: off, or C/25 within"
                    + " [1024, 16384] with --json.")
    private Integer classChunk;

    @Option(names = "--recompute-products",
            description = "In the chunked path, compute x·Ŵᵀ again in backward instead of keeping forward's in grad W's"
                    + " buffer (what the chunked step did before it kept it; to measure what keeping it saves).")
    private boolean recomputeProducts;

    @Option(names = "--rounds", paramLabel = "R",
            description = "Time R rounds of the chunked step beside the GEMM floor: in each, every timed step is followed by"
                    + " one run of the floor's three products, and the round's ratio is the median of the steps' chunked /"
                    + " floor; report the median of the rounds' ratios (on a machine whose speed changes from one second to"
                    + " the next, each ratio compares two measurements taken within a second). Default: 1.")
    private int rounds = 1;

    @Option(names = "--json", paramLabel = "FILE",
            description = "Also write the figures to FILE: {\"rows\": [{\"classes\", \"fused_ms\" (the chunked path),"
                    + " \"unfused_ms\", \"gemm_floor_ms\" (the step's three products alone), \"chunk_products_ms\" (the chunked step's"
                    + " products alone: three a chunk, four with x·Ŵᵀ again where backward computes it again), \"device_mib\" (the chunked"
                    + " path's peak), \"unfused_device_mib\", \"weights_mib\" (W and grad W), \"chunk\", \"floor_ratio\" (the"
                    + " median of the rounds' chunked / floor), \"floor_ratios\" (each round's), \"torch_ms\""
                    + " (null when not run)}]}. Implies the chunked path.")
    private Path json;

    private record Timing(double medianMs, double bestMs, double deviceMib) {
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        int threads = Runtime.getRuntime().availableProcessors();
        List<Timing> ours = new ArrayList<>();
        List<Timing> chunked = new ArrayList<>();
        List<Double> floors = new ArrayList<>();
        List<double[]> ratios = new ArrayList<>(); // per C, each round's chunked / floor
        List<Double> chunkProducts = new ArrayList<>();
        List<Boolean> productAgain = new ArrayList<>(); // whether the chunked step's backward computed x·Ŵᵀ again
        boolean withChunks = classChunk != null || json != null;
        if (rounds < 1) {
            throw new BadInputException("--rounds: must be ≥ 1, got " + rounds);
        }
        if (classChunk != null && classChunk < 1) {
            throw new BadInputException("--class-chunk: must be ≥ 1, got " + classChunk);
        }
        if (!List.of("cpu", "cuda").contains(torchDevice)) {
            throw new BadInputException("--torch-device: cpu or cuda, got '" + torchDevice + "'");
        }
        if (json != null && !Files.isDirectory(json.toAbsolutePath().getParent())) {
            throw new BadInputException("--json: the folder " + json.toAbsolutePath().getParent() + " does not exist");
        }
        try (DeviceContext context = DeviceOption.open(device)) {
            out.printf("arcgrad: %s, %d cores; N=%d D=%d, ArcFace s=30 m=0.5; %s + %d timed steps%n",
                    context.device().name(), threads, batch, dim,
                    warmup == 0 ? "no warm-up" : "at least " + warmup + " warm-up steps, until the JIT compiler is quiet", reps);
            out.flush();
        }
        for (int c : classes) {
            ours.add(measure(c));
            if (withChunks) {
                Rounds r = measureChunkedBesideFloor(c, productAgain);
                chunked.add(medianOf(r.chunked()));
                floors.add(Median.of(r.floors()));
                ratios.add(r.ratios());
                try (DeviceContext context = DeviceOption.open(device)) {
                    chunkProducts.add(GemmBenchmark.chunkProductsMillis(context, batch, dim, c, chunkWidth(c),
                            productAgain.get(productAgain.size() - 1), warmup, reps));
                }
            }
        }
        List<double[]> theirs = new ArrayList<>();
        String peerNote = "";
        if (noTorch) {
            peerNote = "PyTorch not run (--no-torch)";
        } else {
            PythonPeer peer = new PythonPeer(python, PythonPeer.script("head_torch.py"), "HEAD_TORCH", threads, openblasCoreType);
            for (int c : classes) {
                theirs.addAll(parse(peer.run(List.of("--batch", "" + batch, "--dim", "" + dim, "--classes", "" + c,
                        "--warmup", "" + warmup, "--reps", "" + reps, "--threads", "" + threads, "--device", torchDevice))));
            }
            peerNote = peer.unavailable().map(r -> "PyTorch unavailable: " + r).orElse("PyTorch: " + peer.info());
        }
        out.println(peerNote);
        out.printf("%-8s | %14s %12s %12s | %14s %12s %12s | %8s%n", "C", "arcgrad ms", "best ms", "device MiB",
                "PyTorch ms", "best ms", "peak MiB", "speed-up");
        for (int i = 0; i < classes.length; i++) {
            Timing t = ours.get(i);
            double[] p = i < theirs.size() ? theirs.get(i) : null;
            out.printf("%-8d | %14.1f %12.1f %12.1f | %14s %12s %12s | %8s%n", classes[i], t.medianMs(), t.bestMs(), t.deviceMib(),
                    p == null ? "-" : String.format("%.1f", p[0]), p == null ? "-" : String.format("%.1f", p[1]),
                    p == null ? "-" : String.format("%.1f", p[2]), p == null ? "-" : String.format("%.2fx", p[0] / t.medianMs()));
        }
        out.println("speed-up = PyTorch median / arcgrad median (above 1: arcgrad is faster); device MiB = the most the"
                + " step's device buffers held at once; PyTorch's peak MiB = "
                + ("cpu".equals(torchDevice) ? "its process's peak RSS." : "the most CUDA memory it allocated during the steps."));
        if (withChunks) {
            out.printf("%nchunked path (no N×C buffer; values stay on the device) beside the whole graph and the GEMM floor"
                    + " (the step's three products alone, with the kernels the compiler gives them):%n");
            out.printf("%-8s %7s | %12s %10s %11s | %10s %11s | %9s %8s | %12s %8s | %11s%n", "C", "chunk", "chunked ms",
                    "best ms", "device MiB", "whole ms", "device MiB", "floor ms", "/ floor", "products ms", "/ floor",
                    "W+gW MiB");
            for (int i = 0; i < classes.length; i++) {
                Timing t = chunked.get(i);
                out.printf("%-8d %7d | %12.1f %10.1f %11.1f | %10.1f %11.1f | %9.1f %8.2f | %12.1f %8.2f | %11.1f%n", classes[i],
                        chunkWidth(classes[i]), t.medianMs(), t.bestMs(), t.deviceMib(), ours.get(i).medianMs(),
                        ours.get(i).deviceMib(), floors.get(i), Median.of(ratios.get(i)), chunkProducts.get(i),
                        chunkProducts.get(i) / floors.get(i), weightsMib(classes[i]));
            }
            if (rounds > 1) {
                for (int i = 0; i < classes.length; i++) {
                    out.printf("C = %d: chunked / floor in %d rounds: %s (the table: their median)%n", classes[i], rounds,
                            Arrays.stream(ratios.get(i)).mapToObj(q -> String.format("%.2f", q)).toList());
                }
            }
            out.println("products = the chunked step's products alone over its chunks (three a chunk where backward takes"
                    + " forward's x·Ŵᵀ, kept in grad W's buffer as long as N ≤ D; four where it computes it again: "
                    + (productAgain.contains(true) ? "again at C = " + againAt(productAgain) : "kept at every C")
                    + "), what it would take were everything else fused into them");
        }
        if (json != null) {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (int i = 0; i < classes.length; i++) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("classes", classes[i]);
                row.put("fused_ms", round(chunked.get(i).medianMs()));
                row.put("unfused_ms", round(ours.get(i).medianMs()));
                row.put("gemm_floor_ms", round(floors.get(i)));
                row.put("chunk_products_ms", round(chunkProducts.get(i)));
                row.put("device_mib", round(chunked.get(i).deviceMib()));
                row.put("unfused_device_mib", round(ours.get(i).deviceMib()));
                row.put("weights_mib", round(weightsMib(classes[i])));
                row.put("chunk", chunkWidth(classes[i]));
                row.put("floor_ratio", Math.round(Median.of(ratios.get(i)) * 1000) / 1000.0);
                row.put("floor_ratios", Arrays.stream(ratios.get(i)).map(q -> Math.round(q * 1000) / 1000.0).boxed().toList());
                row.put("torch_ms", i < theirs.size() ? round(theirs.get(i)[0]) : null);
                rows.add(row);
            }
            try {
                AtomicFiles.write(json, AtomicFiles.text(Json.text(Map.of("rows", rows))));
            } catch (IOException e) {
                throw new BadInputException("--json: cannot write " + json + ": " + e.getMessage());
            }
            out.println("wrote " + json);
        }
        out.flush();
        return 0;
    }

    private int chunkWidth(int c) {
        return classChunk != null ? Math.min(classChunk, c) : ChunkedExecutable.defaultChunkWidth(c);
    }

    /** MiB of W and grad W: what any step must hold. */
    private double weightsMib(int c) {
        return 2.0 * c * dim * Float.BYTES / (1 << 20);
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }

    /** The head's training graph for C classes, with seeded values. */
    private record Problem(Tensor loss, Tensor gx, Tensor gw, Map<Tensor, NDArray> feeds) {
    }

    private Problem problem(int c) {
        Tape tape = new Tape();
        Tensor x = tape.param("x", batch, dim);
        Tensor w = tape.param("w", c, dim);
        Tensor y = tape.labels("y", batch);
        Tensor loss = Functional.crossEntropy(new ArcFace().logits(x, w, y), y);
        Tensor[] g = tape.grad(loss, x, w);
        Random random = new Random(0);
        double[] labels = new double[batch];
        for (int i = 0; i < batch; i++) {
            labels[i] = random.nextInt(c);
        }
        return new Problem(loss, g[0], g[1], Map.of(x, NDArray.of(x.shape(), gaussian(batch * dim, random)),
                w, NDArray.of(w.shape(), gaussian(c * dim, random)), y, NDArray.of(y.shape(), labels)));
    }

    /** The whole graph, in a context of its own so that its peak device memory is its own. */
    private Timing measure(int c) {
        Problem p = problem(c);
        try (DeviceContext context = DeviceOption.open(device);
             Executable e = Executable.compile(context, p.loss(), p.gx(), p.gw())) {
            return timedSteps(e, p, context);
        }
    }

    /** Per round: the chunked step's timing, the floor's median and the median of the steps' chunked / floor. */
    private record Rounds(List<Timing> chunked, double[] floors, double[] ratios) {
    }

    /**
     * The chunked path, likewise, and the GEMM floor ({@link HeadFloor}, in a context of its own):
     * after the warm-ups, each of a round's steps is followed by one run of the floor's three
     * products, and the round's ratio is the median of the steps' chunked / floor. A step and its
     * floor are thus timed within a second of each other, where this machine's speed may change
     * from one second to the next.
     */
    private Rounds measureChunkedBesideFloor(int c, List<Boolean> productAgain) {
        Problem p = problem(c);
        ChunkedPlan plan = ChunkedPlan.of(Graph.of(p.loss(), p.gx(), p.gw()), chunkWidth(c), !recomputeProducts).orElseThrow();
        try (DeviceContext context = DeviceOption.open(device);
             ChunkedExecutable e = ChunkedExecutable.compile(context, CompileOptions.fromEnvironment(), plan);
             DeviceContext floorContext = DeviceOption.open(device);
             HeadFloor floor = new HeadFloor(floorContext, batch, dim, c)) {
            productAgain.add(e.plan().keptProducts() == 0); // the device may rule keeping out (unaligned chunks)
            Runnable step = fedStep(e, p);
            Warmup.run(step, warmup);
            Warmup.run(floor::runMillis, warmup);
            List<Timing> chunkedRounds = new ArrayList<>();
            double[] floors = new double[rounds];
            double[] ratios = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                double[] ms = new double[reps];
                double[] floorMs = new double[reps];
                double[] ratio = new double[reps];
                for (int i = 0; i < reps; i++) {
                    long t0 = System.nanoTime();
                    step.run();
                    ms[i] = (System.nanoTime() - t0) / 1e6;
                    floorMs[i] = floor.runMillis();
                    ratio[i] = ms[i] / floorMs[i];
                }
                chunkedRounds.add(new Timing(Median.of(ms), Arrays.stream(ms).min().orElseThrow(),
                        context.peakAllocatedBytes() / (double) (1 << 20)));
                floors[r] = Median.of(floorMs);
                ratios[r] = Median.of(ratio);
            }
            return new Rounds(chunkedRounds, floors, ratios);
        }
    }

    /** The class counts at which the chunked step computed x·Ŵᵀ again, as "10000, 100000". */
    private String againAt(List<Boolean> productAgain) {
        List<String> at = new ArrayList<>();
        for (int i = 0; i < productAgain.size(); i++) {
            if (productAgain.get(i)) {
                at.add(String.valueOf(classes[i]));
            }
        }
        return String.join(", ", at);
    }

    private Timing timedSteps(CompiledGraph e, Problem p, DeviceContext context) {
        return timed(fedStep(e, p), context);
    }

    /** Feeds {@code e} once; each step then runs the graph and reads the loss back (the gradients stay on the device). */
    private static Runnable fedStep(CompiledGraph e, Problem p) {
        p.feeds().forEach(e::feed);
        float[] l = new float[1];
        return () -> {
            e.run();
            e.read(p.loss(), l);
        };
    }

    private Timing timed(Runnable step, DeviceContext context) {
        Warmup.run(step, warmup);
        double[] ms = new double[reps];
        for (int i = 0; i < reps; i++) {
            long t0 = System.nanoTime();
            step.run();
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        return new Timing(Median.of(ms), Arrays.stream(ms).min().orElseThrow(), context.peakAllocatedBytes() / (double) (1 << 20));
    }

    /** The rounds as one timing: the median of their medians, the best of their bests, the most device memory. */
    private static Timing medianOf(List<Timing> rounds) {
        return new Timing(Median.of(rounds.stream().mapToDouble(Timing::medianMs).toArray()),
                rounds.stream().mapToDouble(Timing::bestMs).min().orElseThrow(),
                rounds.stream().mapToDouble(Timing::deviceMib).max().orElseThrow());
    }

    private static final Pattern RESULT = Pattern.compile("classes=(\\d+) median_ms=([0-9.]+) best_ms=([0-9.]+) peak_mib=([0-9.]+)");

    private static List<double[]> parse(List<String> lines) {
        List<double[]> r = new ArrayList<>();
        for (String line : lines) {
            Matcher m = RESULT.matcher(line);
            if (m.find()) {
                r.add(new double[] {Double.parseDouble(m.group(2)), Double.parseDouble(m.group(3)), Double.parseDouble(m.group(4))});
            }
        }
        return r;
    }

    /** Gaussian values rounded to fp32 (what the device reads), as doubles. */
    private static double[] gaussian(int n, Random r) {
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            d[i] = (float) r.nextGaussian();
        }
        return d;
    }
}
