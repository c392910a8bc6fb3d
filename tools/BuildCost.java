import java.util.Arrays;
import org.arcgrad.opencl.runtime.CacheSettings;
import org.arcgrad.opencl.runtime.DeviceBuffer;
import org.arcgrad.opencl.runtime.DeviceContext;
import org.arcgrad.opencl.runtime.Devices;
import org.arcgrad.opencl.runtime.ElementType;
import org.arcgrad.opencl.runtime.Kernel;
import org.arcgrad.opencl.runtime.Program;

/**
 * What the device's compiler charges per program and per kernel, the fixed costs that make the test
 * suite compile-bound on PoCL: programs of trivial kernels (each source new, so nothing comes from a
 * cache; our program cache is memory-only here, PoCL's should be empty or pointed at a fresh folder),
 * built, then each kernel launched once (PoCL generates and links a kernel's work-group function at
 * its first launch). Prints the median build time of a one-kernel program (the process's first
 * build apart), the extra build time per kernel and the median first launch. From the repository
 * root after {@code mvn install -DskipTests}:
 *
 * <pre>
 * POCL_CACHE_DIR=$(mktemp -d) java -cp arcface/target/arcgrad-cli.jar tools/BuildCost.java
 * </pre>
 */
public class BuildCost {
    private static final int PROGRAMS = 15;
    private static final int KERNELS = 10;

    public static void main(String[] args) {
        try (DeviceContext c = DeviceContext.open(Devices.choose(), CacheSettings.memoryOnly())) {
            DeviceBuffer b = c.buffer("b", ElementType.FLOAT32, 4096);
            double[] single = new double[PROGRAMS];
            double[] multi = new double[PROGRAMS];
            double[] launches = new double[PROGRAMS * KERNELS];
            for (int p = 0; p < PROGRAMS; p++) {
                single[p] = buildMillis(c, p, 1, null, null);
                multi[p] = buildMillis(c, PROGRAMS + p, KERNELS, b, launches);
            }
            double first = single[0];
            double one = median(Arrays.copyOfRange(single, 1, PROGRAMS));
            double perKernel = (median(multi) - one) / (KERNELS - 1);
            System.out.printf("%s: a process's first build %.0f ms; then a one-kernel program %.0f ms, each more kernel %.0f ms;"
                    + " a kernel's first launch %.0f ms (medians)%n", c.device().name(), first, one, perKernel, median(launches));
        }
    }

    /** Builds a program of {@code kernels} new trivial kernels; with {@code b}, launches each once, times into {@code launches}. */
    private static double buildMillis(DeviceContext c, int program, int kernels, DeviceBuffer b, double[] launches) {
        StringBuilder s = new StringBuilder();
        for (int k = 0; k < kernels; k++) {
            s.append("__kernel void k").append(k).append("(__global float* x) { int i = get_global_id(0);"
                    + " if (i < 4000) x[i] = x[i] * ").append(program * 100 + k + 1).append(".5f + sqrt(x[i]); }\n");
        }
        long t0 = System.nanoTime();
        Program built = c.build(s.toString());
        double millis = (System.nanoTime() - t0) / 1e6;
        for (int k = 0; b != null && k < kernels; k++) {
            Kernel kernel = built.kernel("k" + k);
            kernel.set(0, b);
            long t1 = System.nanoTime();
            kernel.launch(new long[] {4096}, new long[] {64});
            c.finish();
            launches[(program - PROGRAMS) * kernels + k] = (System.nanoTime() - t1) / 1e6;
        }
        return millis;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
