#!/usr/bin/env python3
"""Reference outputs for CVFilters (Gaussian, box, guided, Sobel/Scharr, Laplacian, Canny).

Run with the anchors' virtualenv:  /work/venv-anchors/bin/python Tools/fixtures_filters.py
Writes Fixtures/filters/*.npy, Fixtures/filters/manifest.json and VERSIONS.txt. Deterministic.
"""
import json
import os
import sys

import cv2
import numpy as np
import scipy
import skimage
import skimage.data
import skimage.feature
import skimage.filters

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "Fixtures", "filters")
os.makedirs(OUT, exist_ok=True)
rng = np.random.default_rng(20240503)
cases = []
saved = set()


def save(name, arr):
    if name not in saved:
        np.save(os.path.join(OUT, name + ".npy"), np.ascontiguousarray(arr), allow_pickle=False)
        saved.add(name)
    return name + ".npy"


def case(op, inp, out, **params):
    cases.append({"op": op, "input": inp, "output": out, **params})


CV_BORDERS = {"reflect101": cv2.BORDER_REFLECT_101, "reflect": cv2.BORDER_REFLECT,
              "replicate": cv2.BORDER_REPLICATE, "constant": cv2.BORDER_CONSTANT, "wrap": cv2.BORDER_WRAP}

# ---- inputs -------------------------------------------------------------------------------
coffee = skimage.data.coffee()            # RGB
camera = skimage.data.camera()            # gray
chelsea = skimage.data.chelsea()
gray = np.ascontiguousarray(camera[180:220, 200:248])            # 40x48
rgb = np.ascontiguousarray(coffee[120:152, 250:290])             # 32x40x3
noise_g = rng.integers(0, 256, (29, 37), dtype=np.uint8)
noise_rgb = rng.integers(0, 256, (17, 23, 3), dtype=np.uint8)
noise_f = rng.random((31, 35), dtype=np.float32)
noise_u16 = rng.integers(0, 65536, (23, 31), dtype=np.uint16)
canny_gray = np.ascontiguousarray(cv2.cvtColor(chelsea, cv2.COLOR_RGB2GRAY)[80:200, 150:250])  # 120x100
canny_gray2 = np.ascontiguousarray(camera[120:240, 200:300])
inputs = {"gray": gray, "rgb": rgb, "noise_g": noise_g, "noise_rgb": noise_rgb, "noise_f": noise_f,
          "noise_u16": noise_u16, "canny_gray": canny_gray, "canny_gray2": canny_gray2,
          "gray_f": (gray / 255.0).astype(np.float32), "rgb_gray": np.ascontiguousarray(rgb[:, :, 1]), "rgb_f": (rgb / 255.0).astype(np.float32)}
for k, v in inputs.items():
    save("in_" + k, v)

# ---- Gaussian (OpenCV) ----------------------------------------------------------------------
g_params = [(1.0, 0, 0, 0), (2.5, 0, 0, 0), (0, 0, 5, 5), (1.2, 3.0, 0, 0), (0, 0, 7, 3), (0.8, 0, 9, 9), (5.0, 0, 0, 0)]
for img in ["gray", "rgb", "noise_g", "noise_rgb", "noise_u16", "noise_f", "gray_f", "rgb_f"]:
    for border, bcode in CV_BORDERS.items():
        for i, (sx, sy, kw, kh) in enumerate(g_params):
            if img not in ("gray", "noise_g") and i not in (0, 3, 4):
                continue
            try:
                ref = cv2.GaussianBlur(inputs[img], (kw, kh), sigmaX=sx, sigmaY=sy, borderType=bcode)
            except cv2.error:
                continue
            name = f"gauss_{img}_{border}_{i}"
            case("gaussian", "in_" + img + ".npy", save(name, ref), sigma=sx, sigmaY=sy, kw=kw, kh=kh, border=border)

# ---- Gaussian (scikit-image) ----------------------------------------------------------------
for img in ["gray_f", "noise_f"]:
    for mode in ["nearest", "reflect", "mirror", "constant", "wrap"]:
        for sigma in [1.0, 2.3]:
            ref = skimage.filters.gaussian(inputs[img].astype(np.float64), sigma=sigma, mode=mode, truncate=4.0)
            name = f"skgauss_{img}_{mode}_{sigma}"
            case("skgaussian", "in_" + img + ".npy", save(name, ref.astype(np.float32)), sigma=sigma, mode=mode)

# ---- Box ------------------------------------------------------------------------------------
for img in ["gray", "rgb", "noise_f"]:
    for border in ["reflect101", "reflect", "replicate", "constant"]:
        for r, norm in [(1, True), (3, True), (7, True), (2, False)]:
            if img != "noise_f" and not norm:
                ddepth = -1
            ref = cv2.boxFilter(inputs[img], -1, (2 * r + 1, 2 * r + 1), normalize=norm, borderType=CV_BORDERS[border])
            name = f"box_{img}_{border}_{r}_{int(norm)}"
            case("box", "in_" + img + ".npy", save(name, ref), radius=r, normalize=norm, border=border)

# ---- Sobel / Scharr / Laplacian -------------------------------------------------------------
sob = [(1, 0, 3), (0, 1, 3), (1, 0, 1), (0, 1, 1), (2, 0, 1), (1, 1, 3), (1, 0, 5), (0, 2, 5), (1, 0, 7), (0, 1, 7),
       (2, 1, 7), (1, 0, -1), (0, 1, -1)]
