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
    Tools/bench --ops detector-train,detector-regress --threads 1,2 --rounds 3 --repeat 3
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


def _scenes(gray, count):
    """Tiles with object window k pasted at a position varying with k, and the legs' own box."""
    windows, scenes, truth = _objects(gray, count), _tiles(gray, count), []
    for k in range(count):
        x, y = 16 + (k * 29) % 96, 8 + (k * 17) % 40
        leg, gap = 5 + k % 3, 3 + k % 4
        left = (32 - 2 * leg - gap) // 2
        scenes[k][y:y + 64, x:x + 32] = windows[k]
        truth.append((x + left, y + 4, 2 * leg + gap, 56))
    return scenes, truth


def _iou(a, b):
    w = max(0, min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0]))
    h = max(0, min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1]))
    return w * h / float(a[2] * a[3] + b[2] * b[3] - w * h)


def _regress(rgb, scenes=40):
    """Anchor of `cvtool bench detector-regress`: a LinearSVC model trained first (not timed) on
    the same 200 objects and 20 random windows per tile; then, timed, detectMultiScale on each
    scene (hit -1, stride 8, padding 8, scale 1.05, no grouping), every hit at IoU >= 0.4 with
    the scene's box described (crop clipped to the tile, resized to 32x64, hog.compute) and
    scikit-learn's Ridge(alpha=100, solver="cholesky") fitted to the four offsets."""
    from sklearn.linear_model import Ridge
    gray = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY) if rgb.ndim == 3 else rgb
    pos, negs = _objects(gray, 200), _tiles(gray, 20)
    hog = cv2.HOGDescriptor((32, 64), (16, 16), (8, 8), (8, 8), 9)
    rng = np.random.default_rng(1)
    windows = [t[y:y + 64, x:x + 32] for t in negs for x, y in zip(rng.integers(0, 129, 20), rng.integers(0, 57, 20))]
    feat = lambda ims: np.array([hog.compute(np.ascontiguousarray(i)).ravel() for i in ims])
    svm = LinearSVC(C=0.05, max_iter=20000).fit(np.vstack([feat(pos), feat(windows)]), np.r_[np.ones(len(pos)), np.zeros(len(windows))])
    hog.setSVMDetector(np.r_[svm.coef_.ravel(), svm.intercept_].astype(np.float32))
    sc, gt = _scenes(gray, scenes)

    def run():
        F, T = [], []
        for img, g in zip(sc, gt):
            rects, _ = hog.detectMultiScale(img, hitThreshold=-1, winStride=(8, 8), padding=(8, 8), scale=1.05, groupThreshold=0)
            for r in rects:
                x, y, w, h = (int(v) for v in r)
                if _iou((x, y, w, h), g) < 0.4:
                    continue
                x0, y0, x1, y1 = max(0, x), max(0, y), min(img.shape[1], x + w), min(img.shape[0], y + h)
                F.append(hog.compute(cv2.resize(img[y0:y1, x0:x1], (32, 64), interpolation=cv2.INTER_LINEAR)).ravel())
                T.append([(g[0] + g[2] / 2 - x - w / 2) / w, (g[1] + g[3] / 2 - y - h / 2) / h, np.log(g[2] / w), np.log(g[3] / h)])
        return Ridge(alpha=100, solver="cholesky").fit(np.array(F), np.array(T)) if F else None
    return run


OPS.append({"op": "detector-regress", "args": [],
            "label": "box regression fit: 40 scenes, HOG features, ridge (cv2 detectMultiScale + hog.compute + sklearn Ridge)",
            "anchor": "opencv+sklearn", "images": VTEST, "make": _regress})
