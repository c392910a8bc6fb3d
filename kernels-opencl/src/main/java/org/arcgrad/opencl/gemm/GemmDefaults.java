package org.arcgrad.opencl.gemm;

/** Default parameters per device kind (placeholder values until tuned). */
public final class GemmDefaults {
    private GemmDefaults() {
    }

    public static GemmParams forDevice(DeviceLimits device, GemmVariant variant) {
        return device.kind() == DeviceLimits.Kind.CPU ? cpu(variant) : gpu(variant);
    }

    public static GemmParams cpu(GemmVariant variant) {
        return variant == GemmVariant.NT
            ? new GemmParams(4, 6, 16, 1, 1, 1, 16, 2, false, true)
            : new GemmParams(4, 32, 16, 1, 1, 16, 16, 2, false, true);
    }

    public static GemmParams gpu(GemmVariant variant) {
        return new GemmParams(64, 64, 16, 16, 16, 4, 4, 2, true, false);
    }
}