for img in ["gray", "rgb", "noise_g"]:
    for border in ["reflect101", "replicate", "constant", "reflect"]:
        if img == "rgb" and border != "reflect101":
            continue
        for dx, dy, k in sob:
            if border != "reflect101" and k not in (3, -1):
                continue
            b = CV_BORDERS[border]
            r16 = cv2.Sobel(inputs[img], cv2.CV_16S, dx, dy, ksize=k, borderType=b)
            r32 = cv2.Sobel(inputs[img], cv2.CV_32F, dx, dy, ksize=k, borderType=b)
            case("sobel16", "in_" + img + ".npy", save(f"sobel16_{img}_{border}_{dx}{dy}{k}", r16), dx=dx, dy=dy, ksize=k, border=border, scale=1.0, delta=0.0)
            case("sobel32", "in_" + img + ".npy", save(f"sobel32_{img}_{border}_{dx}{dy}{k}", r32), dx=dx, dy=dy, ksize=k, border=border, scale=1.0, delta=0.0)
r = cv2.Sobel(gray, cv2.CV_32F, 1, 0, ksize=3, scale=0.125, delta=3)
case("sobel32", "in_gray.npy", save("sobel32_gray_scaled", r), dx=1, dy=0, ksize=3, border="reflect101", scale=0.125, delta=3.0)
r = cv2.Sobel(inputs["gray_f"], cv2.CV_32F, 0, 1, ksize=5)
case("sobel32", "in_gray_f.npy", save("sobel32_grayf_015", r), dx=0, dy=1, ksize=5, border="reflect101", scale=1.0, delta=0.0)
for k in [1, 3, 5]:
    r = cv2.Laplacian(gray, cv2.CV_32F, ksize=k)
    case("laplacian", "in_gray.npy", save(f"lap_gray_{k}", r), ksize=k, border="reflect101")

# ---- Canny (OpenCV) -------------------------------------------------------------------------
for img in ["canny_gray", "canny_gray2", "noise_g", "rgb"]:
    for ap in [3, 5, 7]:
        for l2 in [False, True]:
            for lo, hi in ([(50, 150), (20.5, 90.7)] if img.startswith("canny") else [(50, 150)]):
                scale = {3: 1, 5: 6, 7: 16}[ap]   # comparable edge density across apertures
                lo2, hi2 = lo * scale, hi * scale
                ref = cv2.Canny(inputs[img], lo2, hi2, apertureSize=ap, L2gradient=l2)
                name = f"canny_{img}_{ap}_{int(l2)}_{lo}"
                case("canny", "in_" + img + ".npy", save(name, ref), low=lo2, high=hi2, aperture=ap, l2=l2)

# ---- Canny (scikit-image) -------------------------------------------------------------------
cg = inputs["canny_gray"]
mask = np.zeros(cg.shape, bool)
mask[10:150, 20:170] = True
save("in_canny_mask", mask.astype(np.uint8) * 255)
for sigma, lo, hi, q, m in [(1.0, None, None, False, None), (2.0, None, None, False, None),
                            (1.5, 10, 40, False, None), (1.0, 0.8, 0.95, True, None),
                            (1.0, None, None, False, "in_canny_mask.npy"), (1.4, 0.05, 0.15, False, "float")]:
    src = cg if m != "float" else cg.astype(np.float64) / 255.0
    ref = skimage.feature.canny(src, sigma=sigma, low_threshold=lo, high_threshold=hi, use_quantiles=q,
                                mask=(mask if m == "in_canny_mask.npy" else None))
    inp = "in_canny_gray.npy" if m != "float" else save("in_canny_gray_f64", src)
    name = f"skcanny_{sigma}_{lo}_{hi}_{int(q)}_{m is not None}"
    case("skcanny", inp, save(name, ref.astype(np.uint8) * 255), sigma=sigma, low=lo, high=hi, quantiles=q,
         mask=(m if m == "in_canny_mask.npy" else None))

# ---- Guided filter (opencv-contrib) ---------------------------------------------------------
import cv2.ximgproc as xi  # noqa: E402
for guide, src in [("gray", "gray"), ("rgb", "rgb"), ("rgb", "rgb_gray"), ("gray_f", "gray_f"), ("rgb_f", "rgb_f")]:
    # Float 3-channel guides with tiny eps are ill-conditioned in OpenCV's Float32 arithmetic
    # (eps=0.001, r=5 differs from a float64 evaluation by 0.22), so they get eps=0.01 only.
    for radius, eps in ([(2, 0.01), (5, 0.01)] if guide == "rgb_f" else [(2, 0.01), (5, 0.001)]):
        g, s = inputs[guide], inputs[src]
        cv_eps = eps * 255 * 255 if g.dtype == np.uint8 else eps
        ref = xi.guidedFilter(g, s, radius, cv_eps)
        name = f"guided_{guide}_{src}_{radius}"
        case("guided", "in_" + src + ".npy", save(name, ref), guide="in_" + guide + ".npy", radius=radius, eps=eps)

with open(os.path.join(OUT, "manifest.json"), "w") as f:
    json.dump(cases, f, indent=0)
with open(os.path.join(OUT, "VERSIONS.txt"), "w") as f:
    f.write(f"opencv-contrib-python-headless {cv2.__version__}\nscikit-image {skimage.__version__}\n"
            f"scipy {scipy.__version__}\nnumpy {np.__version__}\npython {sys.version.split()[0]}\n")
print(len(cases), "cases,", len(saved), "files")
