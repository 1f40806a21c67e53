#!/usr/bin/env python3
"""Reference outputs for the median and bilateral filters (CVFilters).

Run with the anchors' virtualenv:  Tools/.venv/bin/python Tools/fixtures_median_bilateral.py
Writes Fixtures/filters/median_bilateral/*.npy and manifest.json. Deterministic.

Random inputs are not stored: they are drawn from SplitMix64 exactly as the Swift tests draw
them (`seededSamples` in Tests/CVFiltersTests/MedianTests.swift): sample i of an image is
byte 5 of the i-th output (UInt8), the top 16 bits (UInt16) or the top 24 bits / 2^24 (Float).
Only the crops of the photographs (fruits.jpg, baboon.jpg of OpenCV's samples), which no seed
can make, are stored as inputs.
"""
import gzip
import json
import os

import cv2
import numpy as np
import scipy
import scipy.ndimage as ndi
import skimage
import skimage.filters

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "Fixtures", "filters", "median_bilateral")
SAMPLES = "/usr/share/doc/opencv-doc/examples/data"
os.makedirs(OUT, exist_ok=True)
cases = []

M64 = (1 << 64) - 1


def splitmix(seed, count):
    out = np.empty(count, dtype=np.uint64)
    state = seed
    for i in range(count):
        state = (state + 0x9E3779B97F4A7C15) & M64
        z = state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M64
        out[i] = z ^ (z >> 31)
    return out


def seeded(seed, h, w, c, dtype):
    """Matches seededSamples(seed:width:height:channels:) in the Swift tests."""
    bits = splitmix(seed, h * w * c)
    if dtype == np.uint8:
        a = ((bits >> np.uint64(40)) & np.uint64(0xFF)).astype(np.uint8)
    elif dtype == np.uint16:
        a = (bits >> np.uint64(48)).astype(np.uint16)
    else:
        a = ((bits >> np.uint64(40)).astype(np.float64) / float(1 << 24)).astype(np.float32)
    return a.reshape((h, w, c) if c > 1 else (h, w))


