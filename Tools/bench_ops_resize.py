"""Anchor side of the resize benchmarks (picked up by Tools/bench).

Each entry: "op"/"args" name the `cvtool bench resize` options; "make" receives the decoded RGB
uint8 image (numpy) and returns the zero-argument callable to time. Targets are relative to the
input so any image works; on a 1920x1080 input they are the issue's thumbnails (--fit 160x160
-> 160x90), halves (--scale 0.5) and 4K (--scale 2 -> 3840x2160).
"""
import cv2
import numpy as np
from PIL import Image
import skimage.transform

CV = {"nearest": cv2.INTER_NEAREST, "nearest-exact": cv2.INTER_NEAREST_EXACT, "bilinear": cv2.INTER_LINEAR,
      "bicubic": cv2.INTER_CUBIC, "area": cv2.INTER_AREA, "lanczos4": cv2.INTER_LANCZOS4}
PIL_FILTERS = {"nearest": Image.Resampling.NEAREST, "box": Image.Resampling.BOX, "bilinear": Image.Resampling.BILINEAR,
               "hamming": Image.Resampling.HAMMING, "bicubic": Image.Resampling.BICUBIC,
               "lanczos3": Image.Resampling.LANCZOS}
TARGETS = {"thumb": ["--fit", "160x160"], "half": ["--scale", "0.5"], "double": ["--scale", "2"]}


def _size(rgb, target):
    h, w = rgb.shape[:2]
    if target == "thumb":
        s = min(160 / w, 160 / h)
        return min(160, max(1, round(w * s))), min(160, max(1, round(h * s)))
    f = 0.5 if target == "half" else 2.0
    return round(w * f), round(h * f)


def _cv(filt, target):
    return lambda rgb: (lambda: cv2.resize(rgb, _size(rgb, target), interpolation=CV[filt]))


def _pil(filt, target):
    def make(rgb):
        im = Image.fromarray(rgb)
        size = _size(rgb, target)
        return lambda: im.resize(size, PIL_FILTERS[filt])
    return make


def _sk(order, target):
    def make(rgb):
        h, w = _size(rgb, target)[::-1]
        return lambda: skimage.transform.resize(rgb, (h, w), order=order, anti_aliasing=target != "double")
    return make


OPS = []
for target, targs in TARGETS.items():
    for filt in ("nearest", "bilinear", "bicubic", "area", "lanczos4"):
        OPS.append({"op": "resize", "args": targs + ["--compat", "opencv", "--filter", filt],
                    "label": f"resize {target} opencv {filt}", "anchor": "opencv", "make": _cv(filt, target)})
    for filt in ("bilinear", "bicubic", "lanczos3"):
        OPS.append({"op": "resize", "args": targs + ["--compat", "pillow", "--filter", filt],
                    "label": f"resize {target} pillow {filt}", "anchor": "pillow", "make": _pil(filt, target)})
    OPS.append({"op": "resize", "args": targs, "label": f"resize {target} quality default vs Pillow lanczos",
                "anchor": "pillow", "make": _pil("lanczos3", target)})
    OPS.append({"op": "resize", "args": targs + ["--compat", "opencv", "--filter", "bilinear"],
                "label": f"resize {target} bilinear vs skimage order 1", "anchor": "scikit-image", "make": _sk(1, target)})
    OPS.append({"op": "resize", "args": targs + ["--compat", "opencv", "--filter", "bicubic"],
                "label": f"resize {target} bicubic vs skimage order 3", "anchor": "scikit-image", "make": _sk(3, target)})
