#!/usr/bin/python3
"""Seed-parity fixtures for the ArcFace head.

Run from the repository root:   /usr/bin/python3 tools/make_arcface_fixtures.py
Writes tests/src/test/resources/fixtures/arcface/<case>/{x,w,labels,logits,loss,grad_x,grad_w}.npy,
case.json per case, and cases.txt (the list of case folders, one per line).

The head below is an independent transcription of the seed (shared/seed/000_429e6a4213ba7b1a.txt,
class Arcface.forward), kept line for line, followed by F.cross_entropy (mean). Every case is run
twice: in float64 (what the fp64 interpreter is compared with) and in float32 (what an fp32 OpenCL
device is compared with). Deterministic: fixed seeds, one thread, no randomness from torch.

Where a row's cosine with any class is exactly +-1, the seed's gradient is NaN (sqrt'(0) is
infinite and the where/one_hot masks multiply it by 0). We do not hide that: case.json says which
rows of grad_x and grad_w are not finite, and the .npy files hold the NaNs torch produced.
"""
import json
import math
import os
import shutil

import numpy as np
import torch
import torch.nn.functional as F

OUT = os.path.join("tests", "src", "test", "resources", "fixtures", "arcface")
DTYPES = {"fp64": (torch.float64, np.float64), "fp32": (torch.float32, np.float32)}
NEAR_PM1 = 1e-3  # case.json lists rows whose target cosine is within this of +-1


class SeedArcface:
    """The seed's head, the weight passed in rather than owned, otherwise as written there."""

    def __init__(self, s=30.0, m=0.50, easy_margin=False):
        self.s = s
        self.m = m
        self.easy_margin = easy_margin
        self.cos_m = math.cos(m)
        self.sin_m = math.sin(m)
        self.th = math.cos(math.pi - m)
        self.mm = math.sin(math.pi - m) * m

    def forward(self, input, weight, target):
        # cos(a+b) = cos(a)cos(b)-sin(a)sin(b)
        cosine = F.linear(F.normalize(input), F.normalize(weight))
        sine = torch.sqrt((1.0 - torch.pow(cosine, 2)).clamp(0, 1))
        phi = cosine * self.cos_m - sine * self.sin_m
        if self.easy_margin:
            phi = torch.where(cosine > 0, phi, cosine)  # enhance similar class
        else:
            phi = torch.where(cosine > self.th, phi, cosine - self.mm)  # pull similar, push diff
        one_hot = torch.zeros(cosine.size(), device=input.device)
        one_hot.scatter_(1, target.view(-1, 1).long(), 1)
        output = (one_hot * phi) + ((1.0 - one_hot) * cosine)
        output *= self.s
        return output


def cosines(x, w, tdt):
    """The head's cosine matrix, computed by the same ops the head uses."""
    with torch.no_grad():
        return F.linear(F.normalize(torch.from_numpy(x).to(tdt)), F.normalize(torch.from_numpy(w).to(tdt))).numpy()


# ---------------------------------------------------------------- inputs ---

def xavier_uniform(rng, c, d):
    bound = math.sqrt(6.0 / (c + d))  # nn.init.xavier_uniform_ with gain 1, as the seed initialises
    return rng.uniform(-bound, bound, size=(c, d))


def labels_with_ends(rng, n, c):
    labels = rng.integers(0, c, size=n)
    labels[0] = 0
    if n > 1:
        labels[-1] = c - 1
    else:
        labels[0] = c - 1
    return labels.astype(np.int64)


def random_inputs(seed, n, d, c, pull):
    """x near its target row: x = a * unit(W[label]) + noise, a drawn from `pull` (lo, hi).

    Values are rounded to float32 first, so the fp64 and fp32 sets see the very same inputs.
    """
    rng = np.random.default_rng(seed)
    w = xavier_uniform(rng, c, d)
    labels = labels_with_ends(rng, n, c)
    unit = w[labels] / np.linalg.norm(w[labels], axis=1, keepdims=True)
    a = rng.uniform(pull[0], pull[1], size=(n, 1))
    x = a * unit + rng.normal(size=(n, d)) / math.sqrt(d)
    return x.astype(np.float32).astype(np.float64), w.astype(np.float32).astype(np.float64), labels


