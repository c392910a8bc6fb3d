"""What the fixture scripts share: a fresh output folder, arrays and case.json per case, cases.txt.

Imported by the make_*_fixtures.py scripts beside it (run from the repository root as
/usr/bin/python3 tools/<script>.py, which puts tools/ on the import path).
"""
import json
import os
import shutil

import numpy as np


def fresh(out):
    """Removes the fixture folder out and makes it again, empty."""
    if os.path.isdir(out):
        shutil.rmtree(out)
    os.makedirs(out)


def save_arrays(folder, arrays, suffix=""):
    """Writes each named array as <name><suffix>.npy in folder."""
    for key, value in arrays.items():
        np.save(os.path.join(folder, key + suffix + ".npy"), value)


def save_json(path, obj):
    with open(path, "w") as f:
        json.dump(obj, f, indent=1, sort_keys=True)
        f.write("\n")


def write_cases(out, names):
    """cases.txt: the case folders, one per line."""
    with open(os.path.join(out, "cases.txt"), "w") as f:
        f.write("\n".join(names) + "\n")
