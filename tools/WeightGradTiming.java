import java.util.List;
import java.util.Random;
import org.arcgrad.autodiff.Conv2d;
import org.arcgrad.autodiff.Graph;
import org.arcgrad.autodiff.Op;
import org.arcgrad.autodiff.Tape;
import org.arcgrad.autodiff.Tensor;
import org.arcgrad.opencl.Executable;
import org.arcgrad.opencl.runtime.DeviceContext;
import org.arcgrad.opencl.runtime.Devices;

/**
 * A 3×3 convolution's weight gradient (stride 1, padding 1) two ways: as the compiler runs a
 * one-group convolution's (the patch matrix, then g · patchesᵀ), and as the direct
 * CONV2D_WEIGHT_GRAD kernel (one work-item per weight, each summing N·H·W terms); device time per
 * kernel. A measurement, not a test: the issue note's figures for the implicit weight gradient
 * came from it. From the repository root after {@code mvn install -DskipTests} (N, C = O, H = W):
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
            for (Tensor out : List.of(composite, direct)) {
                try (Executable e = Executable.compile(context, out)) {
                    for (Tensor s : Graph.of(out).sources()) {
                        float[] v = new float[(int) s.shape().numel()];
                        for (int i = 0; i < v.length; i++) {
                            v[i] = (float) random.nextGaussian();
                        }
                        e.feed(s, v);
                    }
                    e.run();
                    List<Executable.KernelTiming> timings = e.runProfiled();
                    long total = timings.stream().mapToLong(Executable.KernelTiming::nanos).sum();
                    System.out.printf("%s: %d kernels, %.1f ms%n", out == direct ? "direct conv2d_weight_grad" : "patches, then the product",
                            timings.size(), total / 1e6);
                    for (Executable.KernelTiming k : timings) {
                        System.out.printf("  %8.2f ms %-12s %s%n", k.nanos() / 1e6, k.kind(), k.writes());
                    }
                }
            }
        }
    }
}
