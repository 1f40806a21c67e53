#!/usr/bin/env python3
"""A plausibility baseline for the scenes of Tools/make_scenes.py, entirely in OpenCV and
scikit-learn: cv2.HOGDescriptor with a 32x64 window (16x16 blocks, 8x8 cells, 9 bins), a
LinearSVC (C = 0.05) on the positive crops against 20 random windows per negative image,
two rounds of hard negatives (detectMultiScale on the negative images, hit threshold 0),
then detectMultiScale on every test scene (stride 4, padding 8, scale 1.05, hit threshold
-0.5, no grouping) written as a detections CSV `path,x,y,width,height,score`.

    Tools/.venv/bin/python Tools/make_scenes.py --out /tmp/scenes --train 300 --test 100
    Tools/.venv/bin/python Tools/scenes_hog_baseline.py /tmp/scenes /tmp/raw.csv
    cvtool nms /tmp/raw.csv --method opencv --iou 0.3 --score-threshold -10 -o /tmp/kept.csv
    (keep the kept rows of raw.csv as det.csv, e.g. with the snippet at the end of this file)
    cvtool detector evaluate --detections /tmp/det.csv --annotations /tmp/scenes/test/annotations.csv

Not ClassicCV's detector: a reference point for what HOG + a linear SVM reach on the
benchmark (docs/benchmarks.md).
"""
import csv, glob, os, sys
import cv2, numpy as np
from sklearn.svm import LinearSVC
root = sys.argv[1]; out = sys.argv[2]  # the make_scenes.py folder; the raw detections CSV
hog = cv2.HOGDescriptor((32, 64), (16, 16), (8, 8), (8, 8), 9)
pos = [cv2.imread(p, cv2.IMREAD_GRAYSCALE) for p in sorted(glob.glob(f"{root}/train/positives/*.png"))]
negs = [cv2.imread(p, cv2.IMREAD_GRAYSCALE) for p in sorted(glob.glob(f"{root}/train/negatives/*.png"))]
rng = np.random.default_rng(0)
def rand_windows(img, n):
    out = []
    for _ in range(n):
        s = rng.uniform(1, 3); w, h = int(32 * s), int(64 * s)
        if w >= img.shape[1] or h >= img.shape[0]: continue
        x, y = rng.integers(0, img.shape[1] - w), rng.integers(0, img.shape[0] - h)
        out.append(cv2.resize(img[y:y + h, x:x + w], (32, 64), interpolation=cv2.INTER_AREA))
    return out
neg = [w for img in negs for w in rand_windows(img, 20)]
feat = lambda ims: np.array([hog.compute(i).ravel() for i in ims])
X = np.vstack([feat(pos), feat(neg)]); y = np.r_[np.ones(len(pos)), np.zeros(len(neg))]
def train(X, y):
    svm = LinearSVC(C=0.05, max_iter=20000).fit(X, y)
    hog.setSVMDetector(np.r_[svm.coef_.ravel(), svm.intercept_].astype(np.float32))
train(X, y)
for _round in range(2):
    hard = []
    for img in negs:
        rects, _ = hog.detectMultiScale(img, hitThreshold=0, winStride=(8, 8), padding=(0, 0), scale=1.1, groupThreshold=0)
        for (x, yy, w, h) in rects[:50]:
            hard.append(cv2.resize(img[yy:yy + h, x:x + w], (32, 64), interpolation=cv2.INTER_AREA))
    print("hard negatives", len(hard))
    if hard:
        X = np.vstack([X, feat(hard)]); y = np.r_[y, np.zeros(len(hard))]
        train(X, y)
rows = []
for p in sorted(glob.glob(f"{root}/test/images/*.png")):
    img = cv2.imread(p, cv2.IMREAD_GRAYSCALE)
    rects, w = hog.detectMultiScale(img, hitThreshold=-0.5, winStride=(4, 4), padding=(8, 8), scale=1.05, groupThreshold=0)
    for (x, yy, ww, hh), s in zip(rects, np.ravel(w) if len(rects) else []):
        rows.append([p, x, yy, ww, hh, float(s)])
with open(out, "w", newline="") as f:
    wr = csv.writer(f); wr.writerow(["path", "x", "y", "width", "height", "score"]); wr.writerows(rows)
print("detections", len(rows))


# Keeping the rows NMS kept (cvtool nms writes 0-based input rows):
#   raw = list(csv.reader(open("raw.csv"))); kept = list(csv.reader(open("kept.csv")))[1:]
#   csv.writer(open("det.csv", "w", newline="")).writerows([raw[0]] + [raw[int(i) + 1] for i, _ in kept])
