#!/usr/bin/env python3
"""Reference outputs for CVFeatures' HOG (issue 6).

Writes Fixtures/hog/: small input images (.npy), scikit-image `hog` descriptors and
visualizations, OpenCV `HOGDescriptor().compute` descriptors (single window and dense), and
`cases.json` describing every case for Tests/CVFeaturesTests. Deterministic (seeded).

Run: /work/venv-anchors/bin/python Tools/fixtures_hog.py
"""
import json
import os
import sys

import cv2
import numpy as np
import skimage
from skimage import data
from skimage.feature import hog

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "Fixtures", "hog")
os.makedirs(OUT, exist_ok=True)
rng = np.random.default_rng(20240606)
cases = []


def save(name, arr):
    np.save(os.path.join(OUT, name), np.ascontiguousarray(arr))
    return name


def load_image(name, fallback):
    path = os.path.join(ROOT, "Fixtures", "images", name)
    if os.path.exists(path):
        from PIL import Image
        return np.asarray(Image.open(path).convert("RGB"))
    return fallback()


astronaut = load_image("astronaut.png", data.astronaut)
camera_rgb = load_image("camera.png", lambda: np.dstack([data.camera()] * 3))
camera = camera_rgb[:, :, 0] if camera_rgb.ndim == 3 else camera_rgb

inputs = {
    "gray96x80": camera[180:260, 200:296],          # 96 wide, 80 high
    "gray67x53": camera[100:153, 300:367],          # cells that do not divide it
    "rgb80x64": astronaut[60:124, 180:260],         # 80 wide, 64 high
    "rgb45x38": astronaut[200:238, 100:145],
    "float40x36": rng.random((36, 40), dtype=np.float32),
    "noise33x29": rng.integers(0, 256, (29, 33), dtype=np.uint8),
}
for k, v in inputs.items():
    save(f"in_{k}.npy", v)

# --- scikit-image -----------------------------------------------------------------------
sk = [
    # (input, orientations, pixels_per_cell (rows, cols), cells_per_block (rows, cols), norm, sqrt)
    ("gray96x80", 9, (8, 8), (3, 3), "L2-Hys", False),
    ("gray96x80", 9, (8, 8), (2, 2), "L1", False),
    ("gray96x80", 9, (8, 8), (2, 2), "L1-sqrt", False),
    ("gray96x80", 9, (8, 8), (2, 2), "L2", False),
    ("gray96x80", 12, (6, 10), (2, 3), "L2-Hys", True),
    ("gray67x53", 9, (7, 6), (2, 2), "L1", False),
    ("gray67x53", 7, (5, 7), (3, 2), "L1-sqrt", True),
    ("gray67x53", 9, (7, 6), (2, 2), "L2", False),
    ("gray67x53", 8, (4, 4), (1, 1), "L2-Hys", False),
    ("rgb80x64", 9, (8, 8), (2, 2), "L1", False),
    ("rgb80x64", 9, (8, 8), (2, 2), "L1-sqrt", False),
    ("rgb80x64", 9, (8, 8), (3, 3), "L2", True),
    ("rgb80x64", 9, (6, 6), (2, 2), "L2-Hys", False),
    ("rgb45x38", 10, (5, 6), (2, 2), "L2-Hys", True),
    ("rgb45x38", 4, (9, 9), (1, 2), "L1", False),
    ("float40x36", 9, (6, 6), (2, 2), "L2-Hys", False),
    ("float40x36", 9, (5, 5), (3, 3), "L1-sqrt", True),
    ("noise33x29", 6, (3, 3), (2, 2), "L2", False),
]
for i, (inp, o, ppc, cpb, norm, sq) in enumerate(sk):
    img = inputs[inp]
    kw = dict(orientations=o, pixels_per_cell=ppc, cells_per_block=cpb, block_norm=norm,
              transform_sqrt=sq, feature_vector=False, visualize=True)
    if img.ndim == 3:
        kw["channel_axis"] = -1
    desc, vis = hog(img, **kw)
    name = f"sk_{i:02d}.npy"
    save(name, desc.astype(np.float64))
    case = {"kind": "skimage", "input": f"in_{inp}.npy", "orientations": o,
            "cell": [ppc[1], ppc[0]], "block": [cpb[1], cpb[0]], "norm": norm, "sqrt": sq,
            "expected": name, "shape": list(desc.shape)}
    if i in (0, 5, 9):
        vname = f"sk_{i:02d}_vis.npy"
        save(vname, vis.astype(np.float64))
        case["visualization"] = vname
    cases.append(case)

# --- OpenCV HOGDescriptor ---------------------------------------------------------------
h = cv2.HOGDescriptor()
win_gray = camera[200:328, 220:284].copy()           # 64 wide, 128 high
win_rgb = astronaut[100:228, 200:264].copy()
save("in_win_gray.npy", win_gray)
save("in_win_rgb.npy", win_rgb)
cases.append({"kind": "opencv", "input": "in_win_gray.npy",
              "expected": save("cv_win_gray.npy", h.compute(win_gray).ravel().astype(np.float32))})
cases.append({"kind": "opencv", "input": "in_win_rgb.npy",
              "expected": save("cv_win_rgb.npy", h.compute(cv2.cvtColor(win_rgb, cv2.COLOR_RGB2BGR)).ravel().astype(np.float32))})
dense = camera[150:294, 150:246].copy()              # 96 wide, 144 high
save("in_dense_gray.npy", dense)
for stride in [(8, 8), (16, 8)]:
    d = h.compute(dense, winStride=stride).ravel().astype(np.float32)
    nx = (dense.shape[1] - 64) // stride[0] + 1
    ny = (dense.shape[0] - 128) // stride[1] + 1
    cases.append({"kind": "opencv-dense", "input": "in_dense_gray.npy", "stride": list(stride),
                  "windows": [nx, ny], "expected": save(f"cv_dense_{stride[0]}x{stride[1]}.npy", d)})

with open(os.path.join(OUT, "cases.json"), "w") as f:
    json.dump(cases, f, indent=1)
with open(os.path.join(OUT, "VERSIONS.txt"), "w") as f:
    f.write(f"python {sys.version.split()[0]}\nnumpy {np.__version__}\nscikit-image {skimage.__version__}\n"
            f"opencv-contrib-python-headless {cv2.__version__} (HOGDescriptor lives in xobjdetect in 5.x)\n")
print(f"{len(cases)} cases written to {OUT}")
