#!/usr/bin/env python3
"""Reference outputs for CVDetect's non-maximum suppression (issue 20).

Writes Fixtures/nms/cases.json: seeded random box sets (clustered, with tied scores and
exact duplicate boxes, with classes) and, for each case, the kept indices (and Soft-NMS's
updated scores) of

- cv2.dnn.NMSBoxes (integer boxes -> cv::Rect, fractional boxes -> cv::Rect2d; score
  threshold, eta and top_k varied), cv2.dnn.NMSBoxesBatched,
- cv2.dnn.softNMSBoxes, linear and Gaussian (integer boxes: it only takes cv::Rect),
- torchvision's nms / batched_nms: torchvision is not installed here, so `torchvision_nms`
  below is a small readable NumPy statement of its documented semantics (corner boxes
  x1 = x, x2 = x + w; area without + 1; IoU in float64; suppressed when IoU > threshold;
  candidates by decreasing score, ties in input order; batched = per class),
- dlib's test_box_overlap used greedily (`dlib_nms`, NumPy, from dlib's
  box_overlap_testing.h: IoU > iou_thresh or intersection / area > percent_covered_thresh
  for either box; boxes that do not intersect never match).

Deterministic. Run: /work/main/Tools/.venv/bin/python Tools/fixtures_nms.py
"""
import json
import os

import cv2
import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "Fixtures", "nms")


