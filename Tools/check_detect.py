#!/usr/bin/env python3
"""Checks a release cvtool's `detect` against every case of Fixtures/detect/cases.json.

The XCTest suite (a debug build) scans one vtest frame's whole pyramid; this runs all 19 cases
(cases.json: 6 images x padding 8/32 with the people detector, basketball1 with Daimler;
stride_cases.json: window strides 4x4, 4x8, 8x4 and 12x6, off the block grid) with the three
groupings, and prints the figures of docs/fidelity.md. Criteria: raw hits identical as sets
(scores within 1e-4); grouped boxes the same count, every box matched both ways at IoU >= 0.9,
>= 95 % identical to the pixel, scores within 1e-4 (relative for mean-shift densities).

Run: swift build -c release --product cvtool && python3 Tools/check_detect.py [CVTOOL]
"""
import json
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CVTOOL = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, ".build", "release", "cvtool")


def run(case, grouping):
    image = os.path.join(ROOT, "Fixtures", "detect", "images", case["image"])
    o = case["options"]
    with tempfile.TemporaryDirectory() as d:
        out = os.path.join(d, "found.json")
        subprocess.run([CVTOOL, "detect", image, "--model", case["model"], "--padding", f"{o['padding']}x{o['padding']}",
                        "--stride", f"{o['winStride']}x{o.get('winStrideHeight', o['winStride'])}", "--scale", str(o["scale"]),
                        "--group-threshold", str(o["groupThreshold"]), "--grouping", grouping, "-o", out],
                       check=True, capture_output=True)
        with open(out) as f:
            return [[b["x"], b["y"], b["width"], b["height"], b["score"]] for b in json.load(f)[0]["detections"]]


def iou(a, b):
    iw = max(0, min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0]))
    ih = max(0, min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1]))
    inter = iw * ih
    return inter / (a[2] * a[3] + b[2] * b[3] - inter)


def main():
    cases = [c for name in ("cases.json", "stride_cases.json")
             for c in json.load(open(os.path.join(ROOT, "Fixtures", "detect", name)))["cases"]]
    ok = True
    totals = {}
    for grouping, key in (("none", "raw"), ("rectangles", "grouped"), ("meanshift", "meanshift")):
        boxes = identical = 0
        worst = 0.0
        for c in cases:
            ours, theirs = run(c, grouping), c[key]
            o = c["options"]
            label = f"{c['image']} {c['model']} pad {o['padding']} stride {o['winStride']}x{o.get('winStrideHeight', o['winStride'])} {grouping}"
            if len(ours) != len(theirs):
                print(f"FAIL {label}: {len(ours)} boxes, OpenCV {len(theirs)}")
                ok = False
            for t in theirs:
                best = max(ours, key=lambda o: iou(o, t), default=None)
                if best is None or iou(best, t) < 0.9:
                    print(f"FAIL {label}: OpenCV's {t} unmatched")
                    ok = False
                    continue
                identical += best[:4] == t[:4]
                worst = max(worst, abs(best[4] - t[4]) / max(1.0, abs(t[4])))
            for o in ours:
                if not any(iou(o, t) >= 0.9 for t in theirs):
                    print(f"FAIL {label}: our {o} unmatched")
                    ok = False
            boxes += len(theirs)
        totals[grouping] = (boxes, identical, worst)
        print(f"{grouping:10s}: {boxes} OpenCV boxes over {len(cases)} cases, {identical} identical to the pixel, "
              f"max score difference {worst:.2e}")
        if identical < 0.95 * boxes or worst > 1e-4:
            ok = False
    print("all cases pass" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
