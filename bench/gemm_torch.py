#!/usr/bin/env python3
"""OpenBLAS sgemm through PyTorch on the ArcFace head's GEMM shapes, the peer of
org.arcgrad.opencl.gemm.GemmBenchmark. Same products, same fp32, all cores, output into a
preallocated tensor (like our kernel's C buffer), median of repetitions after warm-up.

Prints one machine-readable line per product:
  GEMM_TORCH product=<fwd|grad_x|grad_w> classes=<C> m=<M> n=<N> k=<K> median_s=<s> gflops=<GFLOP/s> best_gflops=<GFLOP/s>
(gflops from the median time, best_gflops from the fastest repetition)
or, when torch cannot be imported, one line GEMM_TORCH_UNAVAILABLE <reason> and exit status 3.
Run with the same environment as the Java side: OPENBLAS_NUM_THREADS/OMP_NUM_THREADS set to
the core count (the Java benchmark does that)."""
import argparse
import os
import statistics
import sys
import time


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--batch", type=int, default=256)
    ap.add_argument("--dim", type=int, default=512)
    ap.add_argument("--classes", type=int, nargs="+", default=[10000, 100000])
    ap.add_argument("--products", nargs="+", default=["fwd", "grad_x", "grad_w"])
    ap.add_argument("--warmup", type=int, default=5)
    ap.add_argument("--reps", type=int, default=10)
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    a = ap.parse_args()
    try:
        import torch
    except Exception as e:  # ImportError, or a broken install
        print("GEMM_TORCH_UNAVAILABLE cannot import torch: %s" % e, flush=True)
        sys.exit(3)
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    n, d = a.batch, a.dim
    print("GEMM_TORCH_INFO torch=%s threads=%d blas=%s" % (torch.__version__, torch.get_num_threads(),
          os.environ.get("OPENBLAS_CORETYPE", "auto")), flush=True)
    for c in a.classes:
        x = torch.randn(n, d)
        w = torch.randn(c, d)
        g = torch.randn(n, c)
        products = {
            # name: (left, right, m, n, k); .t() is a view, so BLAS sees the transpose flag as our kernel does
            "fwd": (x, w.t(), n, c, d),       # logits = x·Wᵀ
            "grad_x": (g, w, n, d, c),        # grad_x = G·W
            "grad_w": (g.t(), x, c, d, n),    # grad_W = Gᵀ·x
        }
        for name in a.products:
            left, right, m, nn, k = products[name]
            out = torch.empty(m, nn)
            for _ in range(a.warmup):
                torch.mm(left, right, out=out)
            times = []
            for _ in range(a.reps):
                t = time.perf_counter()
                torch.mm(left, right, out=out)
                times.append(time.perf_counter() - t)
            med = statistics.median(times)
            flops = 2.0 * m * nn * k
            print("GEMM_TORCH product=%s classes=%d m=%d n=%d k=%d median_s=%.6f gflops=%.2f best_gflops=%.2f"
                  % (name, c, m, nn, k, med, flops / med / 1e9, flops / min(times) / 1e9), flush=True)


if __name__ == "__main__":
    main()
