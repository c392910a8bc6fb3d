import java.util.List;
import java.util.Random;
import org.arcgrad.arcface.heads.ArcFace;
import org.arcgrad.autodiff.DType;
import org.arcgrad.autodiff.Functional;
import org.arcgrad.autodiff.Graph;
import org.arcgrad.autodiff.Tape;
import org.arcgrad.autodiff.Tensor;
import org.arcgrad.opencl.Executable;
import org.arcgrad.opencl.bench.Median;
import org.arcgrad.opencl.bench.Warmup;
import org.arcgrad.opencl.fused.ChunkedPlan;
import org.arcgrad.opencl.runtime.DeviceContext;
import org.arcgrad.opencl.runtime.Devices;

/**
 * Where one chunk of the class-chunked ArcFace step spends its device time: each chunk graph of
 * the plan (pass 1: the forward product with the online log-sum-exp; pass 2: backward), compiled
 * alone, fed values like a training step's ({@link #realistic}), run until the JIT compiler is
 * quiet, then with profiling events (15 runs, or as many as the third argument says); its kernels
 * and their median times.
 * A measurement, not a test: the README's per-chunk figures (the recomputed x·Ŵᵀ against the GEMM
 * floor) came from it. From the repository root after {@code mvn install -DskipTests}
 * (N = 256, D = 512, then C, the chunk width and the runs):
 *
 * <pre>
 * java -cp arcface/target/arcgrad-cli.jar tools/ChunkProfile.java 100000 4000 15
 * </pre>
 */
public class ChunkProfile {
    /**
     * Values as a training step feeds them, so that no kernel meets fp32 denormals a real step does
     * not (exp of logits 100 below the row's max ran the row kernel 2x slower with Gaussian inputs):
     * the chunk's rows of W Gaussian; x̂ (the whole [N, D] input) unit rows; the kept x̂·Ŵᵀ cosines
     * of random unit vectors (Gaussian / √D); labels over all C classes (the chunk starts at 0, so
     * about one row in C / width has its label here); running totals 0; other row values (the
     * log-sum-exp, the upstream gradient's coefficients) 1 / N.
     */
    static float[] realistic(Tensor s, int n, int d, int classes, Random random) {
        float[] v = new float[(int) s.shape().numel()];
        String name = s.name();
        boolean rowsOfX = name.startsWith("whole") && s.shape().numel() == (long) n * d;
        for (int i = 0; i < v.length; i++) {
            v[i] = name.startsWith("labels") ? random.nextInt(classes)
                    : name.startsWith("first column") || name.startsWith("total") ? 0f
                    : name.startsWith("kept") ? (float) (random.nextGaussian() / Math.sqrt(d))
                    : name.startsWith("whole") && !rowsOfX ? 1f / n
                    : (float) random.nextGaussian();
        }
        if (rowsOfX) {
            for (int r = 0; r < n; r++) {
                double norm = 0;
                for (int j = 0; j < d; j++) {
                    norm += v[r * d + j] * v[r * d + j];
                }
                for (int j = 0; j < d; j++) {
                    v[r * d + j] /= (float) Math.sqrt(norm);
                }
            }
        }
        return v;
    }

    public static void main(String[] args) {
        int n = 256;
        int d = 512;
        int classes = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int width = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 15;
        Tape t = new Tape();
        Tensor x = t.param("x", n, d);
        Tensor w = t.param("w", classes, d);
        Tensor y = t.labels("y", n);
        Tensor loss = Functional.crossEntropy(new ArcFace(30, 0.5, false).logits(x, w, y), y);
        Tensor[] g = t.grad(loss, x, w);
        ChunkedPlan plan = ChunkedPlan.of(Graph.of(loss, g[0], g[1]), width).orElseThrow();
        Random random = new Random(1);
        try (DeviceContext context = DeviceContext.open(Devices.choose())) {
            List<Graph> chunks = plan.chunkGraphs(); // per pass: full chunks, then the short last one where C % width > 0
            for (int c = 0; c < chunks.size(); c++) {
                Graph chunk = chunks.get(c);
                try (Executable e = Executable.compile(context, chunk.outputs().toArray(new Tensor[0]))) {
                    for (Tensor s : chunk.sources()) {
                        if (s.dtype() == DType.INT) {
                            e.feed(s, new int[(int) s.shape().numel()]);
                            continue;
                        }
                        e.feed(s, realistic(s, n, d, classes, random));
                    }
                    Warmup.run(e::runProfiled, 2); // until the JIT compiler is quiet: it takes one of two cores at first
                    List<List<Executable.KernelTiming>> profiled = new java.util.ArrayList<>();
                    for (int r = 0; r < runs; r++) {
                        profiled.add(e.runProfiled());
                    }
                    List<Executable.KernelTiming> first = profiled.get(0);
                    double[] medians = new double[first.size()];
                    for (int k = 0; k < medians.length; k++) {
                        int kernel = k;
                        medians[k] = Median.of(profiled.stream().mapToDouble(p -> p.get(kernel).nanos()).toArray()) / 1e6;
                    }
                    System.out.printf("chunk graph %d of %d (%d outputs): %d kernels, %.2f ms (medians of %d runs)%n", c + 1, chunks.size(),
                            chunk.outputs().size(), first.size(), java.util.Arrays.stream(medians).sum(), runs);
                    for (int k = 0; k < medians.length; k++) {
                        String writes = first.get(k).writes().length() > 100 ? first.get(k).writes().substring(0, 100) : first.get(k).writes();
                        System.out.printf("  %7.3f ms %-12s %s%n", medians[k], first.get(k).kind(), writes);
                    }
                }
            }
        }
    }
}
