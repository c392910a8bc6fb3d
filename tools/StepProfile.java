import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.arcgrad.arcface.heads.ArcFace;
import org.arcgrad.arcface.nn.ParameterSpec;
import org.arcgrad.arcface.optim.Hyper;
import org.arcgrad.arcface.train.Network;
import org.arcgrad.arcface.train.Recipe;
import org.arcgrad.arcface.train.TrainingGraph;
import org.arcgrad.arcface.train.TrainingStep;
import org.arcgrad.opencl.Executable;
import org.arcgrad.opencl.bench.Warmup;
import org.arcgrad.opencl.runtime.DeviceContext;
import org.arcgrad.opencl.runtime.Devices;

/**
 * Where one training step's device time goes: the default recipe's step (ArcFace, 10 classes of
 * 28×28 inputs, random data) for the MLP or the small ResNet, run until the JIT compiler is
 * quiet, then once with profiling events; device time per kernel kind and the slowest kernels. A
 * measurement, not a test. From the repository root after {@code mvn install -DskipTests}:
 *
 * <pre>
 * java -cp arcface/target/arcgrad-cli.jar tools/StepProfile.java resnet 256
 * </pre>
 *
 * <p>{@code -Druns=N} keeps each kernel's fastest of N profiled runs; {@code -Dtop=N} lists N
 * kernels; {@code -Ddump=NAME} prints the source of the kernel of that name instead.
 */
public class StepProfile {
    public static void main(String[] args) {
        Recipe.ModelKind model = Recipe.ModelKind.valueOf(args.length > 0 ? args[0] : "resnet");
        int batch = args.length > 1 ? Integer.parseInt(args[1]) : 256;
        Recipe recipe = new Recipe().model(model).batch(batch);
        Network network = recipe.network(784, new ArcFace(30, 0.5, false), 10, 1);
        try (DeviceContext context = DeviceContext.open(Devices.choose())) {
            TrainingGraph graph = new TrainingGraph(network, recipe.optimizer(), batch);
            try (TrainingStep step = new TrainingStep(context, graph, recipe.optimizer())) {
                Map<String, float[]> values = new LinkedHashMap<>();
                for (ParameterSpec s : graph.specs()) {
                    values.put(s.name(), s.initialValue(0));
                }
                step.load(values);
                String dump = System.getProperty("dump"); // -Ddump=k87_permute_741: print that kernel's OpenCL source
                if (dump != null) {
                    ((Executable) step.executable()).plan().kernels().stream().filter(k -> k.name().equals(dump))
                            .forEach(k -> System.out.println(k.source()));
                    return;
                }
                Random random = new Random(1);
                float[] x = new float[batch * 784];
                for (int i = 0; i < x.length; i++) {
                    x[i] = (float) random.nextGaussian();
                }
                int[] y = new int[batch];
                for (int i = 0; i < batch; i++) {
                    y[i] = i % 10;
                }
                Hyper hyper = new Hyper(0, 0.05, 0.9);
                // warm-up: builds, first launches, and on until the JIT compiler is quiet (it takes one of two cores at first)
                Warmup.run(() -> step.run(x, y, hyper, 0), 3);
                // each kernel's fastest of -Druns profiled runs (default 1): this machine's timings vary from run to run
                List<Executable.KernelTiming> timings = new ArrayList<>(((Executable) step.executable()).runProfiled());
                for (int run = 1; run < Integer.getInteger("runs", 1); run++) {
                    List<Executable.KernelTiming> again = ((Executable) step.executable()).runProfiled();
                    for (int k = 0; k < timings.size(); k++) {
                        if (again.get(k).nanos() < timings.get(k).nanos()) {
                            timings.set(k, again.get(k));
                        }
                    }
                }
                Map<String, long[]> byKind = new TreeMap<>();
                long total = 0;
                for (Executable.KernelTiming t : timings) {
                    long[] k = byKind.computeIfAbsent(t.kind(), n -> new long[2]);
                    k[0] += t.nanos();
                    k[1]++;
                    total += t.nanos();
                }
                System.out.printf("%s, %s, batch %d: %d kernels, %.1f ms device time%n", context.device().name(), model, batch,
                        timings.size(), total / 1e6);
                byKind.forEach((kind, k) -> System.out.printf("  %-14s %3d kernels %8.1f ms%n", kind, k[1], k[0] / 1e6));
                timings.sort(Comparator.comparingLong(Executable.KernelTiming::nanos).reversed());
                for (Executable.KernelTiming t : timings.subList(0, Math.min(Integer.getInteger("top", 20), timings.size()))) {
                    System.out.printf("  %7.1f ms %-14s %s  %s%n", t.nanos() / 1e6, t.kind(), t.name(), t.writes());
                }
            }
        }
    }
}
