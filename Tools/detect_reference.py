"""Helpers shared by the detector's fixture scripts (fixtures_detect.py,
fixtures_detect_stride.py): OpenCV's two detectors, reading an input as cv2 sees it, its pixel
digest, OpenCV's pyramid rule and boxes with their weights as JSON lists."""
import hashlib

import cv2
import numpy as np


def detectors():
    """OpenCV's people (64x128) and Daimler (48x96) detectors."""
    people = cv2.HOGDescriptor()
    people.setSVMDetector(cv2.HOGDescriptor_getDefaultPeopleDetector())
    daimler = cv2.HOGDescriptor((48, 96), (16, 16), (8, 8), (8, 8), 9)
    daimler.setSVMDetector(cv2.HOGDescriptor_getDaimlerPeopleDetector())
    return people, daimler


def load_image(path):
    img = cv2.imread(path, cv2.IMREAD_UNCHANGED)
    if img.ndim == 3 and img.shape[2] == 4:
        img = img[:, :, :3]
    return img


def pixel_digest(img):
    # RGB order, as CVIO decodes; lets a test tell a decoder difference from a detector one.
    rgb = img[:, :, ::-1] if img.ndim == 3 else img
    return hashlib.sha256(np.ascontiguousarray(rgb).tobytes()).hexdigest()


def pyramid(w, h, win, scale0, nlevels=64):
    # HOGDescriptor::detectMultiScale: the loop counter, not the list, sets the level count, so
    # the first scale too small for the window is listed and then dropped.
    scales, scale, levels = [], 1.0, 0
    while levels < nlevels:
        scales.append(scale)
        if round(w / scale) < win[0] or round(h / scale) < win[1] or scale0 <= 1:
            break
        scale *= scale0
        levels += 1
    return scales[:max(levels, 1)]


def boxes(found, weights):
    w = np.asarray(weights, dtype=np.float64).ravel()
    return [[int(r[0]), int(r[1]), int(r[2]), int(r[3]), float(w[i])] for i, r in enumerate(found)]
