package org.arcgrad.opencl.gemm;

import org.arcgrad.opencl.runtime.DeviceType;

import java.util.ArrayList;
import java.util.List;

/** Parameter sets worth trying per device kind and variant, for {@link GemmTuner}. */
public final class GemmCandidates {
    private GemmCandidates() {
    }

    public static List<GemmParams> forDevice(DeviceLimits device, GemmVariant variant) {
        return device.type() == DeviceType.CPU ? cpu(variant) : gpu(variant);
    }

    /**
     * CPU: register tiles that fit 32 AVX-512 registers, one work-item per group or small groups
     * walking K in chunks (see {@link GemmDefaults} for why), both tile walks.
     */
    public static List<GemmParams> cpu(GemmVariant variant) {
        List<GemmParams> list = new ArrayList<>();
        list.add(GemmDefaults.cpu(variant));
        for (boolean rowsFirst : new boolean[] {true, false}) {
            if (KernelProblem.of(variant).prefersDotProduct()) {
                for (int[] t : new int[][] {{4, 4}, {4, 5}, {4, 6}, {6, 4}, {5, 5}, {3, 7}, {8, 3}, {2, 8}}) {
                    list.add(new GemmParams(t[0], t[1], 16, 1, 1, 1, 16, 2, false, rowsFirst));
                }
                list.add(new GemmParams(32, 4, 512, 8, 1, 1, 16, 2, false, rowsFirst));
            } else {
                for (int[] t : new int[][] {{8, 32}, {12, 32}, {6, 64}, {4, 64}, {12, 16}}) {
                    list.add(new GemmParams(t[0], t[1], 16, 1, 1, 16, 16, 2, false, rowsFirst));
                }
                for (int[] t : new int[][] {{64, 64, 256, 8, 2}, {64, 32, 256, 8, 1}, {128, 64, 256, 16, 2},
                    {256, 128, 256, 32, 4}, {64, 64, 128, 8, 2}, {64, 64, 512, 8, 2}}) {
                    list.add(new GemmParams(t[0], t[1], t[2], t[3], t[4], 16, 16, 2, false, rowsFirst));
                }
            }
        }
        return list.stream().distinct().toList();
    }

    /** GPU: CLBlast-like local-memory tiles, the defaults' three sizes first (see {@link GemmDefaults#forShape}). */
    public static List<GemmParams> gpu(GemmVariant variant) {
        List<GemmParams> list = new ArrayList<>();
        list.add(GemmDefaults.gpu(variant));
        list.add(GemmDefaults.gpuLarge());
        list.add(GemmDefaults.gpuSmall());
        list.add(new GemmParams(16, 16, 16, 16, 16, 1, 4, 4, true, false));
        for (int[] t : new int[][] {{64, 64, 16, 16, 16, 4}, {128, 64, 16, 16, 16, 4}, {64, 128, 16, 16, 16, 4},
            {128, 128, 16, 16, 16, 4}, {32, 32, 16, 8, 8, 4}, {64, 64, 32, 16, 16, 2}, {128, 128, 32, 16, 16, 8}}) {
            list.add(new GemmParams(t[0], t[1], t[2], t[3], t[4], t[5], 4, 4, true, false));
        }
        return list.stream().distinct().toList();
    }
}
