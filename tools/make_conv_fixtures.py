#!/usr/bin/python3
"""Writes the conv2d and pooling parity fixtures: torch.nn.functional.conv2d and its two gradients,
max_pool2d, avg_pool2d and global average pooling with theirs.

Run from the repository root:  /usr/bin/python3 tools/make_conv_fixtures.py
Output: tests/src/test/resources/fixtures/conv/<case>/ with x.npy [N, C, H, W], w.npy
[O, C/groups, KH, KW], y.npy (conv2d(x, w), no bias), g.npy (a cotangent of y's shape),
grad_x.npy and grad_w.npy (the gradients of sum(y * g), by torch's autograd), and case.json (the
geometry); plus cases.txt, the list of folders. All in float64, deterministic (seeded), a few KB.

The cases cover what issue 11 names: odd sizes (where the last stride does not fit), stride 2,
padding 0 and 1, dilation 2, groups = channels (depthwise), grouped with unequal strides and a
rectangular kernel, and a 1x1 stride-2 shortcut.

Pooling: tests/src/test/resources/fixtures/pool/<case>/ with x.npy, y.npy, g.npy and grad_x.npy
(the gradient of sum(y * g)) and case.json (op: max, avg or global; kernel, stride, padding as
[height, width]). max_pool2d's x has distinct values (a permutation), so every window has one
winner and torch's tie rule is not what the case tests.
"""
import json
import os
import shutil

import numpy as np
import torch
import torch.nn.functional as F

OUT = os.path.join("tests", "src", "test", "resources", "fixtures", "conv")
POOL_OUT = os.path.join("tests", "src", "test", "resources", "fixtures", "pool")

# name: (N, C, H, W, O, KH, KW, stride, padding, dilation, groups, description)
CASES = {
    "plain_3x3": (2, 3, 7, 6, 4, 3, 3, (1, 1), (0, 0), (1, 1), 1, "3x3, stride 1, no padding, odd width"),
    "stride2_pad1": (2, 2, 9, 8, 3, 3, 3, (2, 2), (1, 1), (1, 1), 1, "3x3, stride 2, padding 1 (a ResNet downsampling conv)"),
    "stride2_odd_no_pad": (1, 2, 5, 6, 2, 3, 3, (2, 2), (0, 0), (1, 1), 1, "stride 2 without padding: the last stride does not fit"),
    "dilation2": (1, 2, 9, 8, 2, 3, 3, (1, 1), (2, 2), (2, 2), 1, "3x3 with dilation 2 and padding 2"),
    "depthwise": (2, 4, 6, 7, 4, 3, 3, (1, 1), (1, 1), (1, 1), 4, "groups = channels (depthwise), padding 1"),
    "grouped_rect": (1, 4, 8, 5, 6, 3, 2, (2, 1), (1, 0), (1, 1), 2, "two groups, a 3x2 kernel, stride 2x1, padding 1x0"),
    "shortcut_1x1": (2, 3, 7, 7, 5, 1, 1, (2, 2), (0, 0), (1, 1), 1, "1x1, stride 2 (a ResNet shortcut)"),
}


def save(folder, name, array):
    np.save(os.path.join(folder, name), np.ascontiguousarray(array), allow_pickle=False)


# name: (op, N, C, H, W, kernel, stride, padding, description)
POOL_CASES = {
    "max_3x3_stride2_pad1": ("max", 2, 3, 9, 8, (3, 3), (2, 2), (1, 1), "ResNet's stem pooling: 3x3, stride 2, padding 1"),
    "max_2x2_stride2_odd": ("max", 1, 2, 7, 5, (2, 2), (2, 2), (0, 0), "2x2, stride 2 on odd sizes: the last row and column unread"),
    "max_overlapping": ("max", 2, 2, 5, 6, (3, 2), (1, 1), (1, 0), "3x2 windows at stride 1: each element in several windows"),
    "avg_3x3_stride2_pad1": ("avg", 2, 3, 7, 8, (3, 3), (2, 2), (1, 1), "3x3, stride 2, padding 1, counting the padding"),
    "avg_2x2_stride2": ("avg", 1, 2, 6, 5, (2, 2), (2, 2), (0, 0), "2x2, stride 2, odd width"),
    "global": ("global", 2, 4, 7, 7, (7, 7), (1, 1), (0, 0), "global average pooling of 7x7 maps"),
}


def pool(op, x, kernel, stride, padding):
    if op == "max":
        return F.max_pool2d(x, kernel, stride, padding)
    if op == "avg":
        return F.avg_pool2d(x, kernel, stride, padding)
    return F.adaptive_avg_pool2d(x, 1).flatten(1)


def main():
    if os.path.isdir(OUT):
        shutil.rmtree(OUT)
    os.makedirs(OUT)
    torch.manual_seed(0)
    names = []
    for name, (n, c, h, w, o, kh, kw, stride, padding, dilation, groups, description) in CASES.items():
        x = torch.randn(n, c, h, w, dtype=torch.float64, requires_grad=True)
        weight = torch.randn(o, c // groups, kh, kw, dtype=torch.float64, requires_grad=True)
        y = F.conv2d(x, weight, None, stride, padding, dilation, groups)
        g = torch.randn(y.shape, dtype=torch.float64)
        (y * g).sum().backward()
        folder = os.path.join(OUT, name)
        os.makedirs(folder)
        save(folder, "x.npy", x.detach().numpy())
        save(folder, "w.npy", weight.detach().numpy())
        save(folder, "y.npy", y.detach().numpy())
        save(folder, "g.npy", g.numpy())
        save(folder, "grad_x.npy", x.grad.numpy())
        save(folder, "grad_w.npy", weight.grad.numpy())
        case = {"description": description, "stride": list(stride), "padding": list(padding),
                "dilation": list(dilation), "groups": groups, "torch": torch.__version__}
        with open(os.path.join(folder, "case.json"), "w") as f:
            json.dump(case, f, indent=2, sort_keys=True)
            f.write("\n")
        names.append(name)
    with open(os.path.join(OUT, "cases.txt"), "w") as f:
        f.write("\n".join(names) + "\n")

    if os.path.isdir(POOL_OUT):
        shutil.rmtree(POOL_OUT)
    os.makedirs(POOL_OUT)
    names = []
    for name, (op, n, c, h, w, kernel, stride, padding, description) in POOL_CASES.items():
        values = torch.randperm(n * c * h * w, dtype=torch.float64) / (n * c * h * w) - 0.5
        x = values.reshape(n, c, h, w).requires_grad_(True)
        y = pool(op, x, kernel, stride, padding)
        g = torch.randn(y.shape, dtype=torch.float64)
        (y * g).sum().backward()
        folder = os.path.join(POOL_OUT, name)
        os.makedirs(folder)
        save(folder, "x.npy", x.detach().numpy())
        save(folder, "y.npy", y.detach().numpy())
        save(folder, "g.npy", g.numpy())
        save(folder, "grad_x.npy", x.grad.numpy())
        case = {"description": description, "op": op, "kernel": list(kernel), "stride": list(stride),
                "padding": list(padding), "torch": torch.__version__}
        with open(os.path.join(folder, "case.json"), "w") as f:
            json.dump(case, f, indent=2, sort_keys=True)
            f.write("\n")
        names.append(name)
    with open(os.path.join(POOL_OUT, "cases.txt"), "w") as f:
        f.write("\n".join(names) + "\n")


if __name__ == "__main__":
    main()
