#!/usr/bin/env python3
"""The PyTorch peer of `arcgrad bench train` (org.arcgrad.arcface.bench.TrainBenchmark): the same
model, head, optimizer, schedule, initial weights, data and batch order as arcgrad's default
training recipe, trained one epoch at a time on command, so the two sides can alternate epochs and
see the same machine load.

  784-512-256-128 MLP (Linear, BatchNorm1d, ReLU; the last Linear followed by BatchNorm1d only),
  or with --model resnet the small ResNet of issue 11, its class taken from init/load_in_pytorch.py,
  the seed's ArcFace head (s=30, m=0.5, easy_margin False, th/mm fallback) + F.cross_entropy,
  SGD(lr, momentum=0.9, nesterov=True, weight_decay=5e-4) on every parameter,
  OneCycleLR(max_lr=lr, total_steps=epochs*steps) with its defaults, stepped after every batch,
  batches of 256 in the orders arcgrad gives (orders.npy; the last partial batch dropped),
  inputs (v/255 - mean)/std with arcgrad's mean and std, computed in double and rounded once.

Reads from DIR (written by the Java side): init/NAME.npy (initial weights, torch state_dict names,
head.weight.npy for W) and orders.npy (int32 [epochs, n]). Commands on stdin, one per line:
  epoch K   trains epoch K (from 1); prints  TRAIN_TORCH epoch=K seconds=S loss=MEAN
  finish    embeds the train and test sets in eval mode into DIR/torch_train.npy and
            DIR/torch_test.npy (float32 [n, 128]); prints TRAIN_TORCH_DONE
A step ends with loss.item(), as arcgrad reads its loss back every step. Time counts the training
steps only: batch gathering, forward, backward, optimizer and scheduler steps.
Prints TRAIN_TORCH_INFO ... first, or TRAIN_TORCH_UNAVAILABLE <reason> (exit 3) without torch."""
import argparse
import collections
import gzip
import math
import os
import statistics
import sys
import time


def read_idx(path):
    import numpy as np
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        b = f.read()
    dims = [int.from_bytes(b[4 + 4 * i:8 + 4 * i], "big") for i in range(b[3])]
    return np.frombuffer(b, dtype=np.uint8, offset=4 + 4 * len(dims)).reshape(dims)


