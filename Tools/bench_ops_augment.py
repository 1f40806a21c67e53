"""Anchor side of `cvtool bench simclr` (picked up by Tools/bench).

torchvision is not installed, so the anchor is the re-implementation of its formulas that
makes the fixtures (Tools/fixtures_augment.py: NumPy float32 colour ops, Pillow's crop and
bilinear resize), with the blur done by cv2.sepFilter2D on torchvision's kernel (the fastest
equivalent at hand; the fixture script's 2-D loop is a readable reference, not a contender).
Same composition and probabilities as ours; draws from NumPy's generator.
"""
import math
import os
import sys

import cv2
import numpy as np
from PIL import Image

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fixtures_augment as fa  # noqa: E402


def _blur(img, k, sigma):
    half = (k - 1) * 0.5
    x = np.linspace(-half, half, k, dtype=np.float32)
    pdf = np.exp(np.float32(-0.5) * (x / np.float32(sigma)) ** 2)
    k1 = pdf / pdf.sum()
    out = cv2.sepFilter2D(img.astype(np.float32), -1, k1, k1, borderType=cv2.BORDER_REFLECT_101)
    return np.round(out).astype(np.uint8)


def _view(pil, rng, size=224):
    w, h = pil.size
    box = None
    for _ in range(10):
        a = rng.uniform(0.08, 1.0)
        r = math.exp(rng.uniform(math.log(3 / 4), math.log(4 / 3)))
        got = fa.attempt(w, h, a, r)
        if got:
            bw, bh = got
            box = (int(rng.integers(0, h - bh + 1)), int(rng.integers(0, w - bw + 1)), bh, bw)
            break
    t, l, bh, bw = box if box else fa.fallback(w, h, (3 / 4, 4 / 3))
    x = np.array(pil.crop((l, t, l + bw, t + bh)).resize((size, size), Image.Resampling.BILINEAR))
    if rng.uniform() < 0.5:
        x = x[:, ::-1]
    if rng.uniform() < 0.8:
        ops = [lambda a, f=rng.uniform(0.2, 1.8): fa.brightness(a, f), lambda a, f=rng.uniform(0.2, 1.8): fa.contrast(a, f),
               lambda a, f=rng.uniform(0.2, 1.8): fa.saturation(a, f), lambda a, f=rng.uniform(-0.2, 0.2): fa.hue(a, f)]
        for i in rng.permutation(4):
            x = ops[i](x)
    if rng.uniform() < 0.2:
        x = np.repeat(fa.gray(x)[..., None], 3, -1)
    if rng.uniform() < 0.5:
        x = _blur(x, 2 * (int(0.1 * size) // 2) + 1, rng.uniform(0.1, 2.0))
    return x


def _views(rgb, n=8):
    pil = Image.fromarray(np.ascontiguousarray(rgb[..., :3]))

    def run():
        rng = np.random.default_rng(0)
        return [_view(pil, rng) for _ in range(n)]
    return run


OPS = [
    {"op": "simclr", "args": [], "label": "SimCLR 8 views 224x224 (torchvision formulas in NumPy float32 + Pillow resize)",
     "anchor": "NumPy/Pillow", "make": _views},
]
