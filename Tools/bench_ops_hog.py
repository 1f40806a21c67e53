"""Anchor side of `cvtool bench` for CVFeatures' HOG ops (picked up by Tools/bench).

`make` receives the decoded RGB uint8 image (numpy) and returns the zero-arg callable to time.
"""
import gzip

import cv2
import numpy as np
from skimage.feature import hog as sk_hog

FASHION_T10K = "/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz"


def _gray(rgb):
    return cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY) if rgb.ndim == 3 else rgb


def _fashion():
    with gzip.open(FASHION_T10K, "rb") as f:
        raw = f.read()
    return np.frombuffer(raw, np.uint8, offset=16).reshape(-1, 28, 28)


def _sk_table(images):
    return lambda: np.stack([sk_hog(im, 9, (7, 7), (2, 2)) for im in images])


OPS = [
    {"op": "hog", "args": [], "label": "HOG scikit-image defaults (gray)", "anchor": "scikit-image", "gray": True,
     "make": lambda rgb: (lambda g=_gray(rgb): (lambda: sk_hog(g)))()},
    {"op": "hog-window", "args": [], "label": "HOG Dalal-Triggs 64x128 window", "anchor": "opencv", "gray": True,
     "make": lambda rgb: (lambda h=cv2.HOGDescriptor(), w=np.ascontiguousarray(_gray(rgb)[:128, :64]): (lambda: h.compute(w)))()},
    {"op": "hog", "args": ["--preset", "dalal-triggs", "--window", "64x128", "--stride", "8x8"],
     "label": "HOG dense 64x128 windows, stride 8x8", "anchor": "opencv", "gray": True,
     "make": lambda rgb: (lambda h=cv2.HOGDescriptor(), g=_gray(rgb): (lambda: h.compute(g, winStride=(8, 8))))()},
    {"op": "hog-mnist", "args": [], "label": "HOG Fashion-MNIST t10k table (7x7 cells, 2x2 blocks)",
     "anchor": "scikit-image", "make": lambda rgb: _sk_table(_fashion())},
]
