#!/usr/bin/python3
"""arcgrad's data order and synthetic data, in Python, for benchmarks that must see the same data.

An independent port of the documented definitions in arcface/src/main/java/org/arcgrad/arcface/data
(SplitMix64, EpochPermutation, SyntheticIdentities); the Java tests pin values this file computes.
Pure Python and exact, not fast: a benchmark that needs millions of samples should vectorize it
(numpy uint64 arithmetic wraps like Java's long) and check itself against these functions.

Run from the repository root:  /usr/bin/python3 tools/arcgrad_data.py
prints the values EpochPermutationTest and SyntheticIdentitiesTest pin.

Fashion-MNIST needs no port: features are (v/255 - mean) / std per pixel, mean and std (divisor N)
over all training pixels (0.2860406, 0.3530242); see PixelNormalization.
"""
import math
import struct

MASK = (1 << 64) - 1
GOLDEN_GAMMA = 0x9E3779B97F4A7C15
SHUFFLE_PURPOSE = 0x5348554646   # "SHUFF"
CENTER_PURPOSE = 0x43454E544552  # "CENTER"
NOISE_PURPOSE = 0x4E4F495345     # "NOISE"


def mix64(z):
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return z ^ (z >> 31)


def key(*parts):
    """The state of the stream keyed by parts (seed, purpose, ids...), as SplitMix64.key."""
    h = 0
    for k in parts:
        h = mix64(((h + GOLDEN_GAMMA) & MASK) ^ (k & MASK))
    return h


class SplitMix64:
    def __init__(self, state):
        self.state = state & MASK
        self.spare = None

    def next_long(self):
        self.state = (self.state + GOLDEN_GAMMA) & MASK
        return mix64(self.state)

    def next_double(self):
        return (self.next_long() >> 11) * 2.0 ** -53

    def next_int(self, bound):
        while True:
            bits = self.next_long() >> 33
            value = bits % bound
            if bits - value + (bound - 1) < 2 ** 31:  # Java: no int overflow
                return value

    def next_gaussian(self):
        """Marsaglia's polar method; Java uses StrictMath.log, Python the C library's log, which
        agree to the last bit almost always (and after rounding to float32, practically always)."""
        if self.spare is not None:
            value, self.spare = self.spare, None
            return value
        while True:
            u = 2 * self.next_double() - 1
            v = 2 * self.next_double() - 1
            s = u * u + v * v
            if 0 < s < 1:
                break
        m = math.sqrt(-2 * math.log(s) / s)
        self.spare = v * m
        return u * m


def epoch_permutation(seed, epoch, n):
    """The order epoch `epoch` visits samples 0..n-1 in (Batcher.forTraining; drop the last partial batch)."""
    order = list(range(n))
    random = SplitMix64(key(seed, SHUFFLE_PURPOSE, epoch))
    for i in range(n - 1, 0, -1):
        j = random.next_int(i + 1)
        order[i], order[j] = order[j], order[i]
    return order


def _float32(x):
    return struct.unpack("f", struct.pack("f", x))[0]


def center(seed, c, dim):
    random = SplitMix64(key(seed, CENTER_PURPOSE, c))
    g = [random.next_gaussian() for _ in range(dim)]
    squares = 0.0
    for x in g:
        squares += x * x
    inverse_norm = 1 / math.sqrt(squares)
    return [x * inverse_norm for x in g]


def sample(seed, c, j, dim, noise, renormalize):
    """Sample j of class c (training samples are j = 0..train_per_class-1, test samples follow), float32 values."""
    x = center(seed, c, dim)
    random = SplitMix64(key(seed, NOISE_PURPOSE, c, j))
    scale = noise / math.sqrt(dim)
    squares = 0.0
    for k in range(dim):
        x[k] += scale * random.next_gaussian()
        squares += x[k] * x[k]
    factor = 1 / math.sqrt(squares) if renormalize else 1
    return [_float32(v * factor) for v in x]


def synthetic_row(seed, i, per_class, first_sample, dim, noise, renormalize):
    """Row i of a synthetic set (class-major): the train set has first_sample 0, the test set train_per_class."""
    c = i // per_class
    return c, sample(seed, c, first_sample + i % per_class, dim, noise, renormalize)


if __name__ == "__main__":
    print("EpochPermutation.of(0, 0, 10) =", epoch_permutation(0, 0, 10))
    # SyntheticSpec(classes 10, dim 4, trainPerClass 2, testPerClass 1, noise 0.5, renormalize false, seed 0)
    for i in (0, 19):
        label, row = synthetic_row(0, i, 2, 0, 4, 0.5, False)
        print("train row", i, "label", label, row)
