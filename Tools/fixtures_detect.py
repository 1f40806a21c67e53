#!/usr/bin/env python3
"""Reference outputs for CVDetect's multi-scale HOG detector (issue 20).

Writes Fixtures/detect/:
  people.json, daimler.json   OpenCV's two people detectors in CVDetect's model format
                              (weights in OpenCV's block order, bias separate)
  images/                     the inputs: basketball1/2.png and messi5.jpg as Debian's
                              opencv-doc ships them, three vtest.avi frames re-encoded as JPEG
                              (the references are computed on what cv2.imread decodes from
                              the committed files, so the tests see the same pixels)
  cases.json                  per image and option set: cv2.HOGDescriptor.detectMultiScale
                              grouped boxes + weights, the raw hits (groupThreshold=0), and
                              HOGDescriptor.detect on single pyramid levels
  resize.json                 cv2.resize(INTER_LINEAR_EXACT) of a small crop at pyramid sizes

Run: nice /work/main/Tools/.venv/bin/python Tools/fixtures_detect.py
"""
import hashlib
import json
import os
import shutil

import cv2
import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "Fixtures", "detect")
IMAGES = os.path.join(OUT, "images")
DATA = "/usr/share/doc/opencv-doc/examples/data"
os.makedirs(IMAGES, exist_ok=True)
cv2.setNumThreads(1)


def write_json(name, obj):
    with open(os.path.join(OUT, name), "w") as f:
        json.dump(obj, f, separators=(",", ":"))
        f.write("\n")


# --- models -------------------------------------------------------------------------------
def export_model(name, window, coefficients):
    c = np.asarray(coefficients, dtype=np.float32).ravel()
    hog = cv2.HOGDescriptor(window, (16, 16), (8, 8), (8, 8), 9)
    n = hog.getDescriptorSize()
    assert c.size == n + 1, (name, c.size, n)
    write_json(f"{name}.json", {
        "format": "classiccv-hog-detector",
        "version": 1,
        "name": name,
        "window": {"width": window[0], "height": window[1]},
        "hog": {"cellSize": 8, "blockSize": 16, "blockStride": 8, "orientations": 9,
                "winSigma": hog.winSigma, "L2HysThreshold": hog.L2HysThreshold,
                "gammaCorrection": bool(hog.gammaCorrection), "signedGradient": bool(hog.signedGradient)},
        "order": "opencv",
        # float32 values written as the shortest decimal that reads back to the same float32
        "weights": [float(np.format_float_positional(v, unique=True)) for v in c[:n]],
        "bias": float(np.format_float_positional(c[n], unique=True)),
    })


export_model("people", (64, 128), cv2.HOGDescriptor_getDefaultPeopleDetector())
export_model("daimler", (48, 96), cv2.HOGDescriptor_getDaimlerPeopleDetector())


# --- images -------------------------------------------------------------------------------
def copy_input(name):
    shutil.copyfile(os.path.join(DATA, name), os.path.join(IMAGES, name))
    return name


inputs = [copy_input("basketball1.png"), copy_input("basketball2.png"), copy_input("messi5.jpg")]
cap = cv2.VideoCapture(os.path.join(DATA, "vtest.avi"))
frame_index, wanted = 0, {0: None, 300: None, 600: None}
while True:
    ok, frame = cap.read()
    if not ok or frame_index > max(wanted):
        break
    if frame_index in wanted:
        name = f"vtest_{frame_index:04d}.jpg"
        cv2.imwrite(os.path.join(IMAGES, name), frame, [cv2.IMWRITE_JPEG_QUALITY, 80])
        inputs.append(name)
    frame_index += 1


def load(name):
    img = cv2.imread(os.path.join(IMAGES, name), cv2.IMREAD_UNCHANGED)
    if img.ndim == 3 and img.shape[2] == 4:
        img = img[:, :, :3]
    return img


def pixel_digest(img):
    # RGB order, as CVIO decodes; lets a test tell a decoder difference from a detector one.
    rgb = img[:, :, ::-1] if img.ndim == 3 else img
    return hashlib.sha256(np.ascontiguousarray(rgb).tobytes()).hexdigest()


