#!/usr/bin/env python3
"""Reference outputs for detector training and export (issue 20, items 6 and 7).

Writes Fixtures/detect/training/:
  window_gray.png, window_rgb.png   32x64 crops of Fixtures/detect/images/basketball1.png (the
                                    window of a 32x64 detector), gray and RGB
  window_gray.npy, window_rgb.npy   cv2.HOGDescriptor((32,64),(16,16),(8,8),(8,8),9).compute of
                                    each (756 float32: OpenCV's column-major block order)
  people_window.npy                 the default 64x128 HOGDescriptor().compute of a 64x128 crop
  people_window.png                 that crop (RGB)
  opencv_saved.yml                  what cv2.HOGDescriptor.save writes for the 32x64 geometry
                                    with seeded coefficients (756 weights, then the bias)
  opencv_saved_coefficients.npy     those coefficients (float32), as cv2 holds them

Run: nice /work/main/Tools/.venv/bin/python Tools/fixtures_detector_training.py
"""
import os

import cv2
import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "Fixtures", "detect", "training")
os.makedirs(OUT, exist_ok=True)

bgr = cv2.imread(os.path.join(ROOT, "Fixtures", "detect", "images", "basketball1.png"), cv2.IMREAD_COLOR)
small = cv2.HOGDescriptor((32, 64), (16, 16), (8, 8), (8, 8), 9)
crop = np.ascontiguousarray(bgr[100:164, 200:232])
gray = cv2.cvtColor(crop, cv2.COLOR_BGR2GRAY)
cv2.imwrite(os.path.join(OUT, "window_gray.png"), gray)
cv2.imwrite(os.path.join(OUT, "window_rgb.png"), crop)
# The references are computed on the decoded files, so both sides see the same pixels.
gray = cv2.imread(os.path.join(OUT, "window_gray.png"), cv2.IMREAD_GRAYSCALE)
crop = cv2.imread(os.path.join(OUT, "window_rgb.png"), cv2.IMREAD_COLOR)
np.save(os.path.join(OUT, "window_gray.npy"), small.compute(gray).ravel().astype(np.float32))
np.save(os.path.join(OUT, "window_rgb.npy"), small.compute(crop).ravel().astype(np.float32))

people_crop = np.ascontiguousarray(bgr[60:188, 300:364])
cv2.imwrite(os.path.join(OUT, "people_window.png"), people_crop)
people_crop = cv2.imread(os.path.join(OUT, "people_window.png"), cv2.IMREAD_COLOR)
np.save(os.path.join(OUT, "people_window.npy"), cv2.HOGDescriptor().compute(people_crop).ravel().astype(np.float32))

rng = np.random.default_rng(20)
coefficients = rng.normal(0, 0.05, small.getDescriptorSize() + 1).astype(np.float32)
coefficients[-1] = -1.25
small.setSVMDetector(coefficients)
small.save(os.path.join(OUT, "opencv_saved.yml"))
np.save(os.path.join(OUT, "opencv_saved_coefficients.npy"), coefficients)
print("fixtures_detector_training: wrote", sorted(os.listdir(OUT)))
