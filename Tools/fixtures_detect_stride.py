#!/usr/bin/env python3
"""Reference outputs for window strides finer than the block stride (issue 20).

OpenCV caches blocks on the grid of gcd(winStride, blockStride), so a 4-pixel window stride
with the people detector's 8-pixel block stride is legal and scores windows whose blocks lie
on a 4-pixel grid. Writes Fixtures/detect/stride_cases.json in the format of cases.json
(Tools/fixtures_detect.py), with `winStrideHeight` in the options when the stride is not
square. Inputs are the committed Fixtures/detect/images.

Run: nice /work/main/Tools/.venv/bin/python Tools/fixtures_detect_stride.py
"""
import json
import os

import cv2
import numpy as np

from detect_reference import boxes, detectors, load_image, pixel_digest, pyramid

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "Fixtures", "detect")
IMAGES = os.path.join(OUT, "images")
cv2.setNumThreads(1)


people, daimler = detectors()

# (image, model, descriptor, window, padding, (stride x, stride y))
runs = [
    ("vtest_0000.jpg", "people", people, (64, 128), 8, (4, 4)),
    ("basketball1.png", "people", people, (64, 128), 4, (4, 4)),
    ("messi5.jpg", "people", people, (64, 128), 8, (4, 8)),
    ("vtest_0300.jpg", "people", people, (64, 128), 12, (8, 4)),
    ("basketball2.png", "daimler", daimler, (48, 96), 16, (4, 4)),
    # strides that do not divide the block stride: cache grids of gcd(12, 8) = 4 and
    # gcd(6, 8) = 2 pixels (8 block grids), padding 6 rounded up to 8 across, 6 down
    ("vtest_0600.jpg", "people", people, (64, 128), 6, (12, 6)),
]
cases = []
for name, model, hog, win, pad, stride in runs:
    img = load_image(os.path.join(IMAGES, name))
    h, w = img.shape[:2]
    options = {"hitThreshold": 0.0, "winStride": stride[0], "padding": pad, "scale": 1.05, "groupThreshold": 2}
    if stride[1] != stride[0]:
        options["winStrideHeight"] = stride[1]
    kw = dict(hitThreshold=0, winStride=stride, padding=(pad, pad), scale=1.05)
    found, weights = hog.detectMultiScale(img, groupThreshold=2, **kw)
    raw, raw_w = hog.detectMultiScale(img, groupThreshold=0, **kw)
    ms, ms_w = hog.detectMultiScale(img, groupThreshold=2, useMeanshiftGrouping=True, **kw)
    scales = pyramid(w, h, win, 1.05)
    levels = []
    for k in sorted({0, 3, len(scales) // 2, len(scales) - 1}):
        s = scales[k]
        size = (round(w / s), round(h / s))
        level = img if size == (w, h) else cv2.resize(img, size, interpolation=cv2.INTER_LINEAR_EXACT)
        pts, ws = hog.detect(level, hitThreshold=0, winStride=stride, padding=(pad, pad))
        pts = np.asarray(pts).reshape(-1, 2)
        ws = np.asarray(ws).ravel()
        levels.append({"level": k, "width": size[0], "height": size[1],
                       "hits": [[int(p[0]), int(p[1]), float(ws[i])] for i, p in enumerate(pts)]})
    cases.append({"image": name, "model": model, "width": w, "height": h, "channels": 1 if img.ndim == 2 else 3,
                  "sha256": pixel_digest(img), "pixelSum": int(img.astype(np.int64).sum()), "options": options,
                  "levels": len(scales), "grouped": boxes(found, weights), "raw": boxes(raw, raw_w),
                  "meanshift": boxes(ms, ms_w), "singleLevels": levels})
    print(f"{name:18s} {model:8s} pad {pad:2d} stride {stride}: {len(found)} boxes, {len(raw)} raw hits")
with open(os.path.join(OUT, "stride_cases.json"), "w") as f:
    json.dump({"opencv": cv2.__version__, "cases": cases}, f, separators=(",", ":"))
    f.write("\n")
