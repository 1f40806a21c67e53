#!/usr/bin/env python3
"""Reference outputs for arbitrary kernels, LoG/DoG and the guided-filter applications.

Run with the anchors' virtualenv:  Tools/.venv/bin/python Tools/fixtures_kernels.py
With `--pictures PATH/TO/cvtool` it instead makes the README's before/after pictures
(docs/dehaze-building.jpg, docs/enhance-fruits.jpg) by running cvtool on OpenCV sample photos.
Reads the inputs Tools/fixtures_filters.py wrote (Fixtures/filters/in_*.npy); writes
Fixtures/filters/k_*.npy and Fixtures/filters/kernels_manifest.json. Deterministic.

- filter2D / sepFilter2D: cv2 with every border it allows (WRAP is refused by filter2D) and the
  depth pairs UInt8->UInt8, UInt8->Float, Float->Float; kernels below 130 coefficients take
  OpenCV's direct path, 15x15 its DFT path.
- LoG: scipy.ndimage.gaussian_laplace on the raw values (float64), per channel.
- DoG: skimage.filters.difference_of_gaussians (img_as_float, channel_axis=-1 for colour).
- enhance / dehaze: NumPy statements of the steps with cv2.ximgproc.guidedFilter and cv2.erode,
  independent of the Swift code.
"""
import json
import os
import sys

import cv2
import numpy as np
import scipy.ndimage as ndi
import skimage.filters

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "Fixtures", "filters")
rng = np.random.default_rng(20261207)
cases = []

BORDERS = {"reflect101": cv2.BORDER_REFLECT_101, "reflect": cv2.BORDER_REFLECT,
           "replicate": cv2.BORDER_REPLICATE, "constant": cv2.BORDER_CONSTANT}
DEPTHS = {"u8": cv2.CV_8U, "s16": cv2.CV_16S, "f32": cv2.CV_32F}


def load(name):
    return np.load(os.path.join(OUT, f"in_{name}.npy"))


def save(name, arr):
    np.save(os.path.join(OUT, f"k_{name}.npy"), np.ascontiguousarray(arr), allow_pickle=False)
    return f"k_{name}.npy"


inputs = {name: load(name) for name in ["gray", "rgb", "noise_g", "noise_f"]}
kernels = {
    "sharpen3": (np.array([[0, -1, 0], [-1, 5, -1], [0, -1, 0]], np.float64), (-1, -1)),
    "box3": (np.full((3, 3), 1 / 9.0), (-1, -1)),
    "rand5": (rng.normal(size=(5, 5)) / 5, (-1, -1)),
    "asym3x5": (rng.normal(size=(3, 5)) / 4, (0, 2)),
    "rand8": (rng.normal(size=(8, 8)) / 8, (-1, -1)),
    "rand11": (rng.normal(size=(11, 11)) / 11, (3, 7)),
    "rand15": (rng.normal(size=(15, 15)) / 15, (-1, -1)),
}

# ---- filter2D ----------------------------------------------------------------------------------
def filter2d_cases():
    combos = [("gray", "u8", 0.0), ("rgb", "u8", 12.5), ("noise_g", "u8", 0.0), ("gray", "f32", 0.0),
              ("noise_f", "f32", 0.25), ("noise_g", "s16", -3.0)]
    for kname, (k, anchor) in kernels.items():
        for img, depth, delta in combos:
            every = kname in ("rand5", "asym3x5") or (img == "gray" and depth == "u8")
            borders = BORDERS if every else {"reflect101": BORDERS["reflect101"]}
            for bname, b in borders.items():
                src = inputs[img]
                ref = cv2.filter2D(src, DEPTHS[depth], k, anchor=anchor, delta=delta, borderType=b)
                out = save(f"f2d_{kname}_{img}_{depth}_{bname}", ref)
                cases.append({"op": "filter2D", "input": f"in_{img}.npy", "output": out, "kernel": kname, "delta": delta, "depth": depth, "border": bname})
    try:
        cv2.filter2D(inputs["gray"], -1, kernels["box3"][0], borderType=cv2.BORDER_WRAP)
        wrap = "accepted"
    except cv2.error:
        wrap = "refused"
    return wrap