def exact_target_inputs(seed, wanted, labels, d, c, npdt, tdt):
    """Rows whose target cosine, as the head computes it in this dtype, is exactly `wanted[n]`.

    The target classes' rows of W are scaled axis vectors (normalize makes them exact unit vectors),
    x[n] = 2.5 * (cos * e_t + sin * e_j); then x[n, t] and x[n, j] are moved by single ulps until the
    head's cosine equals the wanted value bit for bit. Rows with wanted None stay random.
    """
    rng = np.random.default_rng(seed)
    w = xavier_uniform(rng, c, d).astype(npdt)
    targets = sorted({int(labels[n]) for n in range(len(wanted)) if wanted[n] is not None})
    for t in targets:
        w[t] = 0
        w[t, t] = npdt(rng.uniform(0.2, 1.5))
    side = d - 1  # the orthogonal axis: no target row lives on it (d > c)
    x = rng.normal(size=(len(wanted), d)).astype(npdt)
    for n, cw in enumerate(wanted):
        if cw is None:
            continue
        t = int(labels[n])
        x[n] = 0
        x[n, t] = npdt(2.5 * cw)
        x[n, side] = npdt(2.5 * math.sqrt(max(0.0, 1.0 - float(cw) ** 2)))
        place_exactly(x, w, n, t, side, npdt(cw), npdt, tdt)
    return x, w


def place_exactly(x, w, n, t, side, target, npdt, tdt):
    """Tries ulp steps of both non-zero components, nearest first: one alone skips values, two do not."""
    start_t, start_side = x[n, t], x[n, side]
    steps = sorted(((a, b) for a in range(-24, 25) for b in range(-24, 25)), key=lambda ab: (abs(ab[0]) + abs(ab[1]), ab))
    for a, b in steps:
        x[n, t] = step(start_t, a, npdt)
        x[n, side] = step(start_side, b, npdt) if start_side != 0 else start_side
        if cosines(x, w, tdt)[n, t] == target:
            return
    raise SystemExit("could not place row %d exactly at cos %r" % (n, float(target)))


def step(v, k, npdt):
    direction = npdt(np.inf) if k > 0 else npdt(-np.inf)
    for _ in range(abs(k)):
        v = np.nextafter(v, direction)
    return v


# ----------------------------------------------------------------- cases ---

def random_case(name, n, d, c, s, m, easy, seed, pull, description):
    def make(npdt, tdt):
        x, w, labels = random_inputs(seed, n, d, c, pull)
        return x.astype(npdt), w.astype(npdt), labels
    return dict(name=name, s=s, m=m, easy=easy, seed=seed, make=make, description=description)


def switch_case(name, s, m, easy, seed, wanted_fn, labels, d, c, description, extra=None):
    def make(npdt, tdt):
        wanted = wanted_fn(npdt, m)
        x, w = exact_target_inputs(seed, wanted, labels, d, c, npdt, tdt)
        if extra:
            extra(x, w, labels, npdt)
        return x, w, labels
    return dict(name=name, s=s, m=m, easy=easy, seed=seed, make=make, description=description)


def around(value, npdt, offsets):
    """value rounded to the dtype, one ulp either side, and value + each offset (rounded to the dtype)."""
    v = npdt(value)
    rows = [npdt(v - o) for o in offsets[::-1]]
    rows += [np.nextafter(v, npdt(-np.inf)), v, np.nextafter(v, npdt(np.inf))]
    rows += [npdt(v + o) for o in offsets]
    return rows


def th_rows(npdt, m):
    # th exactly as the seed compares it: torch casts the Python float th to the tensor's dtype.
    return around(math.cos(math.pi - m), npdt, [1e-6, 1e-3]) + [None]


def zero_rows(npdt, m):
    tiny = npdt(1e-30)  # a normal number: subnormals would test a device's flush-to-zero, not the head
    return [npdt(-1e-3), npdt(-1e-6), -tiny, npdt(0.0), tiny, npdt(1e-6), npdt(1e-3), None]


def near_pm1_rows(npdt, m):
    return [npdt(1 - 1e-7), npdt(1 - 1e-5), npdt(1 - 1e-4), npdt(1 - 9e-4), npdt(1 - 2e-3),
            npdt(-1 + 1e-7), npdt(-1 + 1e-4), npdt(-1 + 2e-3), None]


def at_pm1_rows(npdt, m):
    return [npdt(1.0), npdt(-1.0), None, None, None, None]


def at_pm1_extra(x, w, labels, npdt):
    """Rows 2..4 hit +-1 the way users do: x a copy of a random (not axis) row of W, or its negative."""
    x[2] = npdt(1.7) * w[labels[2]]  # x parallel to its target row
    x[3] = -w[labels[3]]             # x opposite its target row
    x[4] = npdt(3.0) * w[4]          # x parallel to a NON-target row: the seed's gradient is NaN there too


