package org.arcgrad.opencl.gemm;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs {@code bench/gemm_torch.py} (OpenBLAS sgemm through PyTorch) and reads its
 * {@code GEMM_TORCH ...} lines. Knows nothing of our kernels.
 */
final class TorchBaseline {
    private static final Pattern RESULT =
        Pattern.compile("GEMM_TORCH product=(\\S+) classes=(\\d+) .* gflops=([0-9.]+) best_gflops=([0-9.]+)");

    /** GFLOP/s from the median and from the fastest repetition. */
    record Rate(double median, double best) {
    }

    private final String python;
    private final Path script;
    private final int threads;
    /** OPENBLAS_CORETYPE for the baseline, or null to inherit the environment's. */
    private final String openblasCoreType;
    /** Why the baseline is missing, once a run found that out. */
    private String unavailable;
    private String info = "";

    TorchBaseline(String python, Path script, int threads, String openblasCoreType) {
        this.python = python;
        this.script = script;
        this.threads = threads;
        this.openblasCoreType = openblasCoreType;
        if (!Files.isRegularFile(script)) {
            unavailable = "script " + script + " not found (run from the repository root or pass --torch-script)";
        } else if (!Files.isExecutable(Path.of(python)) && !python.equals("python3")) {
            unavailable = python + " not found";
        }
    }

    Optional<String> unavailable() {
        return Optional.ofNullable(unavailable);
    }

    String info() {
        return info;
    }

    /** GFLOP/s of {@code product} for {@code classes}, or empty when PyTorch is not available. */
    Optional<Rate> measure(HeadProduct product, int batch, int dim, int warmup, int reps) {
        if (unavailable != null) {
            return Optional.empty();
        }
        List<String> command = List.of(python, script.toString(), "--batch", "" + batch, "--dim", "" + dim,
            "--classes", "" + product.classes(), "--products", product.name(), "--warmup", "" + warmup,
            "--reps", "" + reps, "--threads", "" + threads);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        // Same threads as PoCL: every core. OpenBLAS reads these, torch.set_num_threads covers OpenMP.
        pb.environment().put("OPENBLAS_NUM_THREADS", "" + threads);
        pb.environment().put("OMP_NUM_THREADS", "" + threads);
        if (openblasCoreType != null) {
            // OpenBLAS picks its kernels by CPU unless this says otherwise; an environment may force
            // an older ISA (this one sets Haswell: AVX2, on CPUs with AVX-512).
            pb.environment().put("OPENBLAS_CORETYPE", openblasCoreType);
        }
        Map<String, Rate> results = new HashMap<>();
        List<String> output = new ArrayList<>();
        try {
            Process p = pb.start();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    output.add(line);
                    Matcher m = RESULT.matcher(line);
                    if (m.find()) {
                        results.put(m.group(1) + "/" + m.group(2),
                            new Rate(Double.parseDouble(m.group(3)), Double.parseDouble(m.group(4))));
                    } else if (line.startsWith("GEMM_TORCH_UNAVAILABLE")) {
                        unavailable = line.substring("GEMM_TORCH_UNAVAILABLE".length()).trim();
                    } else if (line.startsWith("GEMM_TORCH_INFO")) {
                        info = line.substring("GEMM_TORCH_INFO".length()).trim();
                    }
                }
            }
            int status = p.waitFor();
            if (status != 0 && unavailable == null) {
                unavailable = python + " " + script + " exited with " + status + ": " + String.join(" | ", output);
            }
        } catch (IOException e) {
            unavailable = "cannot run " + python + ": " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            unavailable = "interrupted";
        }
        return Optional.ofNullable(results.get(product.name() + "/" + product.classes()));
    }
}
