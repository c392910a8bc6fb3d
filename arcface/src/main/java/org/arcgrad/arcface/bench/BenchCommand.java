package org.arcgrad.arcface.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.arcgrad.opencl.gemm.GemmBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Unmatched;
import picocli.CommandLine.Spec;

/** {@code arcgrad bench}: benchmarks, each beside its PyTorch peer on the same machine. Not tests: no pass or fail. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Benchmarks beside their PyTorch peers (bench/*_torch.py), on the same machine and threads."},
        subcommands = {HeadBenchmark.class, TrainBenchmark.class, BenchCommand.Gemm.class})
public final class BenchCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 0;
    }

    /** {@code arcgrad bench gemm ...}: the GEMM template against OpenBLAS sgemm; options as GemmBenchmark's. */
    @Command(name = "gemm", description = {"GEMM GFLOP/s on the ArcFace head's shapes beside OpenBLAS sgemm through PyTorch.",
            "Options: --classes C..., --reps R, --tune, --no-torch, --openblas-coretype TYPE (see GemmBenchmark)."})
    static final class Gemm implements Callable<Integer> {
        @Unmatched
        private List<String> args = new ArrayList<>();

        @Override
        public Integer call() throws Exception {
            GemmBenchmark.main(args.toArray(new String[0]));
            return 0;
        }
    }
}
