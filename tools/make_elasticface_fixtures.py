#!/usr/bin/python3
"""Parity fixtures for the ElasticFace head (org.arcgrad.arcface.heads.ElasticFace).

Run from the repository root:   /usr/bin/python3 tools/make_elasticface_fixtures.py
Writes tests/src/test/resources/fixtures/elasticface/<case>/{x,w,labels,z,logits,loss,grad_x,grad_w}.npy,
case.json (form, s, m, std, plus) and cases.txt.

The authors' ElasticArcFace and ElasticCosFace forward passes (fdbtrs/ElasticFace) transcribed in
float64, the kernel passed in as arcgrad's C x D (theirs is D x C, normalised along dim 0), with
two changes: the margins torch.normal(m, std) are m + std * z for a stored z (arcgrad draws z on
the host and feeds it), and for ElasticFace+ the sorted margins go to the samples in order of
their target cosine, largest cosine first, as the paper describes (the published code writes
margin[idicate_cosie], another permutation). Mean cross-entropy follows.
"""
import os

import numpy as np
import torch
import torch.nn.functional as F

from fixture_io import fresh, save_arrays, save_json, write_cases
from make_curricularface_fixtures import l2_norm

OUT = os.path.join("tests", "src", "test", "resources", "fixtures", "elasticface")
torch.set_num_threads(1)


def elastic(embbedings, label, weight, z, form, s, m, std, plus):
    embbedings = l2_norm(embbedings, axis=1)
    kernel_norm = l2_norm(weight.t(), axis=0)
    cos_theta = torch.mm(embbedings, kernel_norm)
    cos_theta = cos_theta.clamp(-1, 1)  # for numerical stability
    index = torch.where(label != -1)[0]
    m_hot = torch.zeros(index.size()[0], cos_theta.size()[1], dtype=cos_theta.dtype)
    margin = m + std * z  # torch.normal(mean=m, std=std, size=label[index, None].size())
    if plus:
        with torch.no_grad():
            distmat = cos_theta[index, label.view(-1)].detach().clone()
            _, idicate_cosie = torch.sort(distmat, dim=0, descending=True)
            margin, _ = torch.sort(margin, dim=0)
        assigned = torch.zeros_like(margin)
        assigned[idicate_cosie] = margin  # the paper's rule: the most similar sample gets the smallest margin
        margin = assigned
    m_hot.scatter_(1, label[index, None], margin)
    if form == "arc":
        cos_theta = cos_theta.acos()
        cos_theta = cos_theta + m_hot  # their in-place acos_, += and cos_
        cos_theta = cos_theta.cos()
    else:
        cos_theta = cos_theta - m_hot
    return cos_theta * s


def cases():
    rng = np.random.default_rng(3)
    yield "arc_8x12x6", {"form": "arc", "s": 64.0, "m": 0.5, "std": 0.05, "plus": False}, 8, 12, 6, rng
    yield "cos_10x8x5", {"form": "cos", "s": 64.0, "m": 0.35, "std": 0.05, "plus": False}, 10, 8, 5, rng
    yield "arc_plus_12x6x7", {"form": "arc", "s": 30.0, "m": 0.5, "std": 0.1, "plus": True}, 12, 6, 7, rng
    yield "cos_plus_9x10x4", {"form": "cos", "s": 30.0, "m": 0.35, "std": 0.1, "plus": True}, 9, 10, 4, rng


def main():
    fresh(OUT)
    names = []
    for name, p, n, d, c, rng in cases():
        folder = os.path.join(OUT, name)
        os.makedirs(folder)
        x_np, w_np = rng.standard_normal((n, d)), rng.standard_normal((c, d))
        y_np, z_np = rng.integers(0, c, n), rng.standard_normal((n, 1))
        x = torch.tensor(x_np, dtype=torch.float64, requires_grad=True)
        w = torch.tensor(w_np, dtype=torch.float64, requires_grad=True)
        y = torch.tensor(y_np, dtype=torch.int64)
        logits = elastic(x, y, w, torch.tensor(z_np), p["form"], p["s"], p["m"], p["std"], p["plus"])
        loss = F.cross_entropy(logits, y)
        grad_x, grad_w = torch.autograd.grad(loss, (x, w))
        save_arrays(folder, {"x": x_np, "w": w_np, "labels": y_np.astype(np.int64), "z": z_np, "logits": logits.detach().numpy(),
                             "loss": np.array(loss.item()), "grad_x": grad_x.numpy(), "grad_w": grad_w.numpy()})
        save_json(os.path.join(folder, "case.json"), p)
        names.append(name)
    write_cases(OUT, names)


if __name__ == "__main__":
    main()
