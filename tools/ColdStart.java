import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.arcgrad.arcface.heads.ArcFace;
import org.arcgrad.arcface.optim.Optimizer;
import org.arcgrad.arcface.train.Network;
import org.arcgrad.arcface.train.Recipe;
import org.arcgrad.arcface.train.TrainingGraph;
import org.arcgrad.autodiff.DType;
import org.arcgrad.autodiff.Op;
import org.arcgrad.autodiff.Tensor;
import org.arcgrad.opencl.CompileOptions;
import org.arcgrad.opencl.Executable;
import org.arcgrad.opencl.compile.KernelPlan;
import org.arcgrad.opencl.compile.KernelSpec;
import org.arcgrad.opencl.compile.PlanChoice;
import org.arcgrad.opencl.runtime.DeviceContext;
import org.arcgrad.opencl.runtime.Devices;

/**
 * Where the first compile of the demo's training step (Fashion-MNIST MLP, ArcFace, 10 classes,
 * batch 256) spends its time, and whether its kernels build faster as one program or as one
 * program each, in parallel. A measurement, not a test. Run from the repository root after
 * {@code ./arcgrad test} or {@code mvn install -DskipTests}, with clean caches, e.g.
 *
 * <pre>
 * export POCL_CACHE_DIR=$(mktemp -d) ARCGRAD_CACHE_DIR=$(mktemp -d)
 * java -cp arcface/target/arcgrad-cli.jar tools/ColdStart.java compile    # plan + build, first and second run
 * java -cp arcface/target/arcgrad-cli.jar tools/ColdStart.java one        # build the kernels as one program
 * java -cp arcface/target/arcgrad-cli.jar tools/ColdStart.java each 2     # one program per kernel, on 2 threads
 * </pre>
 * Each mode wants fresh cache folders (a warm PoCL cache answers in a fraction of a second).
 */
public class ColdStart {
    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "compile";
        Recipe recipe = new Recipe();
        Network network = recipe.network(784, new ArcFace(), 10, 1);
        Optimizer optimizer = recipe.optimizer();
        TrainingGraph graph = new TrainingGraph(network, optimizer, recipe.batch());
        try (DeviceContext context = DeviceContext.open(Devices.choose())) {
            System.out.println("program cache: " + context.programCache().settings());
            long start = System.nanoTime();
            if (mode.equals("compile")) {
                Executable e = Executable.compile(context, CompileOptions.fromEnvironment(), graph.outputs());
                System.out.printf("plan and build: %.2f s, %d kernels%n", seconds(start), e.kernelCount());
                for (Tensor n : e.graph().nodes()) {
                    if (n.op() == Op.INPUT || n.op() == Op.PARAM) {
                        int size = (int) n.shape().numel();
                        if (n.dtype() == DType.INT) {
                            e.feed(n, new int[size]);
                        } else {
                            e.feed(n, new float[size]);
                        }
                    }
                }
                for (String run : new String[] {"first", "second"}) {
                    long t = System.nanoTime();
                    e.run();
                    double enqueued = seconds(t);
                    e.read(graph.loss());
                    System.out.printf("%s run: %.3f s (enqueued in %.3f s)%n", run, seconds(t), enqueued);
                }
                e.close();
                return;
            }
            KernelPlan plan = plan(context, graph);
            System.out.printf("plan: %.2f s, %d kernels%n", seconds(start), plan.kernels().size());
            int threads = mode.equals("each") && args.length > 1 ? Integer.parseInt(args[1]) : 1;
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<Future<?>> builds = new ArrayList<>();
            long t = System.nanoTime();
            if (mode.equals("one")) {
                builds.add(pool.submit(() -> context.build(plan.source())));
            } else {
                for (KernelSpec k : plan.kernels()) {
                    builds.add(pool.submit(() -> context.build(k.source())));
                }
            }
            for (Future<?> b : builds) {
                b.get();
            }
            pool.shutdown();
            System.out.printf("%s: %d program(s) built in %.2f s on %d thread(s)%n", mode, builds.size(), seconds(t), threads);
        }
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    /** The kernel plan Executable.compile would build (package-private there: not API). */
    private static KernelPlan plan(DeviceContext context, TrainingGraph graph) throws ReflectiveOperationException {
        var planFor = Executable.class.getDeclaredMethod("planFor", DeviceContext.class, PlanChoice.class, Tensor[].class);
        planFor.setAccessible(true);
        return (KernelPlan) planFor.invoke(null, context, CompileOptions.fromEnvironment().plan(), graph.outputs());
    }
}
