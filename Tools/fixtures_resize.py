#!/usr/bin/env python3
"""Reference outputs for CVTransform's resize kernels (issue 4).

Deterministic: fixed crops of the committed photographs plus seeded noise. Writes
Fixtures/resize/{inputs,opencv,pillow}/..., a manifest (manifest.tsv) the Swift tests read,
and VERSIONS.txt. UInt8 references are PNG (lossless, small); Float/UInt16 ones are .npy.

Run: /work/venv-anchors/bin/python Tools/fixtures_resize.py
"""
import os
import sys

import cv2
import numpy as np
import PIL
from PIL import Image

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Fixtures")
OUT = os.path.join(ROOT, "resize")

CV = {"nearest": cv2.INTER_NEAREST, "nearest-exact": cv2.INTER_NEAREST_EXACT, "bilinear": cv2.INTER_LINEAR,
      "bicubic": cv2.INTER_CUBIC, "area": cv2.INTER_AREA, "lanczos4": cv2.INTER_LANCZOS4}
PIL_FILTERS = {"nearest": Image.Resampling.NEAREST, "box": Image.Resampling.BOX, "bilinear": Image.Resampling.BILINEAR,
               "hamming": Image.Resampling.HAMMING, "bicubic": Image.Resampling.BICUBIC,
               "lanczos3": Image.Resampling.LANCZOS}


def load(name):
    return np.array(Image.open(os.path.join(ROOT, "images", name)))


def inputs():
    rng = np.random.default_rng(20240604)
    astro, camera, chelsea, coffee = load("astronaut.png"), load("camera.png"), load("chelsea.png"), load("coffee.png")
    if camera.ndim == 3:
        camera = camera[..., 0]
    rgb61 = np.ascontiguousarray(astro[60:107, 200:261, :3])
    gray61 = np.ascontiguousarray(camera[100:147, 200:261])
    base = chelsea[80:127, 150:211, :3]
    yy, xx = np.mgrid[0:47, 0:61]
    alpha = np.clip(xx * 255.0 / 60 + rng.normal(0, 20, (47, 61)), 0, 255).astype(np.uint8)
    alpha[10:25, 5:20] = 0          # fully transparent patch with coloured pixels underneath
    alpha[30:40, 40:55] = 255
    rgba61 = np.dstack([base, alpha]).astype(np.uint8)
    rgb64 = np.ascontiguousarray(coffee[100:148, 200:264, :3])
    noise37 = rng.integers(0, 256, (29, 37, 3), dtype=np.uint8)
    return {"rgb61": rgb61, "gray61": gray61, "rgba61": rgba61, "rgb64": rgb64, "noise37": noise37}


SMALL = [("size", 30, 23), ("size", 20, 15), ("size", 9, 7), ("size", 92, 70), ("size", 122, 94),
         ("size", 150, 20), ("scale", 0.5, 0.5), ("scale", 0.3, 0.7), ("size", 55, 30)]
TARGETS = {
    "rgb61": SMALL,
    "gray61": SMALL + [("size", 61, 100)],
    "rgba61": [("size", 30, 23), ("size", 9, 7), ("size", 92, 70), ("size", 20, 15), ("scale", 0.5, 0.5)],
    "rgb64": [("size", 32, 24), ("size", 16, 12), ("size", 21, 16), ("scale", 0.25, 0.25)],
    "noise37": [("size", 18, 14), ("size", 80, 60), ("size", 37, 20)],
}


def pil_size(img, kind, a, b):
    h, w = img.shape[:2]
    return (a, b) if kind == "size" else (round(w * a), round(h * b))


def cv_resize(img, filt, kind, a, b):
    if kind == "size":
        return cv2.resize(img, (a, b), interpolation=CV[filt])
    return cv2.resize(img, None, fx=a, fy=b, interpolation=CV[filt])


def pil_resize(img, filt, kind, a, b):
    if img.dtype == np.float32:
        im = Image.fromarray(img, "F")
    else:
        im = Image.fromarray(img)
    return np.array(im.resize(pil_size(img, kind, a, b), PIL_FILTERS[filt]))


def tstr(kind, a, b):
    return f"{kind}:{a}x{b}"


