#!/usr/bin/env python3
"""Checks `cvtool detector export`: cv2.HOGDescriptor.load reads the YAML, and detectMultiScale
with it finds the same detections as `cvtool detect --model MODEL.json` with the same options.

    cvtool detector export model.json --opencv model.yml
    cvtool detect IMAGES... --model model.json [options] -o ours.csv
    Tools/.venv/bin/python Tools/check_opencv_export.py model.yml ours.csv IMAGES... \
        [--scale 1.05] [--stride 8] [--padding 8] [--hit-threshold 0] [--group-threshold 2]

Images are compared as sets of boxes (OpenCV runs levels in parallel): per image the same
count, every box matched both ways at IoU >= 0.9, the share identical to the pixel, and the
largest score difference of identical boxes. Exit status 1 when a count differs or a box
is unmatched.
"""
import argparse
import csv
import os
import sys
from collections import defaultdict

import cv2
import numpy as np


def iou(a, b):
    w = max(0, min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0]))
    h = max(0, min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1]))
    return w * h / float(a[2] * a[3] + b[2] * b[3] - w * h)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("yml"); ap.add_argument("ours"); ap.add_argument("images", nargs="+")
    ap.add_argument("--scale", type=float, default=1.05)
    ap.add_argument("--stride", type=int, default=8)
    ap.add_argument("--padding", type=int, default=8)
    ap.add_argument("--hit-threshold", type=float, default=0)
    ap.add_argument("--group-threshold", type=int, default=2)
    a = ap.parse_args()
    # OpenCV's level workers append their rectangles and their weights in two separate
    # locked sections (HOGInvoker in hog.cpp), so with several threads a level's weights can
    # land beside another level's rectangles: same boxes, scores shuffled. One thread keeps
    # them paired, as the fixture scripts do.
    cv2.setNumThreads(1)
    hog = cv2.HOGDescriptor()
    if not hog.load(a.yml):
        sys.exit(f"check_opencv_export: cv2.HOGDescriptor.load could not read {a.yml}")
    print(f"loaded {a.yml}: winSize {hog.winSize}, {len(hog.svmDetector)} coefficients")
    ours = defaultdict(list)
    with open(a.ours) as f:
        for row in csv.DictReader(f):
            ours[os.path.realpath(row["path"])].append(
                (int(float(row["x"])), int(float(row["y"])), int(float(row["width"])), int(float(row["height"])), float(row["score"])))
    total = identical = unmatched = count_diff = 0
    worst = 0.0
    for path in a.images:
        img = cv2.imread(path, cv2.IMREAD_COLOR)
        rects, weights = hog.detectMultiScale(img, hitThreshold=a.hit_threshold, winStride=(a.stride, a.stride),
                                              padding=(a.padding, a.padding), scale=a.scale, groupThreshold=a.group_threshold)
        theirs = [(*map(int, r), float(w)) for r, w in zip(rects, np.ravel(weights))] if len(rects) else []
        mine = ours.get(os.path.realpath(path), [])
        total += len(theirs)
        count_diff += len(mine) != len(theirs)
        for A, B in ((mine, theirs), (theirs, mine)):
            for box in A:
                if not any(iou(box[:4], other[:4]) >= 0.9 for other in B):
                    unmatched += 1
        for box in theirs:
            same = [m for m in mine if m[:4] == box[:4]]
            if same:
                identical += 1
                worst = max(worst, min(abs(m[4] - box[4]) for m in same))
    print(f"images {len(a.images)}, cv2 boxes {total}, ours {sum(len(v) for v in ours.values())}, "
          f"images with another count {count_diff}, unmatched (IoU < 0.9, both ways) {unmatched}, "
          f"identical to the pixel {identical}/{total}, largest score difference {worst:.2e}")
    sys.exit(1 if count_diff or unmatched else 0)


if __name__ == "__main__":
    main()