def pyramid(w, h, win, scale0, nlevels=64):
    scales, scale = [], 1.0
    for _ in range(nlevels):
        scales.append(scale)
        if round(w / scale) < win[0] or round(h / scale) < win[1] or scale0 <= 1:
            break
        scale *= scale0
    return scales


def boxes(found, weights):
    w = np.asarray(weights, dtype=np.float64).ravel()
    return [[int(r[0]), int(r[1]), int(r[2]), int(r[3]), float(w[i])] for i, r in enumerate(found)]


people = cv2.HOGDescriptor()
people.setSVMDetector(cv2.HOGDescriptor_getDefaultPeopleDetector())
daimler = cv2.HOGDescriptor((48, 96), (16, 16), (8, 8), (8, 8), 9)
daimler.setSVMDetector(cv2.HOGDescriptor_getDaimlerPeopleDetector())

cases = []
runs = [(name, "people", people, (64, 128), pad) for name in inputs for pad in (8, 32)]
runs.append(("basketball1.png", "daimler", daimler, (48, 96), 32))
for name, model, hog, win, pad in runs:
    img = load(name)
    h, w = img.shape[:2]
    options = {"hitThreshold": 0.0, "winStride": 8, "padding": pad, "scale": 1.05, "groupThreshold": 2}
    found, weights = hog.detectMultiScale(img, hitThreshold=0, winStride=(8, 8), padding=(pad, pad),
                                          scale=1.05, groupThreshold=2)
    raw, raw_w = hog.detectMultiScale(img, hitThreshold=0, winStride=(8, 8), padding=(pad, pad),
                                      scale=1.05, groupThreshold=0)
    ms, ms_w = hog.detectMultiScale(img, hitThreshold=0, winStride=(8, 8), padding=(pad, pad),
                                    scale=1.05, groupThreshold=2, useMeanshiftGrouping=True)
    scales = pyramid(w, h, win, 1.05)
    levels = []
    for k in sorted({0, 1, 5, len(scales) // 2, len(scales) - 1}):
        s = scales[k]
        size = (round(w / s), round(h / s))
        level = img if size == (w, h) else cv2.resize(img, size, interpolation=cv2.INTER_LINEAR_EXACT)
        pts, ws = hog.detect(level, hitThreshold=0, winStride=(8, 8), padding=(pad, pad))
        pts = np.asarray(pts).reshape(-1, 2)
        ws = np.asarray(ws).ravel()
        levels.append({"level": k, "width": size[0], "height": size[1],
                       "hits": [[int(p[0]), int(p[1]), float(ws[i])] for i, p in enumerate(pts)]})
    cases.append({"image": name, "model": model, "width": w, "height": h, "channels": 1 if img.ndim == 2 else 3,
                  "sha256": pixel_digest(img), "options": options, "levels": len(scales),
                  "grouped": boxes(found, weights), "raw": boxes(raw, raw_w),
                  "meanshift": boxes(ms, ms_w), "singleLevels": levels})
    print(f"{name:18s} {model:8s} pad {pad:2d}: {len(found)} boxes, {len(raw)} raw hits, {len(scales)} levels")
write_json("cases.json", {"opencv": cv2.__version__, "cases": cases})

# --- INTER_LINEAR_EXACT -------------------------------------------------------------------
crops = [("basketball1.png", 200, 100, 60, 45), ("messi5.jpg", 300, 50, 50, 37)]
resized = []
for image_name, x, y, cw, ch in crops:
    crop = load(image_name)[y:y + ch, x:x + cw]
    for s in (1.05, 1.05 ** 7, 1.05 ** 14, 2.0, 0.8):
        size = (round(cw / s), round(ch / s))
        out = cv2.resize(crop, size, interpolation=cv2.INTER_LINEAR_EXACT)
        rgb_out = out[:, :, ::-1] if out.ndim == 3 else out
        resized.append({"image": image_name, "crop": [x, y, cw, ch], "width": size[0], "height": size[1],
                        "pixels": np.ascontiguousarray(rgb_out).ravel().tolist()})
write_json("resize.json", {"opencv": cv2.__version__, "cases": resized})
