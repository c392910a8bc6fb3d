#!/usr/bin/python3
"""Parity fixtures for the MagFace head (org.arcgrad.arcface.heads.MagFace).

Run from the repository root:   /usr/bin/python3 tools/make_magface_fixtures.py
Writes tests/src/test/resources/fixtures/magface/<case>/{x,w,labels,logits,loss,grad_x,grad_w}.npy,
case.json (the parameters) and cases.txt.

MagLinear.forward and MagLoss (IrvingMeng/MagFace, models/magface.py) transcribed in float64, with
the weight passed in as arcgrad's C x D (theirs is D x C, normalised along dim 0: the same
per-class normalisation) and the margin function of their trainer; the total loss is
loss_id + lambda_g * loss_g, as their training loop adds it. One change, arcgrad's definition:
sin(theta) = sqrt(clamp(1 - cos^2, 1e-12, 1)) instead of sqrt(1 - cos^2), whose gradient is NaN at
|cos| = 1 (no case here comes near it; the values agree to 1e-6 of a sine otherwise).
Deterministic: fixed seeds, one thread.
"""
import math
import os

import numpy as np
import torch
import torch.nn.functional as F

from fixture_io import fresh, save_arrays, save_json, write_cases

OUT = os.path.join("tests", "src", "test", "resources", "fixtures", "magface")
torch.set_num_threads(1)


def mag_linear(x, weight, m, l_a, u_a, scale, easy_margin):
    x_norm = torch.norm(x, dim=1, keepdim=True).clamp(l_a, u_a)
    ada_margin = m(x_norm)
    cos_m, sin_m = torch.cos(ada_margin), torch.sin(ada_margin)
    weight_norm = F.normalize(weight.t(), dim=0)
    cos_theta = torch.mm(F.normalize(x), weight_norm)
    cos_theta = cos_theta.clamp(-1, 1)
    sin_theta = torch.sqrt((1.0 - torch.pow(cos_theta, 2)).clamp(1e-12, 1))
    cos_theta_m = cos_theta * cos_m - sin_theta * sin_m
    if easy_margin:
        cos_theta_m = torch.where(cos_theta > 0, cos_theta_m, cos_theta)
    else:
        mm = torch.sin(math.pi - ada_margin) * ada_margin
        threshold = torch.cos(math.pi - ada_margin)
        cos_theta_m = torch.where(cos_theta > threshold, cos_theta_m, cos_theta - mm)
    return [scale * cos_theta, scale * cos_theta_m], x_norm


def mag_loss(inputs, target, x_norm, u_a, lambda_g):
    loss_g = torch.mean(1 / (u_a ** 2) * x_norm + 1 / x_norm)
    cos_theta, cos_theta_m = inputs
    one_hot = torch.zeros_like(cos_theta)
    one_hot.scatter_(1, target.view(-1, 1), 1.0)
    output = one_hot * cos_theta_m + (1.0 - one_hot) * cos_theta
    loss = F.cross_entropy(output, target, reduction="mean")
    return output, loss + lambda_g * loss_g


AUTHORS = {"s": 64.0, "l_a": 10.0, "u_a": 110.0, "l_m": 0.45, "u_m": 0.8, "lambda_g": 35.0, "easy_margin": True}


def cases():
    rng = np.random.default_rng(42)
    # norms spread over [4, 140]: below l_a, inside, above u_a (each clamp side), directions random
    def features(n, d, lo, hi):
        v = rng.standard_normal((n, d))
        return v / np.linalg.norm(v, axis=1, keepdims=True) * rng.uniform(lo, hi, (n, 1))
    yield "authors_8x16x10", "the authors' settings; norms from 4 to 140", features(8, 16, 4, 140), rng.standard_normal((10, 16)), \
        rng.integers(0, 10, 8), AUTHORS
    yield "hard_margin_6x8x5", "easy margin off (the th/mm fallback); norms inside the clamp", features(6, 8, 15, 100), \
        rng.standard_normal((5, 8)), rng.integers(0, 5, 6), dict(AUTHORS, easy_margin=False)
    yield "mlp_norms_12x32x7", "bounds for batch-normalised embeddings (norms 2 to 20), s = 30", features(12, 32, 2, 20), \
        rng.standard_normal((7, 32)), rng.integers(0, 7, 12), {"s": 30.0, "l_a": 4.0, "u_a": 16.0, "l_m": 0.3, "u_m": 0.6,
                                                                 "lambda_g": 5.0, "easy_margin": False}


def main():
    fresh(OUT)
    names = []
    for name, description, x_np, w_np, labels_np, p in cases():
        folder = os.path.join(OUT, name)
        os.makedirs(folder)
        x = torch.tensor(x_np, dtype=torch.float64, requires_grad=True)
        w = torch.tensor(w_np, dtype=torch.float64, requires_grad=True)
        target = torch.tensor(labels_np, dtype=torch.int64)

        def margin(a):
            return (p["u_m"] - p["l_m"]) / (p["u_a"] - p["l_a"]) * (a - p["l_a"]) + p["l_m"]

        logits_pair, x_norm = mag_linear(x, w, margin, p["l_a"], p["u_a"], p["s"], p["easy_margin"])
        logits, loss = mag_loss(logits_pair, target, x_norm, p["u_a"], p["lambda_g"])
        grad_x, grad_w = torch.autograd.grad(loss, (x, w))
        arrays = {"x": x_np, "w": w_np, "labels": labels_np.astype(np.int64), "logits": logits.detach().numpy(),
                  "loss": np.array(loss.item()), "grad_x": grad_x.numpy(), "grad_w": grad_w.numpy()}
        save_arrays(folder, arrays)
        save_json(os.path.join(folder, "case.json"), dict(p, description=description, loss=loss.item()))
        names.append(name)
    write_cases(OUT, names)


if __name__ == "__main__":
    main()
