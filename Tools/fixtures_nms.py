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

It also writes Fixtures/nms/evaluation.json: seeded random detections and ground truth
over a few dozen images, with PASCAL VOC average precision (all-point, VOC2010+, and
11-point, VOC2007) and the Caltech log-average miss rate computed by `voc_eval` /
`voc_ap` / `log_average_miss_rate` below: the formulas of the VOC devkit's voc_eval.py (as in
py-faster-rcnn) and of the Caltech toolbox's bbGt compRoc + dbEval, restated readably in
NumPy, with two deliberate differences from voc_eval.py: areas without its "+ 1" (continuous
coordinates, as CVDetect) and a stable ranking (np.argsort(kind="stable") over detections
listed image by image; voc_eval.py's default quicksort leaves tied scores in an unspecified
order). scikit-learn's average_precision_score is not used: it does not interpolate
precision and knows nothing of unmatched ground truth.

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


def box_iou(d, g):
    """IoU of x, y, w, h boxes, continuous coordinates (no + 1)."""
    w = max(0.0, min(d[0] + d[2], g[0] + g[2]) - max(d[0], g[0]))
    h = max(0.0, min(d[1] + d[3], g[1] + g[3]) - max(d[1], g[1]))
    inter = w * h
    union = d[2] * d[3] + g[2] * g[3] - inter
    return inter / union if union > 0 else 0.0


def voc_eval(dets, gts, iou_threshold):
    """Greedy VOC matching. dets/gts: per image, lists of [x, y, w, h, (score)].
    Returns the true-positive flag of each detection in ranked order."""
    flat = [(img, d) for img, ds in enumerate(dets) for d in ds]
    order = np.argsort(-np.array([d[4] for _, d in flat]), kind="stable")
    taken = [[False] * len(g) for g in gts]
    tp = []
    for k in order:
        img, d = flat[k]
        overlaps = [box_iou(d, g) for g in gts[img]]
        if overlaps and max(overlaps) > iou_threshold and not taken[img][int(np.argmax(overlaps))]:
            taken[img][int(np.argmax(overlaps))] = True
            tp.append(True)
        else:
            tp.append(False)
    return np.array(tp, bool)


def voc_ap(rec, prec, use_07_metric):
    if use_07_metric:
        ap = 0.0
        for t in np.arange(0.0, 1.1, 0.1):
            p = np.max(prec[rec >= t]) if np.sum(rec >= t) > 0 else 0.0
            ap += p / 11.0
        return ap
    mrec = np.concatenate(([0.0], rec, [1.0]))
    mpre = np.concatenate(([0.0], prec, [0.0]))
    for i in range(mpre.size - 1, 0, -1):
        mpre[i - 1] = max(mpre[i - 1], mpre[i])
    i = np.where(mrec[1:] != mrec[:-1])[0]
    return float(np.sum((mrec[i + 1] - mrec[i]) * mpre[i + 1]))


def log_average_miss_rate(tp, n_gt, n_images):
    """bbGt compRoc (roc=1) sampling at ref = 10.^(-2:.25:0), then dbEval's geometric mean."""
    fp = np.cumsum(~tp) / n_images
    rec = np.cumsum(tp) / n_gt
    xs1, ys1 = np.concatenate(([-np.inf], fp)), np.concatenate(([0.0], rec))
    samples = []
    for ref in 10.0 ** np.arange(-2.0, 0.25, 0.25):
        j = np.nonzero(xs1 <= ref)[0][-1]
        samples.append(1.0 - ys1[j])
    samples = np.array(samples)
    return float(np.exp(np.mean(np.log(np.maximum(1e-10, samples))))), samples.tolist()


def evaluation_case(rng, n_images, iou_threshold):
    gts, dets = [], []
    for _ in range(n_images):
        g = []
        for _ in range(rng.integers(0, 5)):
            w = float(rng.integers(20, 80)); h = float(round(w * rng.uniform(1.5, 2.5)))
            g.append([float(rng.integers(0, 600)), float(rng.integers(0, 400)), w, h])
        d = []
        for b in g:
            for _ in range(rng.choice([0, 1, 1, 1, 2])):  # missed, found, or found twice
                j = rng.normal(0, 0.12, 4) * np.array([b[2], b[3], b[2], b[3]])
                d.append([round(b[0] + j[0], 2), round(b[1] + j[1], 2), round(max(1.0, b[2] + j[2]), 2),
                          round(max(1.0, b[3] + j[3]), 2), float(np.round(rng.uniform(0.3, 1.0) * 20) / 20)])
        for _ in range(rng.poisson(1.5)):  # background false positives
            d.append([float(rng.integers(0, 600)), float(rng.integers(0, 400)), 40.0, 90.0,
                      float(np.round(rng.uniform(0.0, 0.8) * 20) / 20)])
        gts.append(g)
        dets.append(d)
    tp = voc_eval(dets, gts, iou_threshold)
    n_gt = sum(len(g) for g in gts)
    fp_c, tp_c = np.cumsum(~tp).astype(float), np.cumsum(tp).astype(float)
    rec = tp_c / n_gt
    prec = tp_c / np.maximum(tp_c + fp_c, np.finfo(np.float64).eps)
    lamr, samples = log_average_miss_rate(tp, n_gt, n_images)
    return {"iou": iou_threshold, "detections": dets, "ground_truth": gts, "matched": tp.tolist(),
            "precision": prec.tolist(), "recall": rec.tolist(),
            "ap": voc_ap(rec, prec, False), "ap11": voc_ap(rec, prec, True),
            "miss_rate_samples": samples, "lamr": lamr}


def evaluation_fixtures():
    rng = np.random.default_rng(20261208)
    cases = [evaluation_case(rng, n, t) for n, t in ((12, 0.5), (40, 0.5), (40, 0.7), (150, 0.5))]
    tmp = os.path.join(OUT, ".evaluation.json.tmp")
    with open(tmp, "w") as f:
        json.dump({"cases": cases}, f, separators=(",", ":"))
        f.write("\n")
    os.replace(tmp, os.path.join(OUT, "evaluation.json"))
    print("fixtures_nms: " + ", ".join(f"AP {c['ap']:.4f} / 11-pt {c['ap11']:.4f} / LAMR {c['lamr']:.4f}" for c in cases))


if __name__ == "__main__":
    main()
    evaluation_fixtures()
