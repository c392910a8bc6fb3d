#!/usr/bin/python3
"""Parity fixtures for the pair losses (org.arcgrad.arcface.pairs).

Run from the repository root:   /usr/bin/python3 tools/make_pair_loss_fixtures.py
Writes tests/src/test/resources/fixtures/pairs/<case>/{x,labels}.npy, <loss>_loss.npy and
<loss>_grad_x.npy for each loss of the case (all four but in one case), case.json (each loss's
parameters and loss), and cases.txt.

Each loss below is transcribed from its published code as a loop over anchors and pairs (not the
masked matrices arcgrad uses), in float64, and differentiated by torch.autograd:
- circle: pytorch-metric-learning's CircleLoss (mat-based form) with its AvgNonZeroReducer;
- multi_similarity: the authors' MultiSimilarityLoss.forward (msight-tech/research-ms-loss),
  mining included, on L2-normalised embeddings (their model normalises in its last layer);
- contrastive: pytorch-metric-learning's ContrastiveLoss over all ordered pairs, distance on
  normalised embeddings, AvgNonZeroReducer for the positive and the negative part each;
- triplet: pytorch-metric-learning's TripletMarginLoss on a BatchHardMiner's triplets, with
  AvgNonZeroReducer; soft margin log(1 + exp(d_ap - d_an)).
Two choices keep fp64 parity exact rather than approximate, and are arcgrad's definitions:
- distance = sqrt(max(2 - 2 cos, 0)) with gradient 0 at 0 (torch's pairwise_distance adds 1e-6 to
  the difference, and sqrt'(0) would be infinite);
- softplus(z) = max(z, 0) + log1p(exp(-|z|)) (torch's F.softplus returns z itself above 20, an
  error of up to 2e-9).
Deterministic: fixed seeds, one thread.
"""
import os

import numpy as np
import torch

from fixture_io import fresh, save_json, write_cases

OUT = os.path.join("tests", "src", "test", "resources", "fixtures", "pairs")
torch.set_num_threads(1)


def softplus(z):
    return torch.clamp_min(z, 0) + torch.log1p(torch.exp(-z.abs()))


def unit(x):
    return x / x.norm(dim=1, keepdim=True).clamp_min(1e-12)  # F.normalize


def safe_sqrt(q):
    positive = q > 0
    return torch.where(positive, torch.sqrt(torch.where(positive, q, torch.ones_like(q))), torch.zeros_like(q))


def distance(e, i, j):
    return safe_sqrt(torch.clamp_min(2 - 2 * torch.dot(e[i], e[j]), 0))


def avg_non_zero(losses):
    if not losses:
        return None
    stacked = torch.stack(losses)
    kept = stacked > 0
    return stacked[kept].sum() / kept.sum() if kept.any() else stacked.sum() * 0


def zero_like_graph(x):
    return (x * 0).sum()


def positives_and_negatives(labels, a):
    """Anchor a's positives (same label, not a) and negatives, as index lists."""
    n = len(labels)
    return ([j for j in range(n) if j != a and labels[j] == labels[a]], [j for j in range(n) if labels[j] != labels[a]])


def circle(x, labels, m, gamma):
    e = unit(x)
    n = len(labels)
    losses = []
    for a in range(n):
        pos, neg = positives_and_negatives(labels, a)
        if not pos or not neg:
            losses.append(zero_like_graph(x))
            continue
        sp = torch.stack([torch.dot(e[a], e[j]) for j in pos])
        sn = torch.stack([torch.dot(e[a], e[j]) for j in neg])
        alpha_p = torch.clamp_min(1 + m - sp.detach(), 0)
        alpha_n = torch.clamp_min(sn.detach() + m, 0)
        logit_p = -gamma * alpha_p * (sp - (1 - m))
        logit_n = gamma * alpha_n * (sn - m)
        losses.append(softplus(torch.logsumexp(logit_p, 0) + torch.logsumexp(logit_n, 0)))
    return avg_non_zero(losses)


def multi_similarity(x, labels, alpha, beta, lam, eps):
    feats = unit(x)
    batch_size = feats.size(0)
    sim_mat = torch.matmul(feats, torch.t(feats))
    epsilon = 1e-5
    loss = []
    for i in range(batch_size):
        pos_pair_ = sim_mat[i][labels == labels[i]]
        pos_pair_ = pos_pair_[pos_pair_ < 1 - epsilon]
        neg_pair_ = sim_mat[i][labels != labels[i]]
        if len(pos_pair_) == 0 or len(neg_pair_) == 0:
            continue  # the authors' min()/max() would raise here; the anchor has nothing to mine
        neg_pair = neg_pair_[neg_pair_ + eps > min(pos_pair_)]
        pos_pair = pos_pair_[pos_pair_ - eps < max(neg_pair_)]
        if len(neg_pair) < 1 or len(pos_pair) < 1:
            continue
        pos_loss = 1.0 / alpha * torch.log(1 + torch.sum(torch.exp(-alpha * (pos_pair - lam))))
        neg_loss = 1.0 / beta * torch.log(1 + torch.sum(torch.exp(beta * (neg_pair - lam))))
        loss.append(pos_loss + neg_loss)
    if len(loss) == 0:
        return zero_like_graph(x)
    return sum(loss) / batch_size