# ---- sepFilter2D -------------------------------------------------------------------------------
def sep_cases():
    halves = {
        "binomial": ([1 / 4, 2 / 4, 1 / 4], [1 / 16, 4 / 16, 6 / 16, 4 / 16, 1 / 16], (-1, -1)),  # bit-exact path
        "gauss": (cv2.getGaussianKernel(5, 1.1).ravel().tolist(), cv2.getGaussianKernel(7, 1.7).ravel().tolist(), (-1, -1)),
        "sobel": ([-1.0, 0, 1], [1.0, 2, 1], (-1, -1)),
        "shifted": ([0.5, 0.3, 0.2, 0.1], [0.25, 0.5, 0.25], (0, 1)),
    }
    for hname, (row, col, anchor) in halves.items():
        for img, depth, delta in [("gray", "u8", 0.0), ("rgb", "u8", 3.0), ("gray", "f32", 0.0), ("noise_f", "f32", 0.5),
                                  ("noise_g", "s16", 2.0)]:
            for bname, b in BORDERS.items():
                ref = cv2.sepFilter2D(inputs[img], DEPTHS[depth], np.array(row), np.array(col), anchor=anchor,
                                      delta=delta, borderType=b)
                out = save(f"sep_{hname}_{img}_{depth}_{bname}", ref)
                cases.append({"op": "sepFilter2D", "input": f"in_{img}.npy", "output": out, "row": list(row),
                              "column": list(col), "anchor": list(anchor), "delta": delta, "depth": depth,
                              "border": bname})


# ---- LoG (scipy) and DoG (scikit-image) ---------------------------------------------------------
def log_dog_cases():
    for img in ["gray", "rgb", "noise_f"]:
        for sigma in [1.0, 2.5]:
            for mode in ["reflect", "nearest", "mirror", "constant", "wrap"]:
                if img != "gray" and mode != "reflect":
                    continue
                x = inputs[img].astype(np.float64)
                if x.ndim == 2:
                    ref = ndi.gaussian_laplace(x, sigma, mode=mode)
                else:
                    ref = np.stack([ndi.gaussian_laplace(x[..., c], sigma, mode=mode) for c in range(x.shape[2])], -1)
                out = save(f"log_{img}_{sigma}_{mode}", ref.astype(np.float32))
                cases.append({"op": "log", "input": f"in_{img}.npy", "output": out, "sigma": sigma, "mode": mode})
    for img in ["gray", "rgb", "noise_f"]:
        for low, high in [(1.0, None), (1.5, 4.0)]:
            for mode in ["nearest", "reflect", "mirror", "constant"]:
                if img != "gray" and mode != "nearest":
                    continue
                axis = -1 if inputs[img].ndim == 3 else None
                ref = skimage.filters.difference_of_gaussians(inputs[img], low, high, mode=mode, channel_axis=axis)
                out = save(f"dog_{img}_{low}_{high}_{mode}", ref.astype(np.float32))
                cases.append({"op": "dog", "input": f"in_{img}.npy", "output": out, "low": low,
                              "high": high, "mode": mode})


# ---- guided-filter applications -----------------------------------------------------------------
def enhance_reference(img, amount, r, eps):
    i = (img / 255.0).astype(np.float32)
    out = np.empty_like(i)
    for c in range(i.shape[2]):
        base = cv2.ximgproc.guidedFilter(i[..., c], i[..., c], r, eps)
        out[..., c] = base + np.float32(amount) * (i[..., c] - base)
    return np.rint(np.clip(out, 0, 1) * np.float32(255)).astype(np.uint8)


def dehaze_reference(img, patch=15, omega=0.95, fraction=0.001, t0=0.1, r=60, eps=1e-4):
    i = (img / 255.0).astype(np.float32)
    se = np.ones((patch, patch), np.uint8)
    dark = cv2.erode(i.min(axis=2), se)  # default border: the window clipped to the image
    k = max(1, int(dark.size * fraction))
    threshold = np.sort(dark.ravel())[::-1][k - 1]
    flat = i.reshape(-1, 3).astype(np.float64)
    brightness = flat[:, 0] + flat[:, 1] + flat[:, 2]
    brightness[dark.ravel() < threshold] = -np.inf
    light = i.reshape(-1, 3)[int(np.argmax(brightness))]
    normalized = i / np.maximum(light, np.float32(1e-3))
    raw = np.float32(1) - np.float32(omega) * cv2.erode(normalized.min(axis=2), se)
    gray = cv2.cvtColor(i, cv2.COLOR_RGB2GRAY)
    t = cv2.ximgproc.guidedFilter(gray, raw, r, eps)
    j = (i - light) / np.maximum(t, np.float32(t0))[..., None] + light
    return np.rint(np.clip(j, 0, 1) * np.float32(255)).astype(np.uint8), np.clip(t, 0, 1), light


