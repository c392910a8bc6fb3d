#!/usr/bin/python3
"""Writes the NPY files the arcface module's NPY reader tests read.

Run from the repository root:  /usr/bin/python3 tools/make_npy_test_files.py
Output: arcface/src/test/resources/npy/*.npy (deterministic; a few hundred bytes each).

Good files are written by numpy itself (np.save / np.lib.format.write_array), so the tests check
our reader against the real writer. Bad files are numpy files damaged on purpose, or headers written
by hand where numpy refuses to write such a thing.
"""
import io
import os
import struct

import numpy as np

OUT = os.path.join("arcface", "src", "test", "resources", "npy")


def save(name, array, version=None):
    with open(os.path.join(OUT, name), "wb") as f:
        np.lib.format.write_array(f, array, version=version, allow_pickle=False)


def numpy_bytes(array, version=None):
    buf = io.BytesIO()
    np.lib.format.write_array(buf, array, version=version, allow_pickle=False)
    return buf.getvalue()


def raw(name, header_text, data=b"", version=1, header_length=None):
    """A file with a hand-written header: for headers numpy would never write."""
    header = header_text.encode("latin1") if isinstance(header_text, str) else header_text
    pad = 64 - (10 + len(header) + 1) % 64
    header = header + b" " * (pad % 64) + b"\n"
    length = len(header) if header_length is None else header_length
    fmt = "<H" if version == 1 else "<I"
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(b"\x93NUMPY" + bytes([version, 0]) + struct.pack(fmt, length) + header + data)


def main():
    os.makedirs(OUT, exist_ok=True)
    specials32 = np.array([0.0, -0.0, 1.5, -2.25, np.inf, -np.inf, np.nan, 1e-45], dtype="<f4")

    # --- files numpy writes, that we must read ---
    save("f4_2x4.npy", specials32.reshape(2, 4))
    save("f8_scalar.npy", np.array(3.141592653589793, dtype="<f8"))                # rank 0, shape ()
    save("i4_1d.npy", np.array([0, 1, -1, 2**31 - 1, -2**31], dtype="<i4"))
    save("i8_2x3x4.npy", (np.arange(24, dtype="<i8") * (2**40 + 1) - 2**44).reshape(2, 3, 4))
    save("f8_v2.npy", np.linspace(-1, 1, 6).reshape(3, 2), version=(2, 0))        # header version 2.0
    save("f4_v3.npy", np.array([[1.0, 2.0]], dtype="<f4"), version=(3, 0))         # header version 3.0
    save("f8_empty_0x3.npy", np.zeros((0, 3), dtype="<f8"))                        # zero elements
    save("i8_labels.npy", np.array([0, 4, 2, 4], dtype="<i8"))                     # labels as torch saves them

    # --- files numpy writes, that we refuse ---
    save("fortran_f8_2x3.npy", np.asfortranarray(np.arange(6.0).reshape(2, 3)))
    save("bigendian_f8.npy", np.arange(4.0, dtype=">f8"))
    save("bool.npy", np.array([True, False]))
    save("complex128.npy", np.array([1 + 2j]))
    save("float16.npy", np.array([1.0], dtype="<f2"))
    save("uint8.npy", np.array([1, 2], dtype="u1"))
    save("structured.npy", np.zeros(2, dtype=[("a", "<f4"), ("b", "<i4")]))

    good = numpy_bytes(np.arange(12.0).reshape(3, 4))
    with open(os.path.join(OUT, "truncated_f8_3x4.npy"), "wb") as f:             # cut mid-data
        f.write(good[:-20])
    with open(os.path.join(OUT, "trailing_f8_3x4.npy"), "wb") as f:              # junk after the data
        f.write(good + b"\0\0\0\0")
    with open(os.path.join(OUT, "bad_magic.npy"), "wb") as f:
        f.write(b"PK\x03\x04" + good[4:])
    with open(os.path.join(OUT, "short_preamble.npy"), "wb") as f:
        f.write(good[:9])

    # --- hand-written headers numpy would never write ---
    d8 = np.arange(3.0).astype("<f8").tobytes()
    raw("lying_header_length.npy", "{'descr': '<f8', 'fortran_order': False, 'shape': (3,), }", d8,
        header_length=5000)
    raw("nonascii_header.npy", b"{'descr': '<f8', 'fortran_order': False, 'shape': (3,), '\xe9': 1, }", d8)
    raw("unparseable_header.npy", "{'descr': '<f8', 'fortran_order': False, 'shape': (3,), ", d8)
    raw("missing_shape_key.npy", "{'descr': '<f8', 'fortran_order': False, }", d8)
    raw("negative_shape.npy", "{'descr': '<f8', 'fortran_order': False, 'shape': (3, -1), }", d8)
    raw("too_many_elements.npy", "{'descr': '<f4', 'fortran_order': False, 'shape': (65536, 65536), }", b"")
    raw("native_order_f8.npy", "{'descr': '=f8', 'fortran_order': False, 'shape': (3,), }", d8)
    raw("not_applicable_order_i4.npy", "{'descr': '|i4', 'fortran_order': False, 'shape': (2,), }",
        np.array([7, -7], dtype="<i4").tobytes())
    raw("version_4.npy", "{'descr': '<f8', 'fortran_order': False, 'shape': (3,), }", d8, version=4)


if __name__ == "__main__":
    main()
