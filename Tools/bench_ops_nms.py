"""Anchor side of `cvtool bench nms` (CVDetect's non-maximum suppression; picked up by Tools/bench).

The boxes are those of `NMSBenchOps.syntheticDetections` in Sources/cvtool/Bench/NMSBenchOps.swift,
reproduced bit for bit (SplitMix64 seed 20, 53-bit uniforms, same draw order); the image is
ignored. cv2.dnn.NMSBoxes gets them as float64 (cv::Rect2d) with score threshold 0, IoU 0.5.
"""
import cv2
import numpy as np

MASK = (1 << 64) - 1


class SplitMix64:
    def __init__(self, seed):
        self.state = seed

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return z ^ (z >> 31)

    def u(self):
        return (self.next() >> 11) * 2.0 ** -53


def synthetic_detections(count):
    rng = SplitMix64(20)
    boxes, scores = [], []
    while len(boxes) < count:
        cx, cy = rng.u() * 3840, rng.u() * 2160
        w = 24 + rng.u() * 72
        h = w * (1.8 + rng.u() * 0.4)
        for _ in range(10):
            if len(boxes) >= count:
                break
            dx, dy = (rng.u() - 0.5) * 0.3 * w, (rng.u() - 0.5) * 0.3 * h
            ww, hh = w * (0.9 + 0.2 * rng.u()), h * (0.9 + 0.2 * rng.u())
            boxes.append([cx + dx - ww / 2, cy + dy - hh / 2, ww, hh])
            scores.append(float(np.float32(rng.u())))
    return np.array(boxes, np.float64), np.array(scores, np.float32)


def _nms(count, iou=0.5):
    boxes, scores = synthetic_detections(count)
    return lambda: cv2.dnn.NMSBoxes(boxes, scores, 0.0, iou)


OPS = [
    {"op": "nms", "args": ["--count", str(n)], "label": f"cv2.dnn.NMSBoxes, {n} boxes, IoU 0.5",
     "anchor": "opencv", "images": ["coffee-1080p.png"],
     "make": (lambda n: (lambda rgb: _nms(n)))(n)}
    for n in (1000, 10000, 100000)
]
