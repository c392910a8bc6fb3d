package org.arcgrad.opencl.compile;

import org.arcgrad.autodiff.Op;
import org.arcgrad.autodiff.Pool2d;
import org.arcgrad.autodiff.Shape;
import org.arcgrad.autodiff.Tensor;

/**
 * Direct kernels for max pooling's two ops (see {@link Pool2d} for which element of a window
 * wins): one work-item per output element. The selection scans its window; the scatter, one
 * work-item per input element, scans every window that contains its element (at most
 * ⌈KH/SH⌉·⌈KW/SW⌉ of them), finds each one's winner again and adds the window's gradient where
 * the winner is its element, in window order, as the reference does.
 */
final class PoolKernels {
    private PoolKernels() {
    }

    static KernelSpec render(Tensor node, String name) {
        Pool2d p = Pool2d.of(node.attrs());
        Shape x = node.input(0).shape();
        int h = x.dim(2);
        int w = x.dim(3);
        int oh = p.outputHeight(h);
        int ow = p.outputWidth(w);
        String winner = "int " + name + "_winner(__global const float* restrict x, const int plane, const int oy, const int ox) {\n"
                + "    const int y0 = oy * " + p.strideH() + " - " + p.padH() + ", x0 = ox * " + p.strideW() + " - " + p.padW() + ";\n"
                + "    int best = plane + max(y0, 0) * " + w + " + max(x0, 0);\n"
                + "    float m = -INFINITY;\n"
                + "    for (int iy = max(y0, 0); iy < min(y0 + " + p.kernelH() + ", " + h + "); iy++) {\n"
                + "        for (int ix = max(x0, 0); ix < min(x0 + " + p.kernelW() + ", " + w + "); ix++) {\n"
                + "            const float v = x[plane + iy * " + w + " + ix];\n"
                + "            if (v > m || isnan(v)) {\n"
                + "                m = v;\n"
                + "                best = plane + iy * " + w + " + ix;\n"
                + "            }\n"
                + "        }\n"
                + "    }\n"
                + "    return best;\n"
                + "}\n";
        String body;
        if (node.op() == Op.MAX_POOL2D_SELECT) {
            body = "    const int ox = gid % " + ow + ", oy = (gid / " + ow + ") % " + oh + ", plane = gid / " + (oh * ow) + ";\n"
                    + "    out[gid] = b[" + name + "_winner(a, plane * " + (h * w) + ", oy, ox)];\n";
        } else {
            body = "    const int ix = gid % " + w + ", iy = (gid / " + w + ") % " + h + ", plane = gid / " + (h * w) + ";\n"
                    + "    const int lowY = iy + " + (p.padH() - p.kernelH() + 1) + ", lowX = ix + " + (p.padW() - p.kernelW() + 1) + ";\n"
                    + "    const int firstY = lowY <= 0 ? 0 : (lowY + " + (p.strideH() - 1) + ") / " + p.strideH() + ";\n"
                    + "    const int firstX = lowX <= 0 ? 0 : (lowX + " + (p.strideW() - 1) + ") / " + p.strideW() + ";\n"
                    + "    const int lastY = min((iy + " + p.padH() + ") / " + p.strideH() + ", " + (oh - 1) + ");\n"
                    + "    const int lastX = min((ix + " + p.padW() + ") / " + p.strideW() + ", " + (ow - 1) + ");\n"
                    + "    float acc = 0.0f;\n"
                    + "    for (int oy = firstY; oy <= lastY; oy++) {\n"
                    + "        for (int ox = firstX; ox <= lastX; ox++) {\n"
                    + "            if (" + name + "_winner(a, plane * " + (h * w) + ", oy, ox) == gid) {\n"
                    + "                acc += b[(plane * " + oh + " + oy) * " + ow + " + ox];\n"
                    + "            }\n"
                    + "        }\n"
                    + "    }\n"
                    + "    out[gid] = acc;\n";
        }
        return WindowKernels.perOutputElement(node, name, "pool", winner, body);
    }
}
