#!/usr/bin/python3
"""Parity fixtures for the CurricularFace head (org.arcgrad.arcface.heads.CurricularFace).

Run from the repository root:   /usr/bin/python3 tools/make_curricularface_fixtures.py
Writes tests/src/test/resources/fixtures/curricularface/<case>/ with, for two consecutive training
steps k = 1, 2 of one head (the running t carried from the first to the second):
x<k>.npy, labels<k>.npy, t_old<k>.npy, t<k>.npy, logits<k>.npy, loss<k>.npy, grad_x<k>.npy and
grad_w<k>.npy; w.npy (C x D, the same for both steps), case.json (s, m) and cases.txt.

The head is the authors' CurricularFace.forward (HuangYG123/CurricularFace, head.py) transcribed
in float64, the kernel passed in as arcgrad's C x D (theirs is D x C, normalised along dim 0: the
same per-class normalisation), followed by F.cross_entropy (mean). Deterministic: fixed seeds.
"""
import math
import os

import numpy as np
import torch
import torch.nn.functional as F

from fixture_io import fresh, save_arrays, save_json, write_cases

OUT = os.path.join("tests", "src", "test", "resources", "fixtures", "curricularface")
torch.set_num_threads(1)


def l2_norm(input, axis=1):
    norm = torch.norm(input, 2, axis, True)
    return torch.div(input, norm)


class AuthorsCurricularFace:
    def __init__(self, weight, m=0.5, s=64.0):
        self.m = m
        self.s = s
        self.cos_m = math.cos(m)
        self.sin_m = math.sin(m)
        self.threshold = math.cos(math.pi - m)
        self.mm = math.sin(math.pi - m) * m
        self.kernel = weight  # C x D here; theirs is D x C
        self.t = torch.zeros(1, dtype=torch.float64)

    def forward(self, embbedings, label):
        embbedings = l2_norm(embbedings, axis=1)
        kernel_norm = l2_norm(self.kernel.t(), axis=0)
        cos_theta = torch.mm(embbedings, kernel_norm)
        cos_theta = cos_theta.clamp(-1, 1)  # for numerical stability
        target_logit = cos_theta[torch.arange(0, embbedings.size(0)), label].view(-1, 1)
        sin_theta = torch.sqrt(1.0 - torch.pow(target_logit, 2))
        cos_theta_m = target_logit * self.cos_m - sin_theta * self.sin_m  # cos(target+margin)
        mask = cos_theta > cos_theta_m
        final_target_logit = torch.where(target_logit > self.threshold, cos_theta_m, target_logit - self.mm)
        hard_example = cos_theta[mask]
        with torch.no_grad():
            self.t = target_logit.mean() * 0.01 + (1 - 0.01) * self.t
        cos_theta[mask] = hard_example * (self.t + hard_example)
        cos_theta.scatter_(1, label.view(-1, 1).long(), final_target_logit)
        output = cos_theta * self.s
        return output


def cases():
    rng = np.random.default_rng(7)
    yield "steps_8x12x6_m0.5_s64", 8, 12, 6, 0.5, 64.0, rng
    yield "steps_16x8x10_m0.3_s30", 16, 8, 10, 0.3, 30.0, rng


def main():
    fresh(OUT)
    names = []
    for name, n, d, c, m, s, rng in cases():
        folder = os.path.join(OUT, name)
        os.makedirs(folder)
        w_np = rng.standard_normal((c, d))
        np.save(os.path.join(folder, "w.npy"), w_np)
        w = torch.tensor(w_np, dtype=torch.float64, requires_grad=True)
        head = AuthorsCurricularFace(w, m, s)
        for step in (1, 2):
            x_np = rng.standard_normal((n, d))
            y_np = rng.integers(0, c, n)
            x = torch.tensor(x_np, dtype=torch.float64, requires_grad=True)
            y = torch.tensor(y_np, dtype=torch.int64)
            t_old = head.t.clone()
            logits = head.forward(x, y)
            loss = F.cross_entropy(logits, y)
            grad_x, grad_w = torch.autograd.grad(loss, (x, w))
            arrays = {"x": x_np, "labels": y_np.astype(np.int64), "t_old": t_old.reshape(1).numpy(),
                      "t": head.t.detach().reshape(1).numpy(), "logits": logits.detach().numpy(),
                      "loss": np.array(loss.item()), "grad_x": grad_x.numpy(), "grad_w": grad_w.numpy()}
            save_arrays(folder, arrays, str(step))
        save_json(os.path.join(folder, "case.json"), {"s": s, "m": m, "n": n, "d": d, "c": c})
        names.append(name)
    write_cases(OUT, names)


if __name__ == "__main__":
    main()