def main():
    os.makedirs(OUT, exist_ok=True)
    for sub in ("inputs", "opencv", "pillow"):
        os.makedirs(os.path.join(OUT, sub), exist_ok=True)
    rows = []
    ins = inputs()
    for name, img in ins.items():
        Image.fromarray(img).save(os.path.join(OUT, "inputs", name + ".png"), optimize=True)
        for kind, a, b in TARGETS[name]:
            for filt in CV:
                out = cv_resize(img, filt, kind, a, b)
                fn = f"opencv/{name}_{filt}_{kind}{a}x{b}.png"
                Image.fromarray(out).save(os.path.join(OUT, fn), optimize=True)
                rows.append((f"inputs/{name}.png", "uint8", "opencv", filt, tstr(kind, a, b), fn))
            for filt in PIL_FILTERS:
                out = pil_resize(img, filt, kind, a, b)
                fn = f"pillow/{name}_{filt}_{kind}{a}x{b}.png"
                Image.fromarray(out).save(os.path.join(OUT, fn), optimize=True)
                rows.append((f"inputs/{name}.png", "uint8", "pillow", filt, tstr(kind, a, b), fn))
    # Float (values in [0, 1]) and UInt16 references on the gray crop.
    g = ins["gray61"]
    gf = (g.astype(np.float32) / 255).astype(np.float32)
    np.save(os.path.join(OUT, "inputs", "gray61_f32.npy"), gf)
    g16 = (g.astype(np.uint16) * 257 + np.arange(g.size, dtype=np.uint16).reshape(g.shape) % 97).astype(np.uint16)
    np.save(os.path.join(OUT, "inputs", "gray61_u16.npy"), g16)
    for kind, a, b in [("size", 30, 23), ("size", 76, 58), ("scale", 0.5, 0.5)]:
        for filt in ("bilinear", "bicubic", "area", "lanczos4", "nearest"):
            fn = f"opencv/gray61f_{filt}_{kind}{a}x{b}.npy"
            np.save(os.path.join(OUT, fn), cv_resize(gf, filt, kind, a, b).astype(np.float32))
            rows.append(("inputs/gray61_f32.npy", "float32", "opencv", filt, tstr(kind, a, b), fn))
        for filt in ("bilinear", "bicubic", "area"):
            fn = f"opencv/gray61u16_{filt}_{kind}{a}x{b}.npy"
            np.save(os.path.join(OUT, fn), cv_resize(g16, filt, kind, a, b))
            rows.append(("inputs/gray61_u16.npy", "uint16", "opencv", filt, tstr(kind, a, b), fn))
        if kind == "size":
            for filt in ("box", "bilinear", "hamming", "bicubic", "lanczos3"):
                fn = f"pillow/gray61f_{filt}_{kind}{a}x{b}.npy"
                np.save(os.path.join(OUT, fn), pil_resize(gf, filt, kind, a, b).astype(np.float32))
                rows.append(("inputs/gray61_f32.npy", "float32", "pillow", filt, tstr(kind, a, b), fn))
    # Pillow mode "I;16" (the same UInt16 crop; wrapped values give overshoots to clamp), including
    # sizes where Pillow filters vertically first.
    for (a, b) in [(30, 23), (76, 58), (150, 20), (20, 70), (55, 12)]:
        for filt in ("box", "bilinear", "hamming", "bicubic", "lanczos3"):
            im = Image.frombytes("I;16", (g16.shape[1], g16.shape[0]), g16.astype("<u2").tobytes())
            out = np.array(im.resize((a, b), PIL_FILTERS[filt])).astype(np.uint16)
            fn = f"pillow/gray61u16_{filt}_size{a}x{b}.npy"
            np.save(os.path.join(OUT, fn), out)
            rows.append(("inputs/gray61_u16.npy", "uint16", "pillow", filt, tstr("size", a, b), fn))
    with open(os.path.join(OUT, "manifest.tsv"), "w") as f:
        f.write("input\tdtype\tanchor\tfilter\ttarget\treference\n")
        for r in rows:
            f.write("\t".join(map(str, r)) + "\n")
    with open(os.path.join(OUT, "VERSIONS.txt"), "w") as f:
        f.write(f"python {sys.version.split()[0]}\nopencv-contrib-python-headless {cv2.__version__}\n"
                f"Pillow {PIL.__version__}\nnumpy {np.__version__}\n"
                f"cv2 IPP enabled: {cv2.ipp.useIPP()} (bicubic UInt8 and Float bilinear/bicubic go through IPP)\n")
    print(len(rows), "references")


if __name__ == "__main__":
    main()
