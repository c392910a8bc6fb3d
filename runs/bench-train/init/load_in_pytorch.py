#!/usr/bin/env python3
"""Loads the weights arcgrad trained into PyTorch: run from any folder,
    python3 load_in_pytorch.py
or import load() from it. The backbone maps inputs [N, 784] to embeddings [N, 128];
head.weight [10, 128] holds the margin head's class weights (cosine with
normalized embeddings; call .eval() so batch norm uses its running statistics)."""
import collections
import os

import numpy as np
import torch
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))


def load(folder=HERE):
    model = nn.Sequential(collections.OrderedDict([
    ("fc1", nn.Linear(784, 512, bias=True)),
    ("bn1", nn.BatchNorm1d(512)),
    ("relu1", nn.ReLU()),
    ("fc2", nn.Linear(512, 256, bias=True)),
    ("bn2", nn.BatchNorm1d(256)),
    ("relu2", nn.ReLU()),
    ("fc3", nn.Linear(256, 128, bias=True)),
    ("bn3", nn.BatchNorm1d(128)),
    ]))
    state = {k: torch.from_numpy(np.load(os.path.join(folder, k + ".npy"))) for k in model.state_dict()}
    model.load_state_dict(state)
    head = torch.from_numpy(np.load(os.path.join(folder, "head.weight.npy")))
    return model.eval(), head


if __name__ == "__main__":
    model, head = load()
    print(model)
    print("head.weight", tuple(head.shape))
