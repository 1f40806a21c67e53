"""Anchor side of the fast bilateral's radius sweep (picked up by Tools/bench): `--fast` at
d = 9 on gray and d = 5…61 on RGB, each against cv2.bilateralFilter's exact filter at the same
d (OpenCV has no fast bilateral with the same meaning: cv2.ximgproc's jointBilateralFilter
and bilateralTextureFilter are exact or different filters). Bench_ops_median_bilateral.py has
the gray rows for d = 5, 15, 31, 61.
"""
import cv2

OPS = []

OPS.append({"op": "bilateral", "args": ["--diameter", "9", "--sigma-color", "40", "--sigma-space", "9", "--fast", "--gray"],
            "label": "bilateral --fast d=9 σ40/9 (gray, vs exact)", "anchor": "opencv", "gray": True,
            "make": lambda g: (lambda: cv2.bilateralFilter(g, 9, 40, 9))})
for d in (5, 9, 15, 31, 61):
    OPS.append({"op": "bilateral", "args": ["--diameter", str(d), "--sigma-color", "40", "--sigma-space", str(d), "--fast"],
                "label": f"bilateral --fast d={d} σ40/{d} (rgb, vs exact)", "anchor": "opencv",
                "make": (lambda d: lambda rgb: (lambda: cv2.bilateralFilter(rgb, d, 40, d)))(d)})
