package org.arcgrad.arcface.bench;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.arcgrad.arcface.cli.DeviceOption;
import org.arcgrad.arcface.heads.ArcFace;
import org.arcgrad.autodiff.Functional;
import org.arcgrad.autodiff.Tape;
import org.arcgrad.autodiff.Tensor;
import org.arcgrad.opencl.Executable;
import org.arcgrad.opencl.bench.PythonPeer;
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

    @Option(names = "--warmup", description = "Untimed steps first. Default: 3.")
    private int warmup = 3;

    @Option(names = "--reps", description = "Timed steps; the median is reported. Default: 10.")
    private int reps = 10;

    @Option(names = "--device", paramLabel = "SPEC", description = "OpenCL device. Default: ARCGRAD_DEVICE, else a GPU, else the CPU.")
    private String device;

    @Option(names = "--no-torch", description = "Skip the PyTorch peer.")
    private boolean noTorch;

    @Option(names = "--python", description = "Python with torch. Default: /usr/bin/python3.")
    private String python = "/usr/bin/python3";

    @Option(names = "--openblas-coretype", paramLabel = "TYPE",
            description = "OPENBLAS_CORETYPE for the peer (e.g. SkylakeX). Default: the environment's.")
    private String openblasCoreType;

    private record Timing(double medianMs, double bestMs, double deviceMib) {
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        int threads = Runtime.getRuntime().availableProcessors();
        List<Timing> ours = new ArrayList<>();
        try (DeviceContext context = DeviceOption.open(device)) {
            out.printf("arcgrad: %s, %d cores; N=%d D=%d, ArcFace s=30 m=0.5; %d warm-up + %d timed steps%n",
                    context.device().name(), threads, batch, dim, warmup, reps);
            out.flush();
            for (int c : classes) {
                ours.add(measure(context, c));
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
                        "--warmup", "" + warmup, "--reps", "" + reps, "--threads", "" + threads))));
            }
            peerNote = peer.unavailable().map(r -> "PyTorch unavailable: " + r).orElse("PyTorch: " + peer.info());
        }
        out.println(peerNote);
        out.printf("%-8s | %14s %12s %12s | %14s %12s %12s | %8s%n", "C", "arcgrad ms", "best ms", "device MiB",
                "PyTorch ms", "best ms", "peak RSS MiB", "speed-up");
        for (int i = 0; i < classes.length; i++) {
            Timing t = ours.get(i);
            double[] p = i < theirs.size() ? theirs.get(i) : null;
            out.printf("%-8d | %14.1f %12.1f %12.1f | %14s %12s %12s | %8s%n", classes[i], t.medianMs(), t.bestMs(), t.deviceMib(),
                    p == null ? "-" : String.format("%.1f", p[0]), p == null ? "-" : String.format("%.1f", p[1]),
                    p == null ? "-" : String.format("%.1f", p[2]), p == null ? "-" : String.format("%.2fx", p[0] / t.medianMs()));
        }
        out.println("speed-up = PyTorch median / arcgrad median (above 1: arcgrad is faster).");
        out.flush();
        return 0;
    }

    private Timing measure(DeviceContext context, int c) {
        Tape tape = new Tape();
        Tensor x = tape.param("x", batch, dim);
        Tensor w = tape.param("w", c, dim);
        Tensor y = tape.labels("y", batch);
        Tensor loss = Functional.crossEntropy(new ArcFace().logits(x, w, y), y);
        Tensor[] g = tape.grad(loss, x, w);
        Random random = new Random(0);
        try (Executable e = Executable.compile(context, loss, g[0], g[1])) {
            e.feed(x, gaussian(batch * dim, random)).feed(w, gaussian(c * dim, random));
            int[] labels = new int[batch];
            for (int i = 0; i < batch; i++) {
                labels[i] = random.nextInt(c);
            }
            e.feed(y, labels);
            float[] l = new float[1];
            double[] ms = new double[reps];
            for (int i = 0; i < warmup + reps; i++) {
                long t0 = System.nanoTime();
                e.run();
                e.read(loss, l);
                if (i >= warmup) {
                    ms[i - warmup] = (System.nanoTime() - t0) / 1e6;
                }
            }
            double[] sorted = ms.clone();
            Arrays.sort(sorted);
            double deviceMib = (e.intermediateBytes() + 4.0 * (batch * dim + (long) c * dim + batch)) / (1 << 20);
            return new Timing(sorted[reps / 2], sorted[0], deviceMib);
        }
    }

    private static final Pattern RESULT = Pattern.compile("classes=(\\d+) median_ms=([0-9.]+) best_ms=([0-9.]+) peak_rss_mib=([0-9.]+)");

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

    private static float[] gaussian(int n, Random r) {
        float[] f = new float[n];
        for (int i = 0; i < n; i++) {
            f[i] = (float) r.nextGaussian();
        }
        return f;
    }
}
