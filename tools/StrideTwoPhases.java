import java.util.Random;
import org.arcgrad.opencl.gemm.PatchGemm;
import org.arcgrad.opencl.runtime.DeviceBuffer;
import org.arcgrad.opencl.runtime.DeviceContext;
import org.arcgrad.opencl.runtime.Devices;
import org.arcgrad.opencl.runtime.Kernel;
import org.arcgrad.opencl.runtime.Program;

/**
 * A prototype for issue 11's next step, not used by the library: the forward product of a 3×3,
 * stride-2, padding-1 convolution (even H and W) as its four phases. A first kernel writes
 * x[n, c, 2i + a, 2j + b] as planes [N, C·4, H/2, W/2]; the product is then a stride-1 sum over
 * phase planes, tap (ky, kx) reading phase (a, b) = (ky ≠ 1, kx ≠ 1) at row and column offsets
 * −1 (ky, kx = 0) or 0, so every vector of 16 output positions reads 16 consecutive floats, as
 * {@code PlaneConvolution} does at stride 1 (8 rows × 2 vectors a work-item). It prints both
 * kernels' device time (fastest of six), {@code PatchGemm}'s on the same problem in the same
 * process (what the CPU plan runs today) and the largest error against a direct sum over 3 000
 * random outputs. A measurement, not a test. From the repository root after
 * {@code mvn install -DskipTests} (N, C, O, H = W):
 *
 * <pre>
 * java -cp arcface/target/arcgrad-cli.jar tools/StrideTwoPhases.java 256 16 32 28
 * java -cp arcface/target/arcgrad-cli.jar tools/StrideTwoPhases.java 256 32 64 14
 * </pre>
 */