def photo(name, x, y, w, h, scale):
    path = os.path.join(SAMPLES, name)
    img = cv2.imread(path, cv2.IMREAD_COLOR)
    if img is None:
        img = cv2.imdecode(np.frombuffer(gzip.open(path + ".gz").read(), np.uint8), cv2.IMREAD_COLOR)
    img = cv2.resize(img, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    return np.ascontiguousarray(cv2.cvtColor(img[y:y + h, x:x + w], cv2.COLOR_BGR2RGB))


def save(name, arr):
    np.save(os.path.join(OUT, name + ".npy"), np.ascontiguousarray(arr), allow_pickle=False)
    return name + ".npy"


# ---- inputs ------------------------------------------------------------------------------------
seeded_inputs = {  # name: (seed, height, width, channels, dtype)
    "u8_gray": (11, 29, 37, 1, np.uint8), "u8_rgb": (12, 19, 23, 3, np.uint8), "u8_rgba": (13, 17, 21, 4, np.uint8),
    "u8_wide": (14, 9, 70, 1, np.uint8), "u8_wide_rgb": (15, 7, 70, 3, np.uint8),
    "u16_gray": (21, 23, 31, 1, np.uint16), "u16_rgb": (22, 13, 17, 3, np.uint16),
    "f32_gray": (31, 21, 29, 1, np.float32), "f32_rgb": (32, 11, 19, 3, np.float32),
}
inputs = {k: seeded(s, h, w, c, t) for k, (s, h, w, c, t) in seeded_inputs.items()}
fruits = photo("fruits.jpg", 180, 60, 100, 72, 0.5)          # 72x100 RGB
baboon = photo("baboon.jpg", 40, 30, 96, 64, 0.5)            # 64x96 RGB
photos = {"fruits": fruits, "baboon": baboon,
          "fruits_gray": cv2.cvtColor(fruits, cv2.COLOR_RGB2GRAY), "fruits_f32": (fruits / 255.0).astype(np.float32)}
for k, v in photos.items():
    save("in_" + k, v)
inputs.update(photos)


def case(op, inp, out, **params):
    entry = {"op": op, "input": inp, "output": out, **params}
    if inp in seeded_inputs:
        s, h, w, c, t = seeded_inputs[inp]
        entry.update(seed=s, height=h, width=w, channels=c, dtype=np.dtype(t).name)
    else:
        entry["file"] = "in_" + inp + ".npy"
    cases.append(entry)


# ---- median: cv2.medianBlur (BORDER_REPLICATE) -------------------------------------------------
for name in ["u8_gray", "u8_rgb", "u8_rgba", "u8_wide", "fruits", "fruits_gray"]:
    for k in (3, 5, 7, 9, 15, 31, 61):
        out = cv2.medianBlur(inputs[name], k)
        case("median", name, save(f"median_{name}_{k}", out), size=k, border="replicate")
for name in ["u16_gray", "u16_rgb", "f32_gray", "f32_rgb"]:
    for k in (3, 5):
        out = cv2.medianBlur(inputs[name], k)
        case("median", name, save(f"median_{name}_{k}", out), size=k, border="replicate")

# ---- median: scipy.ndimage.median_filter modes and skimage.filters.median ----------------------
SCIPY_MODES = {"reflect": "reflect", "mirror": "reflect101", "nearest": "replicate", "constant": "constant",
               "wrap": "wrap"}
for name in ["u8_gray", "u8_rgb", "f32_gray"]:
    for mode, border in SCIPY_MODES.items():
        for k in (3, 5, 9):
            if name.startswith("f32") and k > 5:
                continue
            img = inputs[name]
            size = (k, k, 1) if img.ndim == 3 else (k, k)
            out = ndi.median_filter(img, size=size, mode=mode)
            case("median", name, save(f"median_scipy_{name}_{mode}_{k}", out), size=k, border=border)
out = skimage.filters.median(inputs["fruits_gray"], np.ones((5, 5), dtype=bool))
case("median", "fruits_gray", save("median_skimage_fruits_gray_5", out), size=5, border="replicate")

# ---- bilateral: cv2.bilateralFilter -------------------------------------------------------------
# OpenCV's pip wheels hand 8-bit gray windows of radius <= 2 to Intel IPP (ippiFilterBilateral),
# which truncates the weighted mean instead of rounding it. The references are OpenCV's own code
# (IPP off); the IPP outputs of those cases are stored too ("ipp": true) so the tests can count
# how often the two differ.
cv2.ipp.setUseIPP(False)
CV_BORDERS = {"reflect101": cv2.BORDER_REFLECT_101, "replicate": cv2.BORDER_REPLICATE,
              "constant": cv2.BORDER_CONSTANT, "reflect": cv2.BORDER_REFLECT}
u8_params = [(3, 30, 10), (5, 50, 50), (9, 75, 75), (0, 30, 3), (0, 20, 1.6), (7, 20, 5), (15, 100, 10), (4, 40, 40)]
for name in ["u8_gray", "u8_wide", "u8_rgb", "u8_wide_rgb", "fruits", "fruits_gray"]:
    for d, sc, ss in u8_params:
        out = cv2.bilateralFilter(inputs[name], d, sc, ss)
        case("bilateral", name, save(f"bilateral_{name}_{d}_{sc}_{ss}", out), diameter=d, sigmaColor=sc,
             sigmaSpace=ss, border="reflect101")
        radius = max(d // 2 if d > 0 else int(np.rint(ss * 1.5)), 1)
        if inputs[name].ndim == 2 and radius <= 2:
            cv2.ipp.setUseIPP(True)
            out = cv2.bilateralFilter(inputs[name], d, sc, ss)
            cv2.ipp.setUseIPP(False)
            case("bilateral", name, save(f"bilateral_ipp_{name}_{d}_{sc}_{ss}", out), diameter=d, sigmaColor=sc,
                 sigmaSpace=ss, border="reflect101", ipp=True)
for border in ("replicate", "constant", "reflect"):
    for name in ["u8_gray", "u8_rgb"]:
        out = cv2.bilateralFilter(inputs[name], 5, 40, 3, borderType=CV_BORDERS[border])
        case("bilateral", name, save(f"bilateral_{name}_{border}", out), diameter=5, sigmaColor=40, sigmaSpace=3,
             border=border)
f32_params = [(5, 0.1, 3), (9, 0.3, 5), (0, 0.05, 2), (7, 1.0, 10)]
for name in ["f32_gray", "f32_rgb", "fruits_f32"]:
    for d, sc, ss in f32_params:
        out = cv2.bilateralFilter(inputs[name], d, sc, ss)
        case("bilateral", name, save(f"bilateral_{name}_{d}_{sc}_{ss}", out), diameter=d, sigmaColor=sc,
             sigmaSpace=ss, border="reflect101")

with open(os.path.join(OUT, "manifest.json"), "w") as f:
    json.dump(cases, f, indent=1)
with open(os.path.join(OUT, "VERSIONS.txt"), "w") as f:
    f.write(f"opencv {cv2.__version__}\nscipy {scipy.__version__}\nscikit-image {skimage.__version__}\n"
            f"numpy {np.__version__}\n")
print(f"{len(cases)} cases")