def locate(folder, name):
    for candidate in (os.path.join(folder, name + ".gz"), os.path.join(folder, name)):
        if os.path.exists(candidate):
            return candidate
    raise FileNotFoundError(os.path.join(folder, name))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", required=True)
    ap.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    ap.add_argument("--mean", type=float, required=True)
    ap.add_argument("--std", type=float, required=True)
    ap.add_argument("--hidden", default="512,256")
    ap.add_argument("--embedding", type=int, default=128)
    ap.add_argument("--batch", type=int, default=256)
    ap.add_argument("--lr", type=float, default=0.1)
    ap.add_argument("--epochs", type=int, default=10)
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    ap.add_argument("--model", default="mlp", choices=("mlp", "resnet"))
    a = ap.parse_args()
    try:
        import numpy as np
        import torch
        import torch.nn.functional as F
        from torch import nn
    except Exception as e:
        print("TRAIN_TORCH_UNAVAILABLE cannot import torch: %s" % e, flush=True)
        sys.exit(3)
    torch.set_num_threads(a.threads)

    # data: arcgrad's normalization, each of the 256 values computed in double and rounded once to float32
    table = ((np.arange(256, dtype=np.float64) / 255.0 - a.mean) / a.std).astype(np.float32)
    xs = {}
    for split, prefix in (("train", "train"), ("test", "t10k")):
        images = read_idx(locate(a.data, prefix + "-images-idx3-ubyte"))
        xs[split] = (torch.from_numpy(table[images.reshape(len(images), -1)]),
                     torch.from_numpy(read_idx(locate(a.data, prefix + "-labels-idx1-ubyte")).astype(np.int64)))
    orders = torch.from_numpy(np.load(os.path.join(a.dir, "orders.npy")).astype(np.int64))
    x_train, y_train = xs["train"]

    # model, with arcgrad's initial weights
    init = os.path.join(a.dir, "init")
    if a.model == "resnet":
        # the network class arcgrad exported beside the weights (load_in_pytorch.py), with arcgrad's parameter names
        sys.path.insert(0, init)
        import load_in_pytorch
        model = load_in_pytorch.ResNet(int(round(math.sqrt(x_train.shape[1]))), a.embedding)
    else:
        widths = [x_train.shape[1]] + [int(w) for w in a.hidden.split(",")]
        layers = []
        for k in range(1, len(widths)):
            layers += [("fc%d" % k, nn.Linear(widths[k - 1], widths[k])), ("bn%d" % k, nn.BatchNorm1d(widths[k])),
                       ("relu%d" % k, nn.ReLU())]
        last = len(widths)
        layers += [("fc%d" % last, nn.Linear(widths[-1], a.embedding)), ("bn%d" % last, nn.BatchNorm1d(a.embedding))]
        model = nn.Sequential(collections.OrderedDict(layers))
    model.load_state_dict({k: torch.from_numpy(np.load(os.path.join(init, k + ".npy"))) for k in model.state_dict()})
    weight = nn.Parameter(torch.from_numpy(np.load(os.path.join(init, "head.weight.npy"))))

    # the seed's ArcFace head (ArcMarginProduct, easy_margin False)
    s, m = 30.0, 0.5
    cos_m, sin_m, th, mm = math.cos(m), math.sin(m), math.cos(math.pi - m), math.sin(math.pi - m) * m

    def arcface(x, label):
        cosine = F.linear(F.normalize(x), F.normalize(weight))
        sine = torch.sqrt((1.0 - torch.pow(cosine, 2)).clamp(0, 1))
        phi = cosine * cos_m - sine * sin_m
        phi = torch.where(cosine > th, phi, cosine - mm)
        one_hot = torch.zeros(cosine.size())
        one_hot.scatter_(1, label.view(-1, 1).long(), 1)
        return ((one_hot * phi) + ((1.0 - one_hot) * cosine)) * s

    steps = orders.shape[1] // a.batch
    params = list(model.parameters()) + [weight]
    optimizer = torch.optim.SGD(params, lr=a.lr, momentum=0.9, nesterov=True, weight_decay=5e-4)
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=a.lr, total_steps=a.epochs * steps)
    print("TRAIN_TORCH_INFO torch=%s threads=%d OPENBLAS_CORETYPE=%s OMP_WAIT_POLICY=%s OMP_NUM_THREADS=%s OPENBLAS_NUM_THREADS=%s"
          % (torch.__version__, torch.get_num_threads(), os.environ.get("OPENBLAS_CORETYPE", "auto"),
             os.environ.get("OMP_WAIT_POLICY", "default"), os.environ.get("OMP_NUM_THREADS", "unset"),
             os.environ.get("OPENBLAS_NUM_THREADS", "unset")), flush=True)

    for line in sys.stdin:
        command = line.split()
        if not command:
            continue
        if command[0] == "epoch":
            epoch = int(command[1])
            order = orders[epoch - 1]
            model.train()
            losses = []
            start = time.perf_counter()
            for b in range(steps):
                idx = order[b * a.batch:(b + 1) * a.batch]
                x, y = x_train[idx], y_train[idx]
                loss = F.cross_entropy(arcface(model(x), y), y)
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
                schedule.step()
                losses.append(loss.item())
            seconds = time.perf_counter() - start
            print("TRAIN_TORCH epoch=%d seconds=%.6f loss=%.6f" % (epoch, seconds, statistics.fmean(losses)), flush=True)
        elif command[0] == "finish":
            model.eval()
            with torch.no_grad():
                for split in ("train", "test"):
                    x = xs[split][0]
                    e = torch.cat([model(x[i:i + 1000]) for i in range(0, len(x), 1000)])
                    np.save(os.path.join(a.dir, "torch_%s.npy" % split), e.numpy().astype(np.float32))
            print("TRAIN_TORCH_DONE", flush=True)
            return
    print("TRAIN_TORCH_UNAVAILABLE stdin closed before finish", flush=True)
    sys.exit(4)


if __name__ == "__main__":
    main()
