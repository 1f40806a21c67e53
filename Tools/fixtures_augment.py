#!/usr/bin/env python3
"""Reference outputs for CVTransform's SimCLR augmentation (issue 24).

torchvision is not a dependency: its formulas (torchvision/transforms/transforms.py,
RandomResizedCrop.get_params; _functional_tensor.py, the uint8 tensor path of adjust_brightness,
adjust_contrast, adjust_saturation, adjust_hue, rgb_to_grayscale and gaussian_blur) are written
out below in NumPy float32, step for step. Where torchvision delegates to Pillow (the resize of a
PIL image in resized_crop) Pillow itself makes the reference.

Inputs are fixed crops of the committed photographs (the Swift tests cut the same crops from
the PNGs, whose decoding is identical), so only the outputs are stored:
Fixtures/augment/<case>.npy (uint8, H x W x C) and manifest.tsv (case, op, input, parameters),
plus boxes.tsv (crop box attempts and fallbacks). Deterministic.

Run: Tools/.venv/bin/python Tools/fixtures_augment.py
"""
import math
import os

import numpy as np
from PIL import Image

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Fixtures")
OUT = os.path.join(ROOT, "augment")
F32 = np.float32


def load(name):
    return np.array(Image.open(os.path.join(ROOT, "images", name)))


# Inputs: (name, file, top, left, height, width); gray images keep one channel.
INPUTS = [("rgb", "chelsea.png", 60, 140, 40, 56), ("gray", "camera.png", 100, 200, 40, 56),
          ("coffee", "coffee.png", 80, 180, 36, 48)]


def inputs():
    out = {}
    for name, f, t, l, h, w in INPUTS:
        a = load(f)
        if name == "gray" and a.ndim == 3:
            a = a[..., 0]
        a = a[t:t + h, l:l + w]
        out[name] = np.ascontiguousarray(a[..., :3] if a.ndim == 3 else a)
    return out


# --- torchvision RandomResizedCrop.get_params, given the draws ---------------------------------

def attempt(width, height, area_fraction, aspect):
    target_area = width * height * area_fraction
    w = int(round(math.sqrt(target_area * aspect)))
    h = int(round(math.sqrt(target_area / aspect)))
    return (w, h) if 0 < w <= width and 0 < h <= height else None


def fallback(width, height, ratio):
    in_ratio = float(width) / float(height)
    if in_ratio < min(ratio):
        w = width
        h = int(round(w / min(ratio)))
    elif in_ratio > max(ratio):
        h = height
        w = int(round(h * max(ratio)))
    else:
        w, h = width, height
    return (height - h) // 2, (width - w) // 2, h, w


# --- torchvision _functional_tensor on uint8 tensors, in float32 -------------------------------

def to_u8(x):  # .to(torch.uint8) truncates
    return x.astype(np.uint8)


def gray(img):  # rgb_to_grayscale
    if img.ndim == 2:
        return img.copy()
    r, g, b = (img[..., k].astype(F32) for k in range(3))
    return to_u8(F32(0.2989) * r + F32(0.587) * g + F32(0.114) * b)


def blend(img1, img2, ratio):
    v = F32(ratio) * img1.astype(F32) + F32(1.0 - ratio) * np.asarray(img2, dtype=F32)
    return to_u8(np.clip(v, F32(0), F32(255)))


def brightness(img, f):
    return blend(img, np.zeros_like(img), f)


def contrast(img, f):
    mean = F32(gray(img).astype(np.float64).mean())
    return blend(img, mean, f)


def saturation(img, f):
    if img.ndim == 2:
        return img
    return blend(img, gray(img)[..., None], f)


def rgb2hsv(r, g, b):
    maxc = np.maximum(np.maximum(r, g), b)
    minc = np.minimum(np.minimum(r, g), b)
    eqc = maxc == minc
    cr = maxc - minc
    ones = np.ones_like(maxc)
    s = cr / np.where(eqc, ones, maxc)
    crd = np.where(eqc, ones, cr)
    rc, gc, bc = (maxc - r) / crd, (maxc - g) / crd, (maxc - b) / crd
    hr = (maxc == r) * (bc - gc)
    hg = ((maxc == g) & (maxc != r)) * (F32(2.0) + rc - bc)
    hb = ((maxc != g) & (maxc != r)) * (F32(4.0) + gc - rc)
    h = hr + hg + hb
    h = np.fmod(h / F32(6.0) + F32(1.0), F32(1.0))
    return h.astype(F32), s.astype(F32), maxc


def hsv2rgb(h, s, v):
    i = np.floor(h * F32(6.0))
    f = h * F32(6.0) - i
    i = i.astype(np.int32) % 6
    one = F32(1.0)
    p = np.clip(v * (one - s), 0, 1).astype(F32)
    q = np.clip(v * (one - s * f), 0, 1).astype(F32)
    t = np.clip(v * (one - s * (one - f)), 0, 1).astype(F32)
    r = np.choose(i, [v, q, p, p, t, v])
    g = np.choose(i, [t, v, v, q, p, p])
    b = np.choose(i, [p, p, t, v, v, q])
    return r, g, b


def hue(img, shift):
    if img.ndim == 2:
        return img
    x = img.astype(F32) / F32(255)
    h, s, v = rgb2hsv(x[..., 0], x[..., 1], x[..., 2])
    h = np.remainder(h + F32(shift), F32(1.0)).astype(F32)
    r, g, b = hsv2rgb(h, s, v)
    return to_u8(np.stack([r, g, b], -1) * F32(255 + 1.0 - 1e-3))


