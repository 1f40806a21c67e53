#!/usr/bin/env python3
"""Convert two small datasets bundled with the Python anchors to IDX files for `cvtool`.

Run once (deterministic; the outputs are committed in Fixtures/datasets/, ~145 KB):

    /work/venv-anchors/bin/python Tools/datasets.py            # or Tools/venv.sh's python

* scikit-learn's digits (sklearn/datasets/data/digits.csv.gz: 1797 rows of 64 pixel values
  0...16 and the digit): images scaled to 0...255 as round(v * 255 / 16), 8x8 pixels.
  -> digits-images-idx3-ubyte.gz, digits-labels-idx1-ubyte.gz
* scikit-image's lfw_subset (skimage/data/lfw_subset.npy: 200 gray 25x25 float images in
  [0, 1]; the first 100 are faces, the other 100 non-faces): round(x * 255).
  Labels: 1 = face, 0 = non-face.
  -> lfw-subset-images-idx3-ubyte.gz, lfw-subset-labels-idx1-ubyte.gz

IDX is MNIST's format (big-endian, magic 00 00 08 ndim); gzip with mtime 0 so the bytes do
not change between runs.
"""
import gzip
import os
import struct
import sys

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "Fixtures", "datasets")


def write_idx(path, array):
    a = np.ascontiguousarray(array, dtype=np.uint8)
    header = struct.pack(">BBBB", 0, 0, 0x08, a.ndim) + b"".join(struct.pack(">I", d) for d in a.shape)
    with open(path, "wb") as raw:
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as f:
            f.write(header + a.tobytes())
    print(f"{path}: {a.shape}")


def main():
    import sklearn
    import skimage

    os.makedirs(OUT, exist_ok=True)
    csv = os.path.join(os.path.dirname(sklearn.__file__), "datasets", "data", "digits.csv.gz")
    d = np.loadtxt(csv, delimiter=",")
    pixels = np.clip(np.rint(d[:, :64] * 255.0 / 16.0), 0, 255).reshape(-1, 8, 8)
    write_idx(os.path.join(OUT, "digits-images-idx3-ubyte.gz"), pixels)
    write_idx(os.path.join(OUT, "digits-labels-idx1-ubyte.gz"), d[:, 64].astype(np.uint8))

    lfw = np.load(os.path.join(os.path.dirname(skimage.__file__), "data", "lfw_subset.npy"))
    write_idx(os.path.join(OUT, "lfw-subset-images-idx3-ubyte.gz"), np.clip(np.rint(lfw * 255.0), 0, 255))
    labels = np.array([1] * 100 + [0] * 100, dtype=np.uint8)
    write_idx(os.path.join(OUT, "lfw-subset-labels-idx1-ubyte.gz"), labels)

    with open(os.path.join(OUT, "VERSIONS.txt"), "w") as f:
        f.write(f"python {sys.version.split()[0]}\nnumpy {np.__version__}\n"
                f"scikit-learn {sklearn.__version__}\nscikit-image {skimage.__version__}\n")


if __name__ == "__main__":
    main()
