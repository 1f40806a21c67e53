#!/usr/bin/env python3
"""Reference outputs of the jittered positives (HOGDetectorTrainingParameters.positiveJitter):
each copy samples the positive bilinearly at x' = cx + (u + 0.5 - w/2) * scale - 0.5 (cx = w/2 +
shiftX, the same for y), reflecting outside the image as BORDER_REFLECT_101. The anchor is
scipy.ndimage.map_coordinates(order=1, mode="mirror") (scipy's "mirror" is 101) on float64.

Writes Fixtures/detect/training/:
  jitter_params.npy   N x 3 float64: shiftX, shiftY (pixels), scale, one case per row
  jitter_gray.npy     N x 64 x 32 float32: the unrounded samples of window_gray.png
  jitter_rgb.npy      N x 64 x 32 x 3 float32: the same for window_rgb.png (RGB)

Run: nice /work/main/Tools/.venv/bin/python Tools/fixtures_positive_jitter.py
"""
import os

import cv2
import numpy as np
from scipy import ndimage

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "Fixtures", "detect", "training")

# Identity, sub-pixel shifts, the largest shift and scales the options allow (amplitude 0.5:
# 16 px of 32, 32 of 64, scale 0.5 and 1.5) so that the reflection is reached on every side.
PARAMS = np.array([[0, 0, 1], [0.3, -0.7, 1], [-1.6, 3.2, 0.95], [2.5, -1.25, 1.05],
                   [16, -32, 1.5], [-16, 32, 0.5]], dtype=np.float64)


def jittered(image, dx, dy, scale):
    h, w = image.shape[:2]
    v, u = np.mgrid[0:h, 0:w].astype(np.float64)
    sy = h / 2 + dy + (v + 0.5 - h / 2) * scale - 0.5
    sx = w / 2 + dx + (u + 0.5 - w / 2) * scale - 0.5
    planes = image[..., None] if image.ndim == 2 else image
    out = [ndimage.map_coordinates(planes[..., c].astype(np.float64), [sy, sx], order=1, mode="mirror")
           for c in range(planes.shape[2])]
    return np.stack(out, axis=-1).reshape(image.shape)


def main():
    gray = cv2.imread(os.path.join(OUT, "window_gray.png"), cv2.IMREAD_GRAYSCALE)
    rgb = cv2.cvtColor(cv2.imread(os.path.join(OUT, "window_rgb.png"), cv2.IMREAD_COLOR), cv2.COLOR_BGR2RGB)
    np.save(os.path.join(OUT, "jitter_params.npy"), PARAMS)
    for name, image in (("gray", gray), ("rgb", rgb)):
        ref = np.stack([jittered(image, *p) for p in PARAMS]).astype(np.float32)
        np.save(os.path.join(OUT, f"jitter_{name}.npy"), ref)
        print(f"jitter_{name}.npy {ref.shape}")


if __name__ == "__main__":
    main()
