#!/usr/bin/python3
"""Parity fixtures for the AdaFace head (org.arcgrad.arcface.heads.AdaFace).

Run from the repository root:   /usr/bin/python3 tools/make_adaface_fixtures.py
Writes tests/src/test/resources/fixtures/adaface/<case>/ with, for two consecutive training steps
k = 1, 2 of one head (its running mean and std carried between them): x<k>.npy, labels<k>.npy,
mean_old<k>.npy, std_old<k>.npy, mean<k>.npy, std<k>.npy, logits<k>.npy, loss<k>.npy,
grad_x<k>.npy, grad_w<k>.npy; w.npy (C x D), case.json (m, h, s, t_alpha) and cases.txt.

The head is the authors' AdaFace.forward (mk-minchul/AdaFace, head.py) transcribed in float64, the
kernel passed in as arcgrad's C x D (theirs is D x C, normalised along dim 0), fed as their backbone
feeds it: the embedding divided by its norm, and the norm. Mean cross-entropy follows.
"""
import math
import os

import numpy as np
import torch
import torch.nn.functional as F

from fixture_io import fresh, save_arrays, save_json, write_cases
from make_curricularface_fixtures import l2_norm

OUT = os.path.join("tests", "src", "test", "resources", "fixtures", "adaface")
torch.set_num_threads(1)



class AuthorsAdaFace:
    def __init__(self, weight, m=0.4, h=0.333, s=64.0, t_alpha=1.0):
        self.kernel = weight  # C x D here; theirs is D x C
        self.m = m
        self.eps = 1e-3
        self.h = h
        self.s = s
        self.t_alpha = t_alpha
        self.batch_mean = torch.ones(1, dtype=torch.float64) * 20
        self.batch_std = torch.ones(1, dtype=torch.float64) * 100

    def forward(self, embbedings, norms, label):
        kernel_norm = l2_norm(self.kernel.t(), axis=0)
        cosine = torch.mm(embbedings, kernel_norm)
        cosine = cosine.clamp(-1 + self.eps, 1 - self.eps)  # for stability
        safe_norms = torch.clip(norms, min=0.001, max=100)  # for stability
        safe_norms = safe_norms.clone().detach()
        with torch.no_grad():
            mean = safe_norms.mean().detach()
            std = safe_norms.std().detach()
            self.batch_mean = mean * self.t_alpha + (1 - self.t_alpha) * self.batch_mean
            self.batch_std = std * self.t_alpha + (1 - self.t_alpha) * self.batch_std
        margin_scaler = (safe_norms - self.batch_mean) / (self.batch_std + self.eps)
        margin_scaler = margin_scaler * self.h
        margin_scaler = torch.clip(margin_scaler, -1, 1)
        m_arc = torch.zeros(label.size()[0], cosine.size()[1], dtype=cosine.dtype)
        m_arc.scatter_(1, label.reshape(-1, 1), 1.0)
        g_angular = self.m * margin_scaler * -1
        m_arc = m_arc * g_angular
        theta = cosine.acos()
        theta_m = torch.clip(theta + m_arc, min=self.eps, max=math.pi - self.eps)
        cosine = theta_m.cos()
        m_cos = torch.zeros(label.size()[0], cosine.size()[1], dtype=cosine.dtype)
        m_cos.scatter_(1, label.reshape(-1, 1), 1.0)
        g_add = self.m + (self.m * margin_scaler)
        m_cos = m_cos * g_add
        cosine = cosine - m_cos
        scaled_cosine_m = cosine * self.s
        return scaled_cosine_m


def cases():
    rng = np.random.default_rng(11)
    # norms around 5 to 40 (the running mean starts at 20, its std at 100), alpha raised so the statistics move
    yield "steps_10x12x6_default", 10, 12, 6, {"m": 0.4, "h": 0.333, "s": 64.0, "t_alpha": 0.01}, (5, 40), rng
    yield "steps_16x8x9_fast_ema", 16, 8, 9, {"m": 0.5, "h": 0.5, "s": 30.0, "t_alpha": 0.5}, (2, 60), rng


def main():
    fresh(OUT)
    names = []
    for name, n, d, c, p, (lo, hi), rng in cases():
        folder = os.path.join(OUT, name)
        os.makedirs(folder)
        w_np = rng.standard_normal((c, d))
        np.save(os.path.join(folder, "w.npy"), w_np)
        w = torch.tensor(w_np, dtype=torch.float64, requires_grad=True)
        head = AuthorsAdaFace(w, p["m"], p["h"], p["s"], p["t_alpha"])
        for step in (1, 2):
            v = rng.standard_normal((n, d))
            x_np = v / np.linalg.norm(v, axis=1, keepdims=True) * rng.uniform(lo, hi, (n, 1))
            y_np = rng.integers(0, c, n)
            x = torch.tensor(x_np, dtype=torch.float64, requires_grad=True)
            y = torch.tensor(y_np, dtype=torch.int64)
            mean_old, std_old = head.batch_mean.clone(), head.batch_std.clone()
            norms = torch.norm(x, 2, 1, True)
            logits = head.forward(torch.div(x, norms), norms, y)
            loss = F.cross_entropy(logits, y)
            grad_x, grad_w = torch.autograd.grad(loss, (x, w))
            arrays = {"x": x_np, "labels": y_np.astype(np.int64), "mean_old": mean_old.reshape(1).numpy(),
                      "std_old": std_old.reshape(1).numpy(), "mean": head.batch_mean.reshape(1).numpy(),
                      "std": head.batch_std.reshape(1).numpy(), "logits": logits.detach().numpy(), "loss": np.array(loss.item()),
                      "grad_x": grad_x.numpy(), "grad_w": grad_w.numpy()}
            save_arrays(folder, arrays, str(step))
        save_json(os.path.join(folder, "case.json"), dict(p, n=n, d=d, c=c))
        names.append(name)
    write_cases(OUT, names)


if __name__ == "__main__":
    main()
