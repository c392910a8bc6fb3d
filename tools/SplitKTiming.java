import java.util.Arrays;
import java.util.Random;
import org.arcgrad.opencl.gemm.CompiledGemm;
import org.arcgrad.opencl.gemm.DeviceLimits;
import org.arcgrad.opencl.gemm.GemmDefaults;
import org.arcgrad.opencl.gemm.GemmParams;
import org.arcgrad.opencl.gemm.GemmVariant;
import org.arcgrad.opencl.gemm.SplitK;
import org.arcgrad.opencl.runtime.CacheSettings;
import org.arcgrad.opencl.runtime.DeviceBuffer;
import org.arcgrad.opencl.runtime.DeviceContext;
import org.arcgrad.opencl.runtime.Devices;

/**
 * One product's kernel time with its K split into each given number of slices (1: unsplit), with
 * the parameters the compiler gives its shape, and the slice count the compiler would choose
 * ({@link SplitK#slices}); median of 7 after a warm-up. A measurement, not a test: the figures in
 * SplitK's javadoc came from it. From the repository root after {@code mvn install -DskipTests}:
 *
 * <pre>
 * java -cp arcface/target/arcgrad-cli.jar tools/SplitKTiming.java NT 16 144 200704 1 8 32
 * </pre>
 */
public class SplitKTiming {
    public static void main(String[] args) {
        GemmVariant variant = GemmVariant.valueOf(args[0]);
        int m = Integer.parseInt(args[1]);
        int n = Integer.parseInt(args[2]);
        int k = Integer.parseInt(args[3]);
        try (DeviceContext context = DeviceContext.open(Devices.choose(), CacheSettings.memoryOnly())) {
            DeviceLimits limits = DeviceLimits.of(context.device().info());
            GemmParams params = GemmDefaults.forShape(limits, variant, m, n, k);
            Random random = new Random(1);
            DeviceBuffer a = context.upload("A", randomFloats(random, (long) m * k));
            DeviceBuffer b = context.upload("B", randomFloats(random, (long) n * k));
            DeviceBuffer c = context.floatBuffer("C", (long) m * n);
            System.out.printf("%s: %s %dx%dx%d, %s; the compiler splits it into %d%n", context.device().name(), variant, m, n, k,
                    params, SplitK.slices(limits, variant, params, m, n, k));
            for (int i = 4; i < args.length; i++) {
                int slices = Integer.parseInt(args[i]);
                try (CompiledGemm gemm = CompiledGemm.splitK(context, variant, params, slices)) {
                    gemm.run(m, n, k, a, b, c);
                    long[] nanos = new long[7];
                    for (int r = 0; r < nanos.length; r++) {
                        nanos[r] = gemm.run(m, n, k, a, b, c).kernelNanos();
                    }
                    Arrays.sort(nanos);
                    System.out.printf("  %3d slices: %8.2f ms%n", slices, nanos[nanos.length / 2] / 1e6);
                }
            }
        }
    }

    private static float[] randomFloats(Random random, long count) {
        float[] v = new float[Math.toIntExact(count)];
        for (int i = 0; i < v.length; i++) {
            v[i] = random.nextFloat();
        }
        return v;
    }
}
