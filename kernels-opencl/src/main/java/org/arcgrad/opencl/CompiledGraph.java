package org.arcgrad.opencl;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.arcgrad.autodiff.DType;
import org.arcgrad.autodiff.Graph;
import org.arcgrad.autodiff.NDArray;
import org.arcgrad.autodiff.Op;
import org.arcgrad.autodiff.Tensor;
import org.arcgrad.opencl.runtime.DeviceBuffer;

/**
 * A graph compiled for a device, whichever way: whole ({@link Executable}) or a chunk of classes
 * at a time ({@link org.arcgrad.opencl.fused.ChunkedExecutable}). Sources are fed from the host or
 * bound to device buffers, a run launches everything, outputs stay on the device until read.
 */
public interface CompiledGraph extends AutoCloseable {

    /** Uploads a float source's value. */
    CompiledGraph feed(Tensor source, float[] data);

    /** Uploads labels; each must lie in the range every one-hot and row gather that reads them allows. */
    CompiledGraph feed(Tensor source, int[] labels);

    /** Uploads an fp64 host value, rounded to fp32 (labels must hold integers). */
    CompiledGraph feed(Tensor source, NDArray value);

    /** Makes a source read {@code buffer} directly: it stays on the device, owned by the caller. */
    CompiledGraph bind(Tensor source, DeviceBuffer buffer);

    /**
     * After every run, {@code param} takes the value of {@code newValue} (an output with the same
     * shape), with no host round trip: a training step's parameters stay on the device.
     */
    CompiledGraph update(Tensor param, Tensor newValue);

    /** How many kernels a run launches at least (each chunk's kernels counted once). */
    int kernelCount();

    /** Launches everything in order (asynchronously; reads wait for it). */
    void run();

    /** The graph whose outputs this computes. */
    Graph graph();

    /**
     * Feeds, runs and reads every output back as fp64 arrays (for tests against the interpreter);
     * as the interpreter does, values for sources the outputs do not need are ignored.
     */
    default NDArray[] run(Map<Tensor, NDArray> feeds) {
        Set<Tensor> needed = new HashSet<>(graph().sources());
        feeds.forEach((source, value) -> {
            if (needed.contains(source)) {
                feed(source, value);
            }
        });
        run();
        List<Tensor> outs = graph().outputs();
        NDArray[] r = new NDArray[outs.size()];
        for (int k = 0; k < r.length; k++) {
            r[k] = read(outs.get(k));
        }
        return r;
    }

    /** The device buffer that holds a source or an output now. */
    DeviceBuffer buffer(Tensor node);

    /** Waits for the kernels and copies an output to the host. */
    NDArray read(Tensor node);

    /** Waits for the kernels and copies a float output to {@code into}. */
    void read(Tensor node, float[] into);

    @Override
    void close();

    /** Labels from an fp64 host value: its shape must be the source's and every value a whole number. */
    static int[] labelsOf(Tensor source, NDArray value) {
        double[] d = valueOf(source, value);
        int[] labels = new int[d.length];
        for (int i = 0; i < d.length; i++) {
            if (d[i] != Math.rint(d[i])) {
                throw new IllegalArgumentException(source.describe() + ": value " + d[i] + " at index " + i + " is not an integer");
            }
            labels[i] = (int) d[i];
        }
        return labels;
    }

    /** An fp64 host value rounded to fp32; its shape must be the source's. */
    static float[] floatsOf(Tensor source, NDArray value) {
        double[] d = valueOf(source, value);
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }

    private static double[] valueOf(Tensor source, NDArray value) {
        if (!value.shape().equals(source.shape())) {
            throw new IllegalArgumentException("value for " + source.describe() + " has shape " + value.shape());
        }
        return value.data();
    }

    /**
     * Checks that {@code source} is an input or parameter that the compiled outputs read
     * ({@code read}), holding {@code dtype} values, {@code elements} of them.
     */
    static void checkSource(Tensor source, boolean read, DType dtype, long elements) {
        if (source.op() != Op.INPUT && source.op() != Op.PARAM) {
            throw new IllegalArgumentException(source.describe() + " is not an input or parameter");
        }
        if (!read) {
            throw new IllegalArgumentException(source.describe() + " is not used by this executable's outputs");
        }
        if (source.dtype() != dtype) {
            throw new IllegalArgumentException(source.describe() + " holds " + source.dtype().name().toLowerCase(Locale.ROOT)
                    + " values, got " + dtype.name().toLowerCase(Locale.ROOT));
        }
        if (elements != source.shape().numel()) {
            throw new IllegalArgumentException(source.describe() + " needs " + source.shape().numel() + " values, got " + elements);
        }
    }
}