SWITCH_LABELS = np.array([0, 2, 5, 0, 2, 5, 0, 2, 5], dtype=np.int64)
# at_pm1: rows 0 and 1 target axis rows (exact +-1); rows 2 and 3 target random rows 5 and 3; row 4
# (label 2) lies on row 4 of W, which no row targets.
AT_PM1_LABELS = np.array([0, 2, 5, 3, 2, 4], dtype=np.int64)


def all_cases():
    return [
        random_case("random_4x3x5_m0.5_s30", 4, 3, 5, 30.0, 0.5, False, 11, (-1, 3),
                    "small random head, labels at 0 and C-1"),
        random_case("random_8x16x10_m0.3_s64", 8, 16, 10, 64.0, 0.3, False, 12, (-3, 3),
                    "random, target cosines spread over (-1, 1) but all above th = -0.955: the phi branch"),
        random_case("trained_32x64x100_m0.5_s64", 32, 64, 100, 64.0, 0.5, False, 13, (1, 6),
                    "x pulled towards its target row, as after training: target cosines 0.69..0.99"),
        random_case("tiny_1x8x2_m0.5_s30", 1, 8, 2, 30.0, 0.5, False, 14, (-2, 2),
                    "one row, two classes, label C-1"),
        random_case("margin0_4x3x5_m0.0_s30", 4, 3, 5, 30.0, 0.0, False, 15, (-3, 3),
                    "m = 0: the head is plain scaled cosine (th = -1, mm = 0)"),
        random_case("margin1_8x16x10_m1.0_s30", 8, 16, 10, 30.0, 1.0, False, 16, (-4, 4),
                    "m = 1.0: th = cos(pi - 1) = -0.54, many rows on the fallback branch"),
        random_case("easy_8x16x10_m0.5_s30", 8, 16, 10, 30.0, 0.5, True, 17, (-3, 3),
                    "easy_margin on, target cosines on both sides of 0"),
        random_case("easy_4x3x5_m0.3_s64", 4, 3, 5, 64.0, 0.3, True, 18, (-3, 3),
                    "easy_margin on, small"),
        switch_case("th_switch_m0.5_s64", 64.0, 0.5, False, 21, th_rows, SWITCH_LABELS[:8], 8, 6,
                    "target cosines at th = cos(pi - m) exactly (rounded to the dtype), one ulp either side,"
                    " +-1e-6 and +-1e-3; the last row random. cos == th takes the fallback (cosine > th is false)"),
        switch_case("th_switch_m0.3_s30", 30.0, 0.3, False, 22, th_rows, SWITCH_LABELS[:8], 8, 6,
                    "as th_switch_m0.5_s64 with m = 0.3"),
        switch_case("easy_zero_switch_m0.5_s30", 30.0, 0.5, True, 23, zero_rows, SWITCH_LABELS[:8], 8, 6,
                    "easy_margin: target cosines -1e-3, -1e-6, -1e-30, exactly 0, 1e-30, 1e-6, 1e-3, and a random row;"
                    " cos == 0 keeps the cosine (cosine > 0 is false)"),
        switch_case("near_pm1_m0.5_s30", 30.0, 0.5, False, 24, near_pm1_rows, SWITCH_LABELS, 10, 6,
                    "target cosines 1-1e-7, 1-1e-5, 1-1e-4, 1-9e-4, 1-2e-3, -1+1e-7, -1+1e-4, -1+2e-3, random:"
                    " close to but not at +-1, so the seed's gradient is large but finite"),
        switch_case("near_pm1_easy_m0.5_s30", 30.0, 0.5, True, 25, near_pm1_rows, SWITCH_LABELS, 10, 6,
                    "as near_pm1_m0.5_s30 with easy_margin on"),
        switch_case("at_pm1_m0.5_s30", 30.0, 0.5, False, 26, at_pm1_rows, AT_PM1_LABELS, 8, 6,
                    "row 0 target cos exactly +1, row 1 exactly -1, row 2 x = 1.7 * W[label], row 3 x = -W[label],"
                    " row 4 x = 3 * W[4] (a non-target row), row 5 random: the seed's gradient is NaN"
                    " wherever a cosine is exactly +-1 (see nonfinite_grad_*_rows)",
                    extra=at_pm1_extra),
        switch_case("at_pm1_easy_m0.5_s30", 30.0, 0.5, True, 27, at_pm1_rows, AT_PM1_LABELS, 8, 6,
                    "as at_pm1_m0.5_s30 with easy_margin on", extra=at_pm1_extra),
    ]


