#!/usr/bin/env bash
# Builds kernels-opencl (and what it needs) and runs org.arcgrad.opencl.gemm.GemmBenchmark: our GEMM
# kernels beside OpenBLAS sgemm through PyTorch (bench/gemm_torch.py) on the ArcFace head's shapes.
# Arguments go to the benchmark, e.g. bench/gemm.sh --classes 10000 --reps 15, or --tune, or --no-torch.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
cpfile="$root/kernels-opencl/target/benchmark.classpath"
# One reactor run: compiles, then writes the runtime classpath (the last module, kernels-opencl, writes last).
build=(-B -q -pl kernels-opencl -am compile dependency:build-classpath -Dmdep.outputFile="$cpfile" -Dmdep.includeScope=runtime)
mvn -o "${build[@]}" >/dev/null 2>&1 || mvn "${build[@]}"
exec java -cp "$root/kernels-opencl/target/classes:$(cat "$cpfile")" org.arcgrad.opencl.gemm.GemmBenchmark "$@"
