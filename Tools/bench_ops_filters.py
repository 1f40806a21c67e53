"""Anchor side of the CVFilters benchmarks (picked up by Tools/bench).

Each entry: "op"/"args" name the `cvtool bench` op and its options; "make" receives the decoded
RGB uint8 image (numpy) and returns the zero-argument callable to time. "gray": True means the
op runs on the gray image (cvtool's sobel/canny convert to gray before timing, and so do we;
blur/box/guided take the bench-only flag --gray to do the same).
"""
import cv2
import numpy as np

try:
    import cv2.ximgproc as _xi
except ImportError:  # opencv-contrib missing
    _xi = None

import skimage.feature
import skimage.filters


def _gray(rgb):
    return cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY) if rgb.ndim == 3 else rgb


OPS = []

for s in (1, 2, 3):
    OPS.append({"op": "blur", "args": ["--sigma", str(s)], "label": f"blur σ={s}", "anchor": "opencv",
                "make": (lambda s: lambda rgb: (lambda: cv2.GaussianBlur(rgb, (0, 0), s)))(s)})
    OPS.append({"op": "blur", "args": ["--sigma", str(s), "--gray"], "label": f"blur σ={s} (gray)", "anchor": "opencv",
                "gray": True, "make": (lambda s: lambda g: (lambda: cv2.GaussianBlur(g, (0, 0), s)))(s)})
for s in (8, 16, 32):
    OPS.append({"op": "blur", "args": ["--sigma", str(s)], "label": f"blur σ={s}", "anchor": "opencv",
                "make": (lambda s: lambda rgb: (lambda: cv2.GaussianBlur(rgb, (0, 0), s)))(s)})
    OPS.append({"op": "blur", "args": ["--sigma", str(s), "--gray"], "label": f"blur σ={s} (gray)", "anchor": "opencv",
                "gray": True, "make": (lambda s: lambda g: (lambda: cv2.GaussianBlur(g, (0, 0), s)))(s)})
OPS.append({"op": "blur", "args": ["--sigma", "2"], "label": "blur σ=2 (vs skimage)", "anchor": "scikit-image",
            "make": lambda rgb: (lambda: skimage.filters.gaussian(rgb, sigma=2, channel_axis=-1))})
OPS.append({"op": "canny", "args": ["--low", "50", "--high", "150"], "label": "canny 50/150 (vs skimage canny σ=1)",
            "anchor": "scikit-image", "gray": True, "make": lambda g: (lambda: skimage.feature.canny(g, sigma=1))})
OPS.append({"op": "blur", "args": ["--sigma", "2", "--preset", "scikit-image"], "label": "blur σ=2 (skimage)",
            "anchor": "scikit-image",
            "make": lambda rgb: (lambda: skimage.filters.gaussian(rgb, sigma=2, channel_axis=-1))})

for r in (2, 10):
    OPS.append({"op": "box", "args": ["--radius", str(r)], "label": f"box r={r}", "anchor": "opencv",
                "make": (lambda r: lambda rgb: (lambda: cv2.blur(rgb, (2 * r + 1, 2 * r + 1))))(r)})

if _xi is not None:
    for r, e in ((4, 0.01), (8, 0.01), (16, 0.01)):
        OPS.append({"op": "guided", "args": ["--radius", str(r), "--eps", str(e)], "label": f"guided r={r} (rgb guide)",
                    "anchor": "opencv",
                    "make": (lambda r, e: lambda rgb: (lambda: _xi.guidedFilter(rgb, rgb, r, e * 255 * 255)))(r, e)})
        OPS.append({"op": "guided", "args": ["--radius", str(r), "--eps", str(e), "--gray"], "label": f"guided r={r} (gray)",
                    "anchor": "opencv", "gray": True,
                    "make": (lambda r, e: lambda g: (lambda: _xi.guidedFilter(g, g, r, e * 255 * 255)))(r, e)})

OPS.append({"op": "sobel", "args": ["--dx", "1", "--dy", "0"], "label": "sobel 3x3 dx (Int16)", "anchor": "opencv",
            "gray": True, "make": lambda g: (lambda: cv2.Sobel(g, cv2.CV_16S, 1, 0, ksize=3))})
OPS.append({"op": "sobel", "args": ["--dx", "1", "--dy", "0"], "label": "sobel 3x3 dx (vs skimage sobel_v)",
            "anchor": "scikit-image", "gray": True,
            "make": lambda g: (lambda: skimage.filters.sobel_v(g))})
OPS.append({"op": "sobel", "args": ["--dx", "1", "--dy", "0", "--ksize", "-1"], "label": "scharr dx (Int16)",
            "anchor": "opencv", "gray": True, "make": lambda g: (lambda: cv2.Scharr(g, cv2.CV_16S, 1, 0))})

OPS.append({"op": "canny", "args": ["--low", "50", "--high", "150"], "label": "canny 50/150", "anchor": "opencv",
            "gray": True, "make": lambda g: (lambda: cv2.Canny(g, 50, 150))})
OPS.append({"op": "canny", "args": ["--low", "50", "--high", "150", "--l2"], "label": "canny 50/150 L2",
            "anchor": "opencv", "gray": True, "make": lambda g: (lambda: cv2.Canny(g, 50, 150, L2gradient=True))})
OPS.append({"op": "canny", "args": ["--preset", "scikit-image"], "label": "canny (skimage σ=1)",
            "anchor": "scikit-image", "gray": True, "make": lambda g: (lambda: skimage.feature.canny(g, sigma=1))})
