#!/usr/bin/env python3
"""The seed's ArcFace head (../shared/seed/000_429e6a4213ba7b1a.txt) + F.cross_entropy, forward and
backward, in PyTorch on the CPU (all cores) or, with --device cuda, on an NVIDIA GPU: the peer of
org.arcgrad.arcface.bench.HeadBenchmark. Same shapes, fp32, median of repetitions after warm-up.

Prints one machine-readable line per class count:
  HEAD_TORCH classes=<C> median_ms=<ms> best_ms=<ms> peak_mib=<MiB>
where peak_mib is the process's peak RSS on the CPU and the most CUDA memory torch allocated during
the steps on a GPU (the peer of arcgrad's device MiB).
or HEAD_TORCH_UNAVAILABLE <reason> (exit status 3) when torch cannot be imported."""
import argparse
import math
import os
import resource
import statistics
import sys
import time


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--batch", type=int, default=256)
    ap.add_argument("--dim", type=int, default=512)
    ap.add_argument("--classes", type=int, nargs="+", default=[10000, 100000])
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--reps", type=int, default=10)
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    ap.add_argument("--device", default="cpu", help="cpu or cuda")
    a = ap.parse_args()
    try:
        import torch
        import torch.nn.functional as F
    except Exception as e:
        print("HEAD_TORCH_UNAVAILABLE cannot import torch: %s" % e, flush=True)
        sys.exit(3)
    dev = torch.device(a.device)
    if dev.type == "cuda" and not torch.cuda.is_available():
        print("HEAD_TORCH_UNAVAILABLE torch %s sees no CUDA device" % torch.__version__, flush=True)
        sys.exit(3)
    cuda = dev.type == "cuda"
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    s, m = 30.0, 0.5
    cos_m, sin_m = math.cos(m), math.sin(m)
    th, mm = math.cos(math.pi - m), math.sin(math.pi - m) * m
    where = torch.cuda.get_device_name(dev) if cuda else "threads=%d" % torch.get_num_threads()
    print("HEAD_TORCH_INFO torch=%s %s" % (torch.__version__, where), flush=True)

    def step(x, w, y):
        # the seed's forward, verbatim in substance (easy_margin = False)
        cosine = F.linear(F.normalize(x), F.normalize(w))
        sine = torch.sqrt((1.0 - torch.pow(cosine, 2)).clamp(0, 1))
        phi = cosine * cos_m - sine * sin_m
        phi = torch.where(cosine > th, phi, cosine - mm)
        one_hot = torch.zeros(cosine.size(), device=dev)
        one_hot.scatter_(1, y.view(-1, 1).long(), 1)
        output = (one_hot * phi) + ((1.0 - one_hot) * cosine)
        output *= s
        loss = F.cross_entropy(output, y)
        loss.backward()
        if cuda:
            torch.cuda.synchronize(dev)
        return loss.item()

    for c in a.classes:
        x = torch.randn(a.batch, a.dim, device=dev, requires_grad=True)
        w = torch.randn(c, a.dim, device=dev, requires_grad=True)
        y = torch.randint(0, c, (a.batch,), device=dev)
        for _ in range(a.warmup):
            x.grad = None
            w.grad = None
            step(x, w, y)
        rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        if cuda:
            torch.cuda.reset_peak_memory_stats(dev)
        times = []
        for _ in range(a.reps):
            x.grad = None
            w.grad = None
            t0 = time.perf_counter()
            step(x, w, y)
            times.append(time.perf_counter() - t0)
        rss1 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        peak = torch.cuda.max_memory_allocated(dev) / 2.0 ** 20 if cuda else max(rss1, rss0) / 1024.0
        print("HEAD_TORCH classes=%d median_ms=%.3f best_ms=%.3f peak_mib=%.1f"
              % (c, 1e3 * statistics.median(times), 1e3 * min(times), peak), flush=True)
        del x, w, y


if __name__ == "__main__":
    main()