# --------------------------------------------------------------- running ---

def run_case(case, suffix):
    tdt, npdt = DTYPES[suffix]
    x_np, w_np, labels_np = case["make"](npdt, tdt)
    head = SeedArcface(s=case["s"], m=case["m"], easy_margin=case["easy"])
    x = torch.from_numpy(np.ascontiguousarray(x_np, dtype=npdt)).requires_grad_(True)
    w = torch.from_numpy(np.ascontiguousarray(w_np, dtype=npdt)).requires_grad_(True)
    labels = torch.from_numpy(labels_np.astype(np.int64))
    logits = head.forward(x, w, labels)
    loss = F.cross_entropy(logits, labels)
    loss.backward()
    assert logits.dtype == tdt and loss.dtype == tdt and x.grad.dtype == tdt

    cos = cosines(x_np, w_np, tdt)
    n = len(labels_np)
    target_cos = [float(cos[i, labels_np[i]]) for i in range(n)]
    with torch.no_grad():
        c = torch.from_numpy(cos)
        take_phi = (c > 0) if case["easy"] else (c > head.th)  # the seed's own comparison
    branch = ["phi" if bool(take_phi[i, labels_np[i]]) else ("cosine" if case["easy"] else "fallback")
              for i in range(n)]
    gx, gw = x.grad.numpy(), w.grad.numpy()
    meta = {
        "name": case["name"] + "_" + suffix,
        "dtype": np.dtype(npdt).name,
        "s": case["s"],
        "m": case["m"],
        "easy_margin": case["easy"],
        "n": int(x_np.shape[0]), "d": int(x_np.shape[1]), "c": int(w_np.shape[0]),
        "description": case["description"],
        "seed": case["seed"],
        "cos_m": head.cos_m, "sin_m": head.sin_m, "th": head.th, "mm": head.mm,
        "th_in_dtype": float(npdt(head.th)),
        "loss": float(loss.item()),
        "target_cos": target_cos,
        "target_branch": branch,
        "rows_target_cos_near_pm1": [i for i in range(n) if abs(abs(target_cos[i]) - 1.0) <= NEAR_PM1],
        "rows_any_cos_exactly_pm1": [i for i in range(n) if bool(np.any(np.abs(cos[i]) == 1.0))],
        "grad_finite": bool(np.all(np.isfinite(gx)) and np.all(np.isfinite(gw))),
        "nonfinite_grad_x_rows": [int(i) for i in np.nonzero(~np.all(np.isfinite(gx), axis=1))[0]],
        "nonfinite_grad_w_rows": [int(i) for i in np.nonzero(~np.all(np.isfinite(gw), axis=1))[0]],
        "generator": "tools/make_arcface_fixtures.py, torch %s, numpy %s" % (torch.__version__, np.__version__),
    }
    folder = os.path.join(OUT, meta["name"])
    os.makedirs(folder)
    arrays = {"x": x_np, "w": w_np, "labels": labels_np.astype("<i8"), "logits": logits.detach().numpy(),
              "loss": loss.detach().numpy(), "grad_x": gx, "grad_w": gw}
    for key, a in arrays.items():
        a = np.array(a, order="C")  # not ascontiguousarray: it turns the rank-0 loss into shape (1,)
        if a.dtype.kind == "f":
            a = a.astype(np.dtype(npdt).newbyteorder("<"))
        np.save(os.path.join(folder, key + ".npy"), a, allow_pickle=False)
    with open(os.path.join(folder, "case.json"), "w") as f:
        json.dump(meta, f, indent=1, allow_nan=False)
        f.write("\n")
    return meta


def main():
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    if os.path.isdir(OUT):
        shutil.rmtree(OUT)
    os.makedirs(OUT)
    names = []
    for case in all_cases():
        for suffix in DTYPES:
            meta = run_case(case, suffix)
            names.append(meta["name"])
            print("%-36s loss %-22r branches %s%s" % (meta["name"], meta["loss"], "".join(b[0] for b in meta["target_branch"]),
                  "" if meta["grad_finite"] else "  NaN grads: x rows %s, w rows %s"
                  % (meta["nonfinite_grad_x_rows"], meta["nonfinite_grad_w_rows"])))
    with open(os.path.join(OUT, "cases.txt"), "w") as f:
        f.write("\n".join(names) + "\n")


if __name__ == "__main__":
    main()
