#!/usr/bin/env python3
"""What a finer window stride gives a trained detector, measured with OpenCV: the model
exported by `cvtool detector export --opencv` is loaded into cv2.HOGDescriptor and run with
detectMultiScale at --stride (default 4, which ClassicCV's HOGDetector does not offer yet)
on the images of a make_scenes.py split, raw hits grouped by greedy NMS (cv2.dnn.NMSBoxes,
IoU --nms-iou), written as a detections CSV and scored by `cvtool detector evaluate`.

    cvtool detector export trousers.json --opencv trousers.yml
    Tools/.venv/bin/python Tools/scenes_cv2_stride.py trousers.yml val/train det4.csv \
        --cvtool .build/release/cvtool [--stride 4] [--scale 1.02] [--padding 8] [--hit-threshold -1] [--nms-iou 0.2]

SPLIT_DIR holds images/ and annotations.csv. Without --cvtool only the CSV is written.
"""
import argparse
import csv
import glob
import os
import subprocess
import sys

import cv2
import numpy as np


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("yml"); ap.add_argument("split_dir"); ap.add_argument("out")
    ap.add_argument("--stride", type=int, default=4)
    ap.add_argument("--scale", type=float, default=1.02)
    ap.add_argument("--padding", type=int, default=8)
    ap.add_argument("--hit-threshold", type=float, default=-1)
    ap.add_argument("--nms-iou", type=float, default=0.2)
    ap.add_argument("--cvtool")
    a = ap.parse_args()
    hog = cv2.HOGDescriptor()
    if not hog.load(a.yml):
        sys.exit(f"scenes_cv2_stride: cv2.HOGDescriptor.load could not read {a.yml}")
    rows = []
    for path in sorted(glob.glob(os.path.join(a.split_dir, "images", "*.png"))):
        img = cv2.imread(path, cv2.IMREAD_COLOR)
        rects, weights = hog.detectMultiScale(img, hitThreshold=a.hit_threshold, winStride=(a.stride, a.stride),
                                              padding=(a.padding, a.padding), scale=a.scale, groupThreshold=0)
        if len(rects) == 0:
            continue
        scores = np.ravel(weights).astype(float)
        # NMSBoxes wants scores >= its threshold >= 0: shift them (the order, all NMS uses, is kept).
        shifted = (scores - scores.min() + 1).tolist()
        keep = cv2.dnn.NMSBoxes([list(map(int, r)) for r in rects], shifted, 0.0, a.nms_iou)
        for k in np.ravel(keep):
            rows.append([os.path.abspath(path), *map(int, rects[k]), scores[k]])
    with open(a.out, "w", newline="") as f:
        w = csv.writer(f); w.writerow(["path", "x", "y", "width", "height", "score"]); w.writerows(rows)
    print(f"{len(rows)} detections (stride {a.stride}, scale {a.scale}, padding {a.padding}, hit {a.hit_threshold}) -> {a.out}")
    if a.cvtool:
        sys.exit(subprocess.call([a.cvtool, "detector", "evaluate", "--detections", a.out,
                                  "--annotations", os.path.join(a.split_dir, "annotations.csv")]))


if __name__ == "__main__":
    main()