def box_set(rng, n, fractional, classes):
    """n boxes in clusters around a few centres (as a detector's hits), scores on a 0.05 grid
    (many ties), about 5 % exact duplicates of earlier boxes."""
    centres = rng.uniform([40, 40], [600, 440], size=(max(1, n // 12), 2))
    sizes = rng.uniform([16, 32], [96, 180], size=(len(centres), 2))
    which = rng.integers(0, len(centres), n)
    wh = sizes[which] * rng.uniform(0.8, 1.25, size=(n, 2))
    xy = centres[which] - wh / 2 + rng.normal(0, 6, size=(n, 2))
    boxes = np.concatenate([xy, wh], axis=1)
    if not fractional:
        boxes = np.round(boxes)
    else:
        boxes = np.round(boxes * 16) / 16  # exact in binary, still fractional
    boxes[:, :2] = np.maximum(boxes[:, :2], 0)  # NMSBoxesBatched's offset trick needs x, y >= 0
    scores = (np.round(rng.uniform(0, 1, n) * 20) / 20).astype(np.float32)
    dup = rng.random(n) < 0.05
    for i in np.nonzero(dup)[0]:
        if i > 0:
            j = rng.integers(0, i)
            boxes[i] = boxes[j]
            if rng.random() < 0.5:
                scores[i] = scores[j]
    cls = rng.integers(0, classes, n) if classes > 1 else None
    return boxes, scores, cls


def torchvision_nms(boxes, scores, iou, classes=None):
    """torchvision.ops.nms (classes=None) or batched_nms semantics, in float64."""
    x1, y1 = boxes[:, 0], boxes[:, 1]
    x2, y2 = boxes[:, 0] + boxes[:, 2], boxes[:, 1] + boxes[:, 3]
    area = (x2 - x1) * (y2 - y1)
    order = np.argsort(-scores.astype(np.float64), kind="stable")
    kept = []
    for i in order:
        ok = True
        for k in kept:
            if classes is not None and classes[k] != classes[i]:
                continue
            w = max(0.0, min(x2[i], x2[k]) - max(x1[i], x1[k]))
            h = max(0.0, min(y2[i], y2[k]) - max(y1[i], y1[k]))
            inter = w * h
            with np.errstate(invalid="ignore", divide="ignore"):
                if inter / (area[i] + area[k] - inter) > iou:
                    ok = False
                    break
        if ok:
            kept.append(int(i))
    return kept


def dlib_nms(boxes, scores, iou, covered):
    """Greedy suppression with dlib's test_box_overlap(iou_thresh, percent_covered_thresh)."""
    x1, y1 = boxes[:, 0], boxes[:, 1]
    x2, y2 = boxes[:, 0] + boxes[:, 2], boxes[:, 1] + boxes[:, 3]
    area = boxes[:, 2] * boxes[:, 3]
    kept = []
    for i in np.argsort(-scores.astype(np.float64), kind="stable"):
        ok = True
        for k in kept:
            inner = max(0.0, min(x2[i], x2[k]) - max(x1[i], x1[k])) * max(0.0, min(y2[i], y2[k]) - max(y1[i], y1[k]))
            if inner == 0:
                continue
            if inner / (area[i] + area[k] - inner) > iou or inner / area[i] > covered or inner / area[k] > covered:
                ok = False
                break
        if ok:
            kept.append(int(i))
    return kept


def cv_boxes(boxes, fractional):
    return boxes.tolist() if fractional else boxes.astype(np.int32).tolist()


def main():
    rng = np.random.default_rng(20261207)
    sets, cases = {}, []
    for n in (20, 300, 1500):
        for fractional in (False, True):
            name = f"{'frac' if fractional else 'int'}{n}"
            boxes, scores, cls = box_set(rng, n, fractional, classes=4)
            sets[name] = {"boxes": boxes.tolist(), "scores": [float(s) for s in scores],
                          "classes": [int(c) for c in cls], "fractional": fractional}
            b = cv_boxes(boxes, fractional)
            s = scores.tolist()
            for st, it, eta, top_k in ((0.0, 0.5, 1.0, 0), (0.3, 0.4, 1.0, 0), (0.2, 0.7, 0.9, 0),
                                       (0.1, 0.5, 1.0, max(1, n // 3)), (0.0, 0.0, 1.0, 0)):
                idx = cv2.dnn.NMSBoxes(b, s, st, it, eta=eta, top_k=top_k)
                cases.append({"set": name, "method": "opencv", "score_threshold": st, "iou": it, "eta": eta,
                              "top_k": top_k, "indices": np.asarray(idx).reshape(-1).tolist()})
                idx = cv2.dnn.NMSBoxesBatched(b, s, cls.tolist(), st, it, eta=eta, top_k=top_k)
                cases.append({"set": name, "method": "opencv_batched", "score_threshold": st, "iou": it, "eta": eta,
                              "top_k": top_k, "indices": np.asarray(idx).reshape(-1).tolist()})
            for it in (0.3, 0.5, 0.7):
                cases.append({"set": name, "method": "torchvision", "iou": it,
                              "indices": torchvision_nms(boxes, scores, it)})
                cases.append({"set": name, "method": "torchvision_batched", "iou": it,
                              "indices": torchvision_nms(boxes, scores, it, cls)})
            for it, cov in ((0.5, 1.0), (0.4, 0.8)):
                cases.append({"set": name, "method": "dlib", "iou": it, "covered": cov,
                              "indices": dlib_nms(boxes, scores, it, cov)})
            if fractional:
                continue  # softNMSBoxes only takes cv::Rect
            for method, label in ((cv2.dnn.SOFT_NMSMETHOD_SOFTNMS_LINEAR, "soft_linear"),
                                  (cv2.dnn.SOFT_NMSMETHOD_SOFTNMS_GAUSSIAN, "soft_gaussian")):
                for st, it, sigma, top_k in ((0.0, 0.3, 0.5, 0), (0.25, 0.5, 0.8, 0), (0.1, 0.3, 0.3, max(1, n // 4))):
                    upd, idx = cv2.dnn.softNMSBoxes(b, s, st, it, top_k=top_k, sigma=sigma, method=method)
                    cases.append({"set": name, "method": label, "score_threshold": st, "iou": it, "sigma": sigma,
                                  "top_k": top_k, "indices": np.asarray(idx).reshape(-1).tolist(),
                                  "updated_scores": [float(u) for u in np.asarray(upd).reshape(-1)]})
    os.makedirs(OUT, exist_ok=True)
    tmp = os.path.join(OUT, ".cases.json.tmp")
    with open(tmp, "w") as f:
        json.dump({"opencv": cv2.__version__, "sets": sets, "cases": cases}, f, separators=(",", ":"))
        f.write("\n")
    os.replace(tmp, os.path.join(OUT, "cases.json"))
    print(f"fixtures_nms: {len(cases)} cases over {len(sets)} box sets -> {OUT}/cases.json")


if __name__ == "__main__":
    main()
