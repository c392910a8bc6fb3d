import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.arcgrad.autodiff.Conv2d;
import org.arcgrad.autodiff.Op;
import org.arcgrad.autodiff.Tape;
import org.arcgrad.autodiff.Tensor;
import org.arcgrad.opencl.Executable;
import org.arcgrad.opencl.runtime.DeviceContext;
import org.arcgrad.opencl.runtime.Devices;

/**
 * Device time of one 3×3 convolution (stride 1, padding 1), forward and both gradients of
 * sum(y²), as patch products (what Tensor.conv2d records for one group) or as the direct loops of
 * the CONV2D op, kernel by kernel. A measurement, not a test. From the repository root after
 * {@code mvn install -DskipTests}:
 *
 * <pre>
 * java -cp arcface/target/arcgrad-cli.jar tools/ConvSpeed.java N C HW O patches|direct
 * java -cp arcface/target/arcgrad-cli.jar tools/ConvSpeed.java 64 16 28 16 patches
 * </pre>
 */
public class ConvSpeed {
    public static void main(String[] args) {
        int n = Integer.parseInt(args[0]);
        int c = Integer.parseInt(args[1]);
        int hw = Integer.parseInt(args[2]);
        int o = Integer.parseInt(args[3]);
        boolean direct = args[4].equals("direct");
        Tape tape = new Tape();
        Tensor x = tape.param("x", n, c, hw, hw);
        Tensor w = tape.param("w", o, c, 3, 3);
        Conv2d g = Conv2d.of(1, 1, 1, 1);
        Tensor y = direct ? tape.record(Op.CONV2D, g.attrs(hw, hw, 3, 3), x, w) : x.conv2d(w, g);
        Tensor loss = y.square().sum();
        Tensor[] grads = tape.grad(loss, x, w);
        Random r = new Random(0);
        float[] xv = new float[n * c * hw * hw];
        float[] wv = new float[o * c * 9];
        for (int i = 0; i < xv.length; i++) {
            xv[i] = (float) r.nextGaussian();
        }
        for (int i = 0; i < wv.length; i++) {
            wv[i] = (float) r.nextGaussian();
        }
        try (DeviceContext context = DeviceContext.open(Devices.choose());
             Executable e = Executable.compile(context, loss, grads[0], grads[1])) {
            e.feed(x, xv);
            e.feed(w, wv);
            for (int i = 0; i < 2; i++) {
                e.run();
                e.read(loss);
            }
            Map<String, Long> byKernel = new LinkedHashMap<>();
            long total = 0;
            for (Executable.KernelTiming t : e.runProfiled()) {
                byKernel.merge(t.kind() + " " + t.writes(), t.nanos(), Long::sum);
                total += t.nanos();
            }
            byKernel.forEach((k, v) -> System.out.printf("%8.2f ms  %s%n", v / 1e6, k));
            double flops = 3.0 * 2 * n * o * c * 9.0 * hw * hw;
            System.out.printf("%s: %.1f ms in all, %.1f GFLOP/s for the three convolutions%n", args[4], total / 1e6, flops / total);
        }
    }
}
