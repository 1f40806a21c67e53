"""Anchor side of the median and bilateral benchmarks (picked up by Tools/bench).

cv2.medianBlur and cv2.bilateralFilter (OpenCV's default build: IPP on, as a user gets it),
skimage.filters.median for the median's scikit-image preset. "gray": True runs on the gray
image (cvtool's ops take the bench-only flag --gray to do the same).
"""
import cv2
import numpy as np
import skimage.filters

OPS = []

for k in (3, 5, 7, 15, 31, 61, 101):
    OPS.append({"op": "median", "args": ["--size", str(k), "--gray"], "label": f"median {k}x{k} (gray)",
                "anchor": "opencv", "gray": True, "make": (lambda k: lambda g: (lambda: cv2.medianBlur(g, k)))(k)})
for k in (3, 5, 15):
    OPS.append({"op": "median", "args": ["--size", str(k)], "label": f"median {k}x{k} (rgb)", "anchor": "opencv",
                "make": (lambda k: lambda rgb: (lambda: cv2.medianBlur(rgb, k)))(k)})
OPS.append({"op": "median", "args": ["--size", "3", "--preset", "scikit-image", "--gray"],
            "label": "median 3x3 (gray, vs skimage)", "anchor": "scikit-image", "gray": True,
            "make": lambda g: (lambda: skimage.filters.median(g, np.ones((3, 3), dtype=bool)))})

OPS.append({"op": "bilateral", "args": ["--diameter", "9", "--sigma-color", "75", "--sigma-space", "75", "--gray"],
            "label": "bilateral d=9 σ75/75 (gray)", "anchor": "opencv", "gray": True,
            "make": lambda g: (lambda: cv2.bilateralFilter(g, 9, 75, 75))})
OPS.append({"op": "bilateral", "args": ["--diameter", "9", "--sigma-color", "75", "--sigma-space", "75"],
            "label": "bilateral d=9 σ75/75 (rgb)", "anchor": "opencv",
            "make": lambda rgb: (lambda: cv2.bilateralFilter(rgb, 9, 75, 75))})
# The radius sweep: exact against OpenCV, and the constant-time approximation against OpenCV's exact.
for d in (5, 15, 31):
    OPS.append({"op": "bilateral", "args": ["--diameter", str(d), "--sigma-color", "40", "--sigma-space", str(d), "--gray"],
                "label": f"bilateral d={d} σ40/{d} (gray)", "anchor": "opencv", "gray": True,
                "make": (lambda d: lambda g: (lambda: cv2.bilateralFilter(g, d, 40, d)))(d)})
for d in (5, 15, 31, 61):
    OPS.append({"op": "bilateral", "args": ["--diameter", str(d), "--sigma-color", "40", "--sigma-space", str(d), "--fast",
                                            "--gray"],
                "label": f"bilateral --fast d={d} σ40/{d} (gray, vs exact)", "anchor": "opencv", "gray": True,
                "make": (lambda d: lambda g: (lambda: cv2.bilateralFilter(g, d, 40, d)))(d)})