def hazy_scene():
    """A photo with haze synthesized by the model I = J t + A (1 - t), t falling with height."""
    src = cv2.imread("/usr/share/doc/opencv-doc/examples/data/building.jpg")
    j = cv2.cvtColor(cv2.resize(src, (160, 120), interpolation=cv2.INTER_AREA), cv2.COLOR_BGR2RGB) / 255.0
    rows = np.linspace(0.35, 0.85, j.shape[0])[:, None, None]
    hazy = j * rows + np.array([0.86, 0.88, 0.9]) * (1 - rows)
    return np.rint(hazy * 255).astype(np.uint8)


def guided_cases():
    rgb = inputs["rgb"]
    for amount, r, eps in [(1.0, 4, 0.01), (5.0, 16, 0.01), (3.0, 2, 0.001)]:
        out = save(f"enhance_rgb_{amount}_{r}_{eps}", enhance_reference(rgb, amount, r, eps))
        cases.append({"op": "enhance", "input": "in_rgb.npy", "output": out, "amount": amount, "radius": r, "eps": eps})
    hazy = hazy_scene()
    save("hazy_in", hazy)
    j, t, light = dehaze_reference(hazy)
    cases.append({"op": "dehaze", "input": "k_hazy_in.npy", "output": save("dehaze_out", j),
                  "transmission": save("dehaze_t", t.astype(np.float32)), "light": [float(v) for v in light]})


def pictures(cvtool):
    """Before/after strips for the README, made by cvtool itself (haze synthesized, said so)."""
    import subprocess
    import tempfile
    data = "/usr/share/doc/opencv-doc/examples/data"
    with tempfile.TemporaryDirectory() as tmp:
        j = cv2.cvtColor(cv2.resize(cv2.imread(f"{data}/building.jpg"), (400, 276), interpolation=cv2.INTER_AREA),
                         cv2.COLOR_BGR2RGB) / 255.0
        t = np.linspace(0.3, 0.8, j.shape[0])[:, None, None]  # thicker haze towards the top
        hazy = np.rint((j * t + np.array([0.85, 0.87, 0.9]) * (1 - t)) * 255).astype(np.uint8)
        cv2.imwrite(f"{tmp}/hazy.png", cv2.cvtColor(hazy, cv2.COLOR_RGB2BGR))
        subprocess.run([cvtool, "dehaze", f"{tmp}/hazy.png", "-o", f"{tmp}/clear.png", "--transmission", f"{tmp}/t.png"],
                       check=True, stdout=subprocess.DEVNULL)
        strip = [cv2.imread(f"{tmp}/{n}.png") for n in ("hazy", "clear", "t")]
        cv2.imwrite(os.path.join(ROOT, "docs", "dehaze-building.jpg"), np.hstack(strip), [cv2.IMWRITE_JPEG_QUALITY, 90])
        fruits = cv2.imread(f"{data}/fruits.jpg")[60:340, 80:420]
        cv2.imwrite(f"{tmp}/fruits.png", fruits)
        subprocess.run([cvtool, "enhance", f"{tmp}/fruits.png", "--amount", "4", "-o", f"{tmp}/crisp.png"],
                       check=True, stdout=subprocess.DEVNULL)
        cv2.imwrite(os.path.join(ROOT, "docs", "enhance-fruits.jpg"), np.hstack([fruits, cv2.imread(f"{tmp}/crisp.png")]),
                    [cv2.IMWRITE_JPEG_QUALITY, 90])


if len(sys.argv) == 3 and sys.argv[1] == "--pictures":
    pictures(sys.argv[2])
    sys.exit(0)

wrap = filter2d_cases()
sep_cases()
log_dog_cases()
guided_cases()
with open(os.path.join(OUT, "kernels_manifest.json"), "w") as f:
    named = {name: {"rows": k.tolist(), "anchor": list(anchor)} for name, (k, anchor) in kernels.items()}
    json.dump({"filter2D_wrap": wrap, "kernels": named, "cases": cases}, f, indent=0)
print(len(cases), "cases; filter2D with BORDER_WRAP:", wrap)
