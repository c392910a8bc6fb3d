import java.util.List;
import java.util.Random;
import org.arcgrad.autodiff.Conv2d;
import org.arcgrad.autodiff.Graph;
import org.arcgrad.autodiff.Op;
import org.arcgrad.autodiff.Tape;
import org.arcgrad.autodiff.Tensor;
import org.arcgrad.opencl.CompileOptions;
import org.arcgrad.opencl.Executable;
import org.arcgrad.opencl.compile.PlanChoice;
import org.arcgrad.opencl.runtime.DeviceContext;
import org.arcgrad.opencl.runtime.Devices;

/**
 * A 3×3 convolution's weight gradient (stride 1, padding 1) two ways: as the compiler's CPU plan
 * runs a one-group convolution's (the image read in place, {@code PatchWeightGradient}, after the
 * output gradient's permute that its products share), and as the direct CONV2D_WEIGHT_GRAD kernel
 * (one work-item per weight, each summing N·H·W terms); device time per kernel, the fastest of
 * five profiled runs after a warm-up (this machine's timings vary from run to run). A
 * measurement, not a test. From the repository root after {@code mvn install -DskipTests} (N,
 * C = O, H = W):
 *
 * <pre>
 * java -cp arcface/target/arcgrad-cli.jar tools/WeightGradTiming.java 256 16 28
 * </pre>
 */
public class WeightGradTiming {
    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 256;
        int c = args.length > 1 ? Integer.parseInt(args[1]) : 16;
        int h = args.length > 2 ? Integer.parseInt(args[2]) : 28;
        Conv2d geometry = Conv2d.of(1, 1, 1, 1);
        Tape t = new Tape();
        Tensor x = t.input("x", n, c, h, h);
        Tensor w = t.param("w", c, c, 3, 3);
        Tensor g = t.input("g", n, c, h, h);
        // d/dw of <conv2d(x, w), g> is the weight gradient of g
        Tensor composite = t.grad(x.conv2d(w, geometry).mul(g).sum(0, true).sum(1, true).sum(2, true).sum(3, true), w)[0];
        Tensor direct = t.record(Op.CONV2D_WEIGHT_GRAD, geometry.attrs(h, h, 3, 3), x, g);
        Random random = new Random(1);
        try (DeviceContext context = DeviceContext.open(Devices.choose())) {
            List<String> names = List.of("CPU plan (the image read in place)", "direct conv2d_weight_grad");
            List<Tensor> outs = List.of(composite, direct);
            for (int way = 0; way < outs.size(); way++) {
                Tensor out = outs.get(way);
                try (Executable e = Executable.compile(context, CompileOptions.defaults().withPlan(PlanChoice.CPU), out)) {
                    for (Tensor s : Graph.of(out).sources()) {
                        float[] v = new float[(int) s.shape().numel()];
                        for (int i = 0; i < v.length; i++) {
                            v[i] = (float) random.nextGaussian();
                        }
                        e.feed(s, v);
                    }
                    e.run();
                    List<Executable.KernelTiming> timings = null;
                    long total = Long.MAX_VALUE;
                    for (int run = 0; run < (way == 0 ? 5 : 1); run++) {
                        List<Executable.KernelTiming> profiled = e.runProfiled();
                        long sum = profiled.stream().mapToLong(Executable.KernelTiming::nanos).sum();
                        if (sum < total) {
                            total = sum;
                            timings = profiled;
                        }
                    }
                    System.out.printf("%s: %d kernels, %.1f ms%n", names.get(way), timings.size(), total / 1e6);
                    for (Executable.KernelTiming k : timings) {
                        System.out.printf("  %8.2f ms %-12s %s%n", k.nanos() / 1e6, k.kind(), k.writes());
                    }
                }
            }
        }
    }
}