def contrastive(x, labels, pos_margin, neg_margin):
    e = unit(x)
    n = len(labels)
    pos, neg = [], []
    for a in range(n):
        for j in range(n):
            if j == a:
                continue
            d = distance(e, a, j)
            if labels[j] == labels[a]:
                pos.append(torch.relu(d - pos_margin))
            else:
                neg.append(torch.relu(neg_margin - d))
    parts = [p for p in (avg_non_zero(pos), avg_non_zero(neg)) if p is not None]
    return sum(parts) if parts else zero_like_graph(x)


def triplet(x, labels, margin, soft):
    e = unit(x)
    n = len(labels)
    losses = []
    for a in range(n):
        pos, neg = positives_and_negatives(labels, a)
        if not pos or not neg:
            continue
        d_ap = max((distance(e, a, j) for j in pos), key=lambda t: t.item())
        d_an = min((distance(e, a, j) for j in neg), key=lambda t: t.item())
        losses.append(softplus(d_ap - d_an) if soft else torch.relu(d_ap - d_an + margin))
    reduced = avg_non_zero(losses)
    return reduced if reduced is not None else zero_like_graph(x)


LOSSES = {
    "circle": circle,
    "multi_similarity": multi_similarity,
    "contrastive": contrastive,
    "triplet": triplet,
}

DEFAULTS = {
    "circle": {"m": 0.4, "gamma": 80.0},
    "multi_similarity": {"alpha": 2.0, "beta": 40.0, "lam": 0.5, "eps": 0.1},
    "contrastive": {"pos_margin": 0.0, "neg_margin": 1.0},
    "triplet": {"margin": 0.05, "soft": False},
}

FACE = {
    "circle": {"m": 0.25, "gamma": 256.0},
    "multi_similarity": {"alpha": 2.0, "beta": 50.0, "lam": 1.0, "eps": 0.1},
    "contrastive": {"pos_margin": 0.2, "neg_margin": 0.8},
    "triplet": {"margin": 0.0, "soft": True},
}


def pk_labels(p, k, rng):
    labels = np.repeat(np.arange(p), k)
    return labels[rng.permutation(len(labels))]


def cases():
    rng = np.random.default_rng(20261204)
    yield "pk_4x3_d8", "4 labels x 3 samples in shuffled order, 8 features", rng.standard_normal((12, 8)), pk_labels(4, 3, rng), DEFAULTS
    labels = np.array([0, 0, 0, 1, 1, 2, 3, 3])
    yield ("singleton", "label 2 has one sample: an anchor with no positive", rng.standard_normal((8, 6)), labels, DEFAULTS)
    yield ("one_label", "every sample of one label: no negatives, every loss 0", rng.standard_normal((5, 4)),
           np.zeros(5, dtype=np.int64), DEFAULTS)
    close = rng.standard_normal((10, 5))
    close[1] = close[0] + 0.05 * rng.standard_normal(5)  # a near pair: cosine close to 1, below MS's 1 - 1e-5
    yield ("face_settings", "the papers' face settings and other margins; a near-duplicate positive pair", close,
           pk_labels(5, 2, rng), FACE)
    yield "pk_5x4_d16", "5 labels x 4 samples, 16 features", rng.standard_normal((20, 16)), pk_labels(5, 4, rng), DEFAULTS
    twins = rng.standard_normal((8, 6))
    twins[1] = twins[0]  # an exact duplicate: the authors' MS test s < 1 - 1e-5 drops the pair as it drops the anchor itself
    twins[3] = twins[0] + 0.1 * rng.standard_normal(6)  # a negative so close that mining would keep the duplicate
    yield ("duplicate", "an exact duplicate positive pair (the distance losses, whose gradient is singular at distance 0, left out)",
           twins, np.array([0, 0, 0, 1, 1, 2, 2, 2]), {k: DEFAULTS[k] for k in ("circle", "multi_similarity")})


def main():
    fresh(OUT)
    names = []
    for name, description, x_np, labels_np, params in cases():
        folder = os.path.join(OUT, name)
        os.makedirs(folder)
        np.save(os.path.join(folder, "x.npy"), x_np.astype(np.float64))
        np.save(os.path.join(folder, "labels.npy"), labels_np.astype(np.int64))
        labels = torch.tensor(labels_np, dtype=torch.int64)
        meta = {"description": description, "n": int(x_np.shape[0]), "d": int(x_np.shape[1]), "losses": {}}
        for loss_name in params:
            fn = LOSSES[loss_name]
            x = torch.tensor(x_np, dtype=torch.float64, requires_grad=True)
            loss = fn(x, labels, **params[loss_name])
            (grad,) = torch.autograd.grad(loss, x, allow_unused=True)
            grad = torch.zeros_like(x) if grad is None else grad
            np.save(os.path.join(folder, loss_name + "_loss.npy"), np.array(loss.item(), dtype=np.float64))
            np.save(os.path.join(folder, loss_name + "_grad_x.npy"), grad.numpy())
            meta["losses"][loss_name] = {"params": params[loss_name], "loss": loss.item()}
        save_json(os.path.join(folder, "case.json"), meta)
        names.append(name)
    write_cases(OUT, names)


if __name__ == "__main__":
    main()
