"""Anchor side of `cvtool bench` for CVDetect (picked up by Tools/bench).

`make` receives the decoded RGB uint8 image (numpy) and returns the zero-arg callable to time:
cv2.HOGDescriptor().detectMultiScale with the default people detector and the same options as
the cvtool op (stride 8x8, padding 8x8, scale 1.05, groupThreshold 2) on the BGR pixels, so
both sides find the same boxes. The thread count comes from Tools/bench (cv2.setNumThreads).

Reproduce the table of docs/benchmarks.md:
    Tools/bench --ops detect --threads 1,2 --rounds 5
"""
import cv2
import numpy as np

VTEST = ["detect/images/vtest_0000.jpg"]  # 768x576, OpenCV's pedestrian video, frame 0


def _people(rgb):
    hog = cv2.HOGDescriptor()
    hog.setSVMDetector(cv2.HOGDescriptor_getDefaultPeopleDetector())
    bgr = np.ascontiguousarray(rgb[..., ::-1]) if rgb.ndim == 3 else rgb
    return lambda: hog.detectMultiScale(bgr, hitThreshold=0, winStride=(8, 8), padding=(8, 8), scale=1.05,
                                        groupThreshold=2)


OPS = [
    {"op": "detect", "args": [], "label": "HOG people detector, detectMultiScale (stride 8, padding 8, scale 1.05)",
     "anchor": "opencv", "images": VTEST, "make": _people},
]