public class StrideTwoPhases {
    static final int L = 16, OB = 8, SL = 2;
    public static void main(String[] a) {
        int n = Integer.parseInt(a[0]), c = Integer.parseInt(a[1]), m = Integer.parseInt(a[2]), h = Integer.parseInt(a[3]);
        int w = h, oh = h / 2, ow = w / 2, p = oh * ow;
        // the phases: one work-item per row of a phase plane
        String relayout = "__kernel void phases(__global float* restrict xp, __global const float* restrict x) {\n"
            + "  const int gid = get_global_id(0); // (n*c + ch)*4*oh + phase*oh + i\n"
            + "  const int i = gid % " + oh + ", phase = (gid / " + oh + ") % 4, nc = gid / " + (4 * oh) + ";\n"
            + "  const int pa = phase / 2, pb = phase % 2;\n"
            + "  const __global float* src = x + ((long) nc * " + h + " + 2 * i + pa) * " + w + " + pb;\n"
            + "  __global float* dst = xp + (long) gid * " + ow + ";\n"
            + "  for (int j = 0; j < " + ow + "; ++j) dst[j] = src[2 * j];\n}\n";
        int pairs = (p + SL * L - 1) / (SL * L), obs = (m + OB - 1) / OB;
        long xImage = (long) c * 4 * p, xChannel = 4L * p, xTotal = (long) n * c * 4 * p;
        int[] ta = {1, 0, 1}, td = {-1, 0, 0};
        StringBuilder s = new StringBuilder(relayout);
        s.append("__kernel __attribute__((reqd_work_group_size(1,1,1))) void pc(__global float* restrict out, __global const float* restrict A, __global const float* restrict x) {\n");
        s.append("const int gid = get_global_id(0);\n");
        s.append("const int ob = gid % " + obs + ", pair = (gid / " + obs + ") % " + pairs + ", n = gid / " + (obs * pairs) + ";\n");
        s.append("const int16 lane = (int16)(0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15);\n");
        for (int j = 0; j < SL; j++) {
            s.append("const int q0_" + j + " = min(pair * " + SL * L + " + " + j * L + ", " + (p - L) + ");\n");
            s.append("const int16 q" + j + " = q0_" + j + " + lane;\n");
            s.append("const int16 oy" + j + " = q" + j + " / " + ow + ", ox" + j + " = q" + j + " - oy" + j + " * " + ow + ";\n");
        }
        for (int i = 0; i < OB; i++) {
            for (int j = 0; j < SL; j++) s.append("float16 acc" + i + "_" + j + " = (float16)(0.0f);\n");
            s.append("const __global float* a" + i + " = A + (size_t) min(ob * " + OB + " + " + i + ", " + (m - 1) + ") * " + (c * 9) + ";\n");
        }
        s.append("const long xb = (long) n * " + xImage + ";\n");
        for (int ky = 0; ky < 3; ky++) for (int kx = 0; kx < 3; kx++) {
            int phase = ta[ky] * 2 + ta[kx], dy = td[ky], dx = td[kx];
            s.append("{ const int tap = " + (ky * 3 + kx) + ";\n");
            s.append("  const long shift = " + ((long) phase * p + dy * ow + dx) + ";\n");
            for (int j = 0; j < SL; j++) {
                s.append("  const int16 m" + j + " = (oy" + j + " + " + dy + " >= 0) & (ox" + j + " + " + dx + " >= 0);\n");
                s.append("  const long s" + j + " = xb + q0_" + j + " + shift;\n");
            }
            s.append("  const bool inside = s0 >= 0 && s" + (SL - 1) + " + 16 + " + (c - 1) * xChannel + " <= " + xTotal + ";\n");
            s.append("  if (inside) {\n  for (int ch = 0; ch < " + c + "; ++ch) {\n    const int kk = ch * 9 + tap;\n");
            for (int i = 0; i < OB; i++) s.append("    const float w" + i + " = a" + i + "[kk];\n");
            for (int j = 0; j < SL; j++) s.append("    const float16 v" + j + " = select((float16)(0.0f), vload16(0, x + s" + j + " + ch * " + xChannel + "), m" + j + ");\n");
            for (int i = 0; i < OB; i++) for (int j = 0; j < SL; j++) s.append("    acc" + i + "_" + j + " = fma((float16)(w" + i + "), v" + j + ", acc" + i + "_" + j + ");\n");
            s.append("  }} else {\n  for (int ch = 0; ch < " + c + "; ++ch) {\n    const int kk = ch * 9 + tap;\n");
            for (int i = 0; i < OB; i++) s.append("    const float w" + i + " = a" + i + "[kk];\n");
            for (int j = 0; j < SL; j++) {
                s.append("    const int16 at" + j + " = clamp((int) (s" + j + " + ch * " + xChannel + ") + lane, (int16)(0), (int16)(" + (xTotal - 1) + "));\n    float16 g" + j + ";\n");
                for (int v = 0; v < 16; v++) s.append("    g" + j + ".s" + Integer.toHexString(v) + " = x[at" + j + ".s" + Integer.toHexString(v) + "];\n");
                s.append("    const float16 v" + j + " = select((float16)(0.0f), g" + j + ", m" + j + ");\n");
            }
            for (int i = 0; i < OB; i++) for (int j = 0; j < SL; j++) s.append("    acc" + i + "_" + j + " = fma((float16)(w" + i + "), v" + j + ", acc" + i + "_" + j + ");\n");
            s.append("  }}\n}\n");
        }
        for (int i = 0; i < OB; i++) {
            s.append("if (ob * " + OB + " + " + i + " < " + m + ") {\n");
            for (int j = 0; j < SL; j++) {
                s.append("  { __global float* o = out + (size_t) n * " + (long) m * p + " + (size_t) (ob * " + OB + " + " + i + ") * " + p + " + q0_" + j + ";\n");
                s.append("    float t[16]; vstore16(acc" + i + "_" + j + ", 0, t); for (int v = pair * " + SL * L + " + " + j * L + " - q0_" + j + "; v < 16; ++v) if (v >= 0) o[v] = t[v]; }\n");
            }
            s.append("}\n");
        }
        s.append("}\n");
        Random r = new Random(1);
        float[] x = new float[n * c * h * w], wt = new float[m * c * 9];
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
        for (int i = 0; i < wt.length; i++) wt[i] = (float) r.nextGaussian();
        try (DeviceContext ctx = DeviceContext.open(Devices.choose())) {
            DeviceBuffer xb = ctx.upload("x", x), wb = ctx.upload("w", wt), xp = ctx.floatBuffer("xp", x.length), out = ctx.floatBuffer("out", (long) n * m * p);
            Program prog = ctx.build(s.toString());
            try (Kernel rel = prog.kernel("phases"); Kernel kern = prog.kernel("pc")) {
                rel.set(0, xp).set(1, xb);
                kern.set(0, out).set(1, wb).set(2, xp);
                long bestR = Long.MAX_VALUE, bestC = Long.MAX_VALUE;
                for (int i = 0; i < 6; i++) {
                    bestR = Math.min(bestR, rel.launchProfiled(new long[] {(long) n * c * 4 * oh}, new long[] {1}));
                    bestC = Math.min(bestC, kern.launchProfiled(new long[] {(long) n * pairs * obs}, new long[] {1}));
                }
                float[] res = out.downloadFloats();
                double maxErr = 0;
                for (int t = 0; t < 3000; t++) {
                    int b = r.nextInt(n), o = r.nextInt(m), q = r.nextInt(p), oy = q / ow, ox = q % ow;
                    double sum = 0;
                    for (int ch = 0; ch < c; ch++) for (int ky = 0; ky < 3; ky++) for (int kx = 0; kx < 3; kx++) {
                        int iy = 2 * oy + ky - 1, ix = 2 * ox + kx - 1;
                        if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
                        sum += (double) wt[(o * c + ch) * 9 + ky * 3 + kx] * x[((b * c + ch) * h + iy) * w + ix];
                    }
                    maxErr = Math.max(maxErr, Math.abs(sum - res[(b * m + o) * p + q]));
                }
                // PatchGemm on the same problem, in the same process: out [M, N·P] row-major (planes = 0)
                long bestP = Long.MAX_VALUE;
                try (Kernel pg = ctx.build(PatchGemm.source()).kernel(PatchGemm.NAME)) {
                    DeviceBuffer out2 = ctx.floatBuffer("out2", (long) n * m * p);
                    int np = n * p;
                    pg.args(m, np, wb, c * 9, 9, 1, 0, xb, c * h * w, h * w, c, h, w, oh, ow, 3, 3, 2, 2, 1, 1, 1, 1, out2, np, 0);
                    long[] gs = PatchGemm.globalSize(m, np);
                    for (int i = 0; i < 6; i++) bestP = Math.min(bestP, pg.launchProfiled(gs, PatchGemm.localSize()));
                }
                System.out.printf("%s: relayout %.2f ms + conv %.2f ms (PatchGemm %.2f ms), max err %.3g%n", String.join(",", a), bestR / 1e6,
                        bestC / 1e6, bestP / 1e6, maxErr);
            }
        }
    }
}