def blur(img, k, sigma):
    half = (k - 1) * 0.5
    x = np.linspace(-half, half, k, dtype=F32)
    pdf = np.exp(F32(-0.5) * (x / F32(sigma)) ** 2).astype(F32)
    k1 = (pdf / pdf.sum()).astype(F32)
    k2 = np.outer(k1, k1).astype(F32)
    a = img.astype(np.float64)
    if a.ndim == 2:
        a = a[..., None]
    r = k // 2
    pad = np.pad(a, ((r, r), (r, r), (0, 0)), mode="reflect")  # torch "reflect" = no edge repeat
    out = np.zeros_like(a)
    for dy in range(k):
        for dx in range(k):
            out += float(k2[dy, dx]) * pad[dy:dy + a.shape[0], dx:dx + a.shape[1]]
    out = np.round(out.astype(F32)).astype(np.uint8)  # torch.round: half to even
    return out[..., 0] if img.ndim == 2 else out


def resized_crop(img, top, left, h, w, size):
    pil = Image.fromarray(img)
    return np.array(pil.crop((left, top, left + w, top + h)).resize(size, Image.Resampling.BILINEAR))


def cases(src):
    c = []
    for name in ("rgb", "gray"):
        for f in (0.0, 0.35, 1.0, 1.7):
            c.append((f"brightness-{name}-{f}", "brightness", name, f"{f}", brightness(src[name], f)))
        for f in (0.2, 0.9, 1.8):
            c.append((f"contrast-{name}-{f}", "contrast", name, f"{f}", contrast(src[name], f)))
    for name in ("rgb", "coffee"):
        for f in (0.0, 0.6, 1.8):
            c.append((f"saturation-{name}-{f}", "saturation", name, f"{f}", saturation(src[name], f)))
        for f in (-0.5, -0.2, -0.03, 0.0, 0.13, 0.2, 0.5):
            c.append((f"hue-{name}-{f}", "hue", name, f"{f}", hue(src[name], f)))
        c.append((f"grayscale-{name}", "grayscale", name, "3", np.repeat(gray(src[name])[..., None], 3, -1)))
    c.append(("flip-rgb", "flip", "rgb", "", src["rgb"][:, ::-1].copy()))
    for name in ("rgb", "gray"):
        for k, s in ((3, 0.1), (3, 1.0), (5, 0.7), (9, 2.0), (23, 1.3)):
            c.append((f"blur-{name}-{k}-{s}", "blur", name, f"{k} {s}", blur(src[name], k, s)))
    # A composed jitter: order given as indices 0 brightness, 1 contrast, 2 saturation, 3 hue.
    x = src["coffee"]
    for step in (3, 0, 2, 1):
        x = {0: lambda a: brightness(a, 1.3), 1: lambda a: contrast(a, 0.7),
             2: lambda a: saturation(a, 1.5), 3: lambda a: hue(a, -0.11)}[step](x)
    c.append(("jitter-coffee", "jitter", "coffee", "3,0,2,1 1.3 0.7 1.5 -0.11", x))
    chelsea = load("chelsea.png")[..., :3]
    for i, (t, l, h, w, ow, oh) in enumerate([(10, 20, 200, 150, 32, 32), (0, 0, 300, 451, 64, 48),
                                             (100, 200, 17, 23, 40, 40), (50, 60, 120, 90, 24, 32)]):
        c.append((f"resizedcrop-{i}", "resizedcrop", "chelsea", f"{l} {t} {w} {h} {ow} {oh}",
                  resized_crop(chelsea, t, l, h, w, (ow, oh))))
    return c


def boxes():
    rng = np.random.default_rng(24)
    rows = []
    for width, height in ((224, 224), (28, 28), (451, 300), (64, 480), (5, 3), (1, 1), (1000, 20)):
        for _ in range(12):
            a, r = rng.uniform(0.08, 1.0), math.exp(rng.uniform(math.log(3 / 4), math.log(4 / 3)))
            got = attempt(width, height, a, r)
            rows.append(f"attempt\t{width}\t{height}\t{a!r}\t{r!r}\t" + ("none" if got is None else f"{got[0]}\t{got[1]}"))
        for ratio in ((3 / 4, 4 / 3), (0.5, 0.6), (2.0, 3.0)):
            t, l, h, w = fallback(width, height, ratio)
            rows.append(f"fallback\t{width}\t{height}\t{ratio[0]!r}\t{ratio[1]!r}\t{l}\t{t}\t{w}\t{h}")
    return rows


def main():
    os.makedirs(OUT, exist_ok=True)
    src = inputs()
    manifest = ["# case\top\tinput\tparameters"]
    for name, op, inp, params, arr in cases(src):
        np.save(os.path.join(OUT, name + ".npy"), np.ascontiguousarray(arr))
        manifest.append(f"{name}\t{op}\t{inp}\t{params}")
    with open(os.path.join(OUT, "manifest.tsv"), "w") as f:
        f.write("# inputs: " + "; ".join(f"{n}={fn}[{t}:{t + h},{l}:{l + w}]" for n, fn, t, l, h, w in INPUTS) + "\n")
        f.write("\n".join(manifest) + "\n")
    with open(os.path.join(OUT, "boxes.tsv"), "w") as f:
        f.write("# kind\twidth\theight\tarea-fraction|ratio-min\taspect|ratio-max\tw h | x y w h (or none)\n")
        f.write("\n".join(boxes()) + "\n")
    print(f"wrote {len(manifest) - 1} cases to {OUT}")


if __name__ == "__main__":
    main()
