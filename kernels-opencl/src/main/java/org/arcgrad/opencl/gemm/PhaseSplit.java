package org.arcgrad.opencl.gemm;

/**
 * Writes the phase planes of images [N, C, H, W] that a strided convolution reads
 * ({@link SamePlanes}): phase (a, b) of a plane is its elements [SH·i + a, SW·j + b], and each
 * channel's phases that some tap reads ({@link SamePlanes#phases()}) go out one after another,
 * [N, C, phases, H/SH, W/SW], from {@code offset} floats into the output buffer (a region of the
 * scratch buffer).
 *
 * <p>Why: a strided convolution's consecutive output positions read addresses SH·W or SW apart in
 * the image, so its product could only gather them lane by lane; in its phase planes they are
 * consecutive, and {@link PlaneConvolution} and {@link PatchWeightGradient} read them as vectors,
 * as at stride 1. The copy costs one pass over the image. One work-item copies row i of every
 * phase of one (image, channel); sizes are compiled in.
 */
public final class PhaseSplit {
    private final int n;
    private final int c;
    private final SamePlanes planes;
    private final long offset;

    /** Images [n, c, SH·h, SW·w] (dense), the geometry of {@code planes}, the output from {@code offset} on. */
    public PhaseSplit(int n, int c, SamePlanes planes, long offset) {
        this.n = n;
        this.c = c;
        this.planes = planes;
        this.offset = offset;
    }

    /** Floats written: as many as the image holds when every phase is read, fewer otherwise. */
    public long elements() {
        return (long) n * c * planes.phases().length * planes.positions();
    }

    /** Where in the output buffer the phases start. */
    public long offset() {
        return offset;
    }

    public long[] globalSize() {
        return new long[] {(long) n * c * planes.h()};
    }

    public long[] localSize() {
        return null;
    }

    /** OpenCL C of kernel {@code name}(out, x). */
    public String source(String name) {
        int h = planes.h(), w = planes.w(), sh = planes.strideH(), sw = planes.strideW();
        int[] phases = planes.phases();
        SourceWriter s = new SourceWriter();
        s.line("// arcgrad phase split: the phase planes x[n, c, " + sh + "i + a, " + sw + "j + b] a strided convolution reads");
        s.open("__kernel void " + name + "(__global float* restrict out, __global const float* restrict x)");
        s.line("const int gid = get_global_id(0);");
        s.line("const int i = gid % " + h + ", image = gid / " + h + "; // image: n·C + c");
        for (int slot = 0; slot < phases.length; slot++) {
            int a = phases[slot] / sw, b = phases[slot] % sw;
            s.open("");
            s.line("const __global float* from = x + ((long) image * " + sh * h + " + " + sh + " * i + " + a + ") * " + (long) sw * w + " + " + b
                    + ";");
            s.line("__global float* to = out + " + offset + " + (((long) image * " + phases.length + " + " + slot + ") * " + h + " + i) * " + w
                    + ";");
            s.line("for (int j = 0; j < " + w + "; ++j) to[j] = from[" + sw + " * j];");
            s.close();
        }
        s.close();
        return s.toString();
    }
}
