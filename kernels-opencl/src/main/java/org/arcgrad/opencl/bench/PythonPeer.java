package org.arcgrad.opencl.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Runs a benchmark's PyTorch peer script ({@code bench/*_torch.py}) with the same threads as our
 * side and collects its machine-readable lines. A script speaks by line prefix: {@code P ...} is
 * a result, {@code P_INFO ...} describes the peer, {@code P_UNAVAILABLE reason} says it cannot run
 * (torch missing); anything else is kept for the error message.
 */
public final class PythonPeer {
    private final String python;
    private final Path script;
    private final String prefix;
    private final int threads;
    /** OPENBLAS_CORETYPE for the peer, or null to inherit the environment's. */
    private final String openblasCoreType;
    private String unavailable;
    private String info = "";

    public PythonPeer(String python, Path script, String prefix, int threads, String openblasCoreType) {
        this.python = python;
        this.script = script;
        this.prefix = prefix;
        this.threads = threads;
        this.openblasCoreType = openblasCoreType;
        if (!Files.isRegularFile(script)) {
            unavailable = "script " + script + " not found (run from the repository root)";
        } else if (!Files.isExecutable(Path.of(python)) && !python.equals("python3")) {
            unavailable = python + " not found";
        }
    }

    /**
     * A peer script by file name: in {@code bench/} of the repository, found through ARCGRAD_HOME
     * (the launcher sets it) or else the working folder.
     */
    public static Path script(String fileName) {
        return Path.of(System.getenv().getOrDefault("ARCGRAD_HOME", "."), "bench", fileName);
    }

    /** Why the peer cannot be measured, once known. */
    public Optional<String> unavailable() {
        return Optional.ofNullable(unavailable);
    }

    /** What the peer said about itself (versions, threads). */
    public String info() {
        return info;
    }

    /** Runs the script with {@code args} and returns its result lines without the prefix; empty if unavailable. */
    public List<String> run(List<String> args) {
        List<String> results = new ArrayList<>();
        if (unavailable != null) {
            return results;
        }
        List<String> command = new ArrayList<>(List.of(python, script.toString()));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        // Same threads as PoCL: every core. OpenBLAS reads these, torch.set_num_threads covers OpenMP.
        pb.environment().put("OPENBLAS_NUM_THREADS", "" + threads);
        pb.environment().put("OMP_NUM_THREADS", "" + threads);
        if (openblasCoreType != null) {
            // OpenBLAS picks its kernels by CPU unless this says otherwise; an environment may force
            // an older ISA (this one sets Haswell: AVX2, on CPUs with AVX-512).
            pb.environment().put("OPENBLAS_CORETYPE", openblasCoreType);
        }
        List<String> output = new ArrayList<>();
        try {
            Process p = pb.start();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    output.add(line);
                    if (line.startsWith(prefix + "_UNAVAILABLE")) {
                        unavailable = line.substring(prefix.length() + "_UNAVAILABLE".length()).trim();
                    } else if (line.startsWith(prefix + "_INFO")) {
                        info = line.substring(prefix.length() + "_INFO".length()).trim();
                    } else if (line.startsWith(prefix + " ")) {
                        results.add(line.substring(prefix.length() + 1));
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
        return results;
    }
}
