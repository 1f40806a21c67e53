"""Anchor side of `cvtool bench detector-train` (picked up by Tools/bench).

The same small set as the cvtool op (DetectorTrainBenchOps.swift), made from the decoded
image: N 32x64 windows of the gray image with two dark legs drawn in (positives), N 160x120
tiles (negatives). Then what HOGDetectorTrainer does, in OpenCV and scikit-learn:
cv2.HOGDescriptor((32, 64), (16, 16), (8, 8), (8, 8), 9).compute on every positive and on 20
random windows per tile, LinearSVC (C = 0.05, LIBLINEAR's dual solver), then R rounds of
detectMultiScale on the tiles (hit threshold -1, stride 8, padding 0, scale 1.05, no
grouping), the best 50 hits per tile described and added, a refit. Same work, not the same
numbers (the random windows differ): a timing anchor, not a fidelity one.

Reproduce the table of docs/benchmarks.md:
    Tools/bench --ops detector-train --threads 1,2 --rounds 3 --repeat 3
"""
import cv2
import numpy as np
from sklearn.svm import LinearSVC

VTEST = ["detect/images/vtest_0000.jpg"]  # 768x576


def _tiles(gray, count):
    across, down = gray.shape[1] // 160, gray.shape[0] // 120
    return [gray[(t // across) * 120:(t // across) * 120 + 120, (t % across) * 160:(t % across) * 160 + 160].copy()
            for t in (k % (across * down) for k in range(count))]


def _objects(gray, count):
    out = []
    for k in range(count):
        x, y = (k * 37) % (gray.shape[1] - 32), (k * 53) % (gray.shape[0] - 64)
        w = gray[y:y + 64, x:x + 32].copy()
        leg, gap = 5 + k % 3, 3 + k % 4
        left = (32 - 2 * leg - gap) // 2
        w[4:16, left:left + 2 * leg + gap] = 20
        w[16:60, left:left + leg] = 20
        w[16:60, left + leg + gap:left + 2 * leg + gap] = 20
        out.append(w)
    return out


def _train(rgb, positives=200, negatives=20, rounds=2):
    gray = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY) if rgb.ndim == 3 else rgb
    pos, negs = _objects(gray, positives), _tiles(gray, negatives)
    hog = cv2.HOGDescriptor((32, 64), (16, 16), (8, 8), (8, 8), 9)

    def run():
        rng = np.random.default_rng(1)
        windows = [t[y:y + 64, x:x + 32] for t in negs
                   for x, y in zip(rng.integers(0, 129, 20), rng.integers(0, 57, 20))]
        feat = lambda ims: np.array([hog.compute(np.ascontiguousarray(i)).ravel() for i in ims])
        X = np.vstack([feat(pos), feat(windows)])
        y = np.r_[np.ones(len(pos)), np.zeros(len(windows))]
        for r in range(rounds + 1):
            svm = LinearSVC(C=0.05, max_iter=20000).fit(X, y)
            if r == rounds:
                return svm
            hog.setSVMDetector(np.r_[svm.coef_.ravel(), svm.intercept_].astype(np.float32))
            hard = []
            for t in negs:
                rects, w = hog.detectMultiScale(t, hitThreshold=-1, winStride=(8, 8), padding=(0, 0), scale=1.05,
                                                groupThreshold=0)
                for k in np.argsort(-np.ravel(w))[:50] if len(rects) else []:
                    x, yy, ww, hh = rects[k]
                    hard.append(cv2.resize(t[yy:yy + hh, x:x + ww], (32, 64), interpolation=cv2.INTER_AREA))
            if hard:
                X = np.vstack([X, feat(hard)]); y = np.r_[y, np.zeros(len(hard))]
    return run


OPS = [
    {"op": "detector-train", "args": [],
     "label": "HOG detector training: 200 positives, 20 tiles, 2 mining rounds (cv2 HOG + LinearSVC)",
     "anchor": "opencv+sklearn", "images": VTEST, "make": _train},
]
