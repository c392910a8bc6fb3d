package org.arcgrad.opencl.gemm;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.arcgrad.opencl.bench.PythonPeer;

/**
 * Runs {@code bench/gemm_torch.py} (OpenBLAS sgemm through PyTorch) and reads its
 * {@code GEMM_TORCH ...} lines. Knows nothing of our kernels.
 */
final class TorchBaseline {
    private static final Pattern RESULT =
        Pattern.compile("product=(\\S+) classes=(\\d+) .* gflops=([0-9.]+) best_gflops=([0-9.]+)");

    /** GFLOP/s from the median and from the fastest repetition. */
    record Rate(double median, double best) {
    }

    private final PythonPeer peer;
    private final int threads;

    TorchBaseline(String python, Path script, int threads, String openblasCoreType) {
        this.peer = new PythonPeer(python, script, "GEMM_TORCH", threads, openblasCoreType);
        this.threads = threads;
    }

    Optional<String> unavailable() {
        return peer.unavailable();
    }

    String info() {
        return peer.info();
    }

    /** GFLOP/s of {@code product} for {@code classes}, or empty when PyTorch is not available. */
    Optional<Rate> measure(HeadProduct product, int batch, int dim, int warmup, int reps) {
        List<String> lines = peer.run(List.of("--batch", "" + batch, "--dim", "" + dim,
            "--classes", "" + product.classes(), "--products", product.name(), "--warmup", "" + warmup,
            "--reps", "" + reps, "--threads", "" + threads));
        for (String line : lines) {
            Matcher m = RESULT.matcher(line);
            if (m.find() && m.group(1).equals(product.name()) && Integer.parseInt(m.group(2)) == product.classes()) {
                return Optional.of(new Rate(Double.parseDouble(m.group(3)), Double.parseDouble(m.group(4))));
            }
        }
        return Optional.empty();
    }
}
