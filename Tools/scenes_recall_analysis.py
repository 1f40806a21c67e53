#!/usr/bin/env python3
"""Where a detector loses recall on the scenes of Tools/make_scenes.py: every ground-truth
object with its height, aspect (width / height), distance to the image border, whether it
is occluded, the best IoU any detection reaches with it and the IoU a perfect window of the
detector's shape would reach (a 32x64 window holding the object 56 px high, centred), then
recall by bin.

    Tools/.venv/bin/python Tools/scenes_recall_analysis.py SPLIT_DIR det.csv --seed 2 [--split train]

SPLIT_DIR is a make_scenes.py split folder (its annotations.csv); det.csv the detections
(`cvtool detect ... -o det.csv`, path,x,y,width,height,score, every score kept: the analysis
asks what the detector can find at all, i.e. the recall at the end of the PR curve). --seed
is the make_scenes.py --seed of that folder: the generator is replayed (nothing written but
a temporary CSV) to learn which objects it occluded, and the replayed annotations must equal
the folder's (checked).
"""
import argparse
import csv
import os
import sys
import tempfile
from collections import defaultdict

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_scenes  # noqa: E402


def replay_occlusion(split, seed, count):
    """The (x, y, w, h) of each occluded object, replaying make_scenes' random stream."""
    occluded = []
    original, imwrite = make_scenes.occlude, make_scenes.cv2.imwrite

    def recording(scene, x, y, w, h, rng, photos):
        occluded.append((x, y, w, h))
        return original(scene, x, y, w, h, rng, photos)

    make_scenes.occlude = recording
    make_scenes.cv2.imwrite = lambda *a, **k: True
    try:
        with tempfile.TemporaryDirectory() as tmp:
            photos = make_scenes.TRAIN_PHOTOS if split == "train" else make_scenes.TEST_PHOTOS
            make_scenes.make_split(tmp, split, count, seed if split == "train" else seed + 1000, photos, split == "train")
            rows = list(csv.reader(open(os.path.join(tmp, "annotations.csv"))))[1:]
    finally:
        make_scenes.occlude, make_scenes.cv2.imwrite = original, imwrite
    return set(occluded), rows


def iou(a, b):
    w = max(0.0, min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0]))
    h = max(0.0, min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1]))
    inter = w * h
    return inter / (a[2] * a[3] + b[2] * b[3] - inter)


def perfect_window_iou(w, h):
    """IoU of the object's box with the window the generator's positives are cut as."""
    s = h / make_scenes.OBJECT_IN_WINDOW
    ww, wh = make_scenes.WINDOW_W * s, make_scenes.WINDOW_H * s
    return iou((0, 0, w, h), ((w - ww) / 2, (h - wh) / 2, ww, wh))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("split_dir")
    ap.add_argument("detections")
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--split", default="train", choices=["train", "test"])
    ap.add_argument("--iou", type=float, default=0.5)
    args = ap.parse_args()

    gt_rows = list(csv.reader(open(os.path.join(args.split_dir, "annotations.csv"))))[1:]
    count = len({r[0] for r in gt_rows})
    count = max(int(os.path.basename(r[0]).split("_")[1].split(".")[0]) for r in gt_rows) + 1
    occluded, replayed = replay_occlusion(args.split, args.seed, count)
    if replayed != gt_rows:
        raise SystemExit("scenes_recall_analysis: the replayed annotations differ from the folder's (wrong --seed/--split?)")

    dets = defaultdict(list)
    for r in list(csv.reader(open(args.detections)))[1:]:
        dets[os.path.basename(r[0])].append(tuple(float(v) for v in r[1:5]))

    objects = []
    for r in gt_rows:
        x, y, w, h = (int(v) for v in r[1:5])
        best = max((iou((x, y, w, h), d) for d in dets[os.path.basename(r[0])]), default=0.0)
        border = min(x, y, make_scenes.SCENE_W - x - w, make_scenes.SCENE_H - y - h)
        objects.append(dict(h=h, aspect=w / h, border=border, occluded=(x, y, w, h) in occluded,
                            best=best, perfect=perfect_window_iou(w, h)))
    found = lambda o: o["best"] > args.iou
    n = len(objects)
    print(f"{n} objects, {sum(map(found, objects))} found at IoU > {args.iou} by some detection "
          f"(recall ceiling {sum(map(found, objects)) / n:.3f})")

    def table(title, key, bins):
        print(f"\n{title:<28} objects  found  recall")
        for lo, hi in zip(bins[:-1], bins[1:]):
            sel = [o for o in objects if lo <= key(o) < hi]
            if sel:
                k = sum(map(found, sel))
                print(f"  [{lo:g}, {hi:g}){'':<{20 - len(f'{lo:g}, {hi:g}')}} {len(sel):7d} {k:6d}  {k / len(sel):.3f}")

    table("height (px)", lambda o: o["h"], [48, 56, 64, 80, 100, 120, 141])
    table("aspect (w/h)", lambda o: o["aspect"], [0, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 2])
    table("border distance (px)", lambda o: o["border"], [0, 4, 8, 16, 32, 1000])
    table("occluded (0/1)", lambda o: int(o["occluded"]), [0, 1, 2])
    table("perfect-window IoU", lambda o: o["perfect"], [0, 0.45, 0.5, 0.55, 0.6, 0.7, 1.01])

    missed = [o for o in objects if not found(o)]
    print(f"\n{len(missed)} missed, by their best IoU with any detection:")
    for lo, hi in [(0, 0.1), (0.1, 0.3), (0.3, 0.4), (0.4, 0.5 + 1e-9)]:
        sel = [o for o in missed if lo <= o["best"] < hi]
        print(f"  [{lo:g}, {min(hi, 0.5):g}) {len(sel):5d}   occluded {sum(o['occluded'] for o in sel):3d}, "
              f"perfect window under 0.5: {sum(o['perfect'] <= args.iou for o in sel):3d}")


if __name__ == "__main__":
    main()
