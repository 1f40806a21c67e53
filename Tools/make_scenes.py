#!/usr/bin/env python3
"""An annotated detection benchmark with exact ground truth: Fashion-MNIST trousers pasted
on real photographs.

    Tools/make_scenes.py --out DIR [--seed 1] [--train 200] [--test 100]

writes

    DIR/train/images/scene_0000.png ...   scenes (480x360 RGB), 1-4 objects each
    DIR/train/annotations.csv             path,x,y,width,height (path relative to the CSV)
    DIR/train/positives/pos_00000.png ... 32x64 gray crops, one per unoccluded object, and
                                          its mirror image
    DIR/train/negatives/neg_000.png ...   480x360 crops of the training photos with no object
    DIR/test/images/..., DIR/test/annotations.csv   held-out scenes

Why trousers (Fashion-MNIST class 1): upright, taller than wide, two legs with strong
vertical edges -- the shape a HOG + linear SVM window was made for (Dalal & Triggs' people);
a 32x64 window (4x8 cells of 8 px) holds one with its 56 px height and ~4 px margins, and
the ground-truth box (the item's tight box) overlaps that window with IoU ~0.7, comfortably
above VOC's 0.5. Objects appear at heights 48 to 140 px (several pyramid levels), each
rendered dark on a bright background and bright on a dark one (its mean over the object's
box decides), so there is always contrast; about one in five is partly occluded by a patch of
another photograph covering 20-40 % of its box from one side (still annotated in full, as VOC
annotates occluded objects). Objects in a scene do not overlap (IoU < 0.05 with a margin).

Train and test differ in everything: the Fashion-MNIST items (train-images vs t10k-images),
the photographs (two disjoint lists below, from Debian's opencv-doc samples and
scikit-image's bundled images), and the random streams (seed and seed + 1000).
Deterministic for a given seed. Run with the anchors' venv:
    /work/main/Tools/.venv/bin/python Tools/make_scenes.py --out /tmp/scenes
"""
import argparse
import csv
import gzip
import os

import cv2
import numpy as np
from skimage import data as skdata

OPENCV_DATA = "/usr/share/doc/opencv-doc/examples/data"
FASHION = "/usr/share/datasets/fashion-mnist"
TROUSERS = 1
SCENE_W, SCENE_H = 480, 360
WINDOW_W, WINDOW_H = 32, 64
OBJECT_IN_WINDOW = 56  # object height inside the 64 px window

TRAIN_PHOTOS = ["baboon.jpg", "building.jpg", "fruits.jpg", "home.jpg", "aero1.jpg", "board.jpg",
                "leuvenA.jpg", "starry_night.jpg", "stuff.jpg", "sk:astronaut", "sk:chelsea", "sk:rocket"]
TEST_PHOTOS = ["orange.jpg", "apple.jpg", "butterfly.jpg", "squirrel_cls.jpg", "HappyFish.jpg",
               "graf1.png", "left01.jpg", "sk:coffee", "sk:camera"]


def load_photo(name):
    if name.startswith("sk:"):
        img = getattr(skdata, name[3:])()
        if img.ndim == 2:
            img = np.dstack([img] * 3)
        return np.ascontiguousarray(img[..., :3])
    bgr = cv2.imread(os.path.join(OPENCV_DATA, name), cv2.IMREAD_COLOR)
    if bgr is None:
        raise SystemExit(f"make_scenes: cannot read {OPENCV_DATA}/{name} (Debian package opencv-doc)")
    return bgr[..., ::-1].copy()


def load_items(split):
    prefix = "train" if split == "train" else "t10k"
    with gzip.open(os.path.join(FASHION, f"{prefix}-images-idx3-ubyte.gz")) as f:
        images = np.frombuffer(f.read(), np.uint8, offset=16).reshape(-1, 28, 28)
    with gzip.open(os.path.join(FASHION, f"{prefix}-labels-idx1-ubyte.gz")) as f:
        labels = np.frombuffer(f.read(), np.uint8, offset=8)
    return images[labels == TROUSERS]


def background(rng, photos):
    """A random 480x360 crop of a random photo, scaled up first when the photo is smaller."""
    img = photos[rng.integers(len(photos))]
    h, w = img.shape[:2]
    s = max(SCENE_W / w, SCENE_H / h, 1.0) * rng.uniform(1.0, 1.4)
    img = cv2.resize(img, (int(np.ceil(w * s)), int(np.ceil(h * s))), interpolation=cv2.INTER_AREA if s < 1 else cv2.INTER_LINEAR)
    y = rng.integers(0, img.shape[0] - SCENE_H + 1)
    x = rng.integers(0, img.shape[1] - SCENE_W + 1)
    return img[y:y + SCENE_H, x:x + SCENE_W].astype(np.float32)


def render_item(item, height):
    """The item scaled to `height` px (tight box), as (alpha, tight box size)."""
    ys, xs = np.nonzero(item > 8)
    tight = item[ys.min():ys.max() + 1, xs.min():xs.max() + 1].astype(np.float32)
    th, tw = tight.shape
    width = max(4, int(round(tw * height / th)))
    scaled = cv2.resize(tight, (width, height), interpolation=cv2.INTER_LINEAR)
    return np.clip(scaled / 255.0, 0, 1)


def paste(scene, alpha, x, y, rng):
    """Composites the item: dark on bright ground, bright on dark; returns the occluded share."""
    h, w = alpha.shape
    region = scene[y:y + h, x:x + w]
    bright = region.mean() > 110
    tone = rng.uniform(10, 50) if bright else rng.uniform(200, 250)
    colour = np.array([tone] * 3, np.float32) + rng.uniform(-10, 10, 3).astype(np.float32)
    a = np.clip(alpha * 1.6, 0, 1)[..., None]
    shade = (0.75 + 0.25 * alpha)[..., None]  # keep the item's own texture a little
    scene[y:y + h, x:x + w] = region * (1 - a) + a * np.clip(colour * shade, 0, 255)


def occlude(scene, x, y, w, h, rng, photos):
    """Covers 20-40 % of the box from one side with a patch of another photo."""
    share = rng.uniform(0.2, 0.4)
    patch = background(rng, photos)
    side = rng.integers(4)
    if side == 0:  # left
        pw = int(w * share); scene[y:y + h, x:x + pw] = patch[y:y + h, x:x + pw]
    elif side == 1:  # right
        pw = int(w * share); scene[y:y + h, x + w - pw:x + w] = patch[y:y + h, x + w - pw:x + w]
    elif side == 2:  # bottom
        ph = int(h * share); scene[y + h - ph:y + h, x:x + w] = patch[y + h - ph:y + h, x:x + w]
    else:  # top
        ph = int(h * share); scene[y:y + ph, x:x + w] = patch[y:y + ph, x:x + w]


def iou(a, b):
    w = max(0, min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0]))
    h = max(0, min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1]))
    return w * h / (a[2] * a[3] + b[2] * b[3] - w * h)


def window_crop(scene_gray, box):
    """The 32x64 window around a ground-truth box (object 56 of 64 px high, centred)."""
    x, y, w, h = box
    scale = h / OBJECT_IN_WINDOW
    ww, wh = WINDOW_W * scale, WINDOW_H * scale
    cx, cy = x + w / 2, y + h / 2
    m = np.float32([[1 / scale, 0, -(cx - ww / 2) / scale], [0, 1 / scale, -(cy - wh / 2) / scale]])
    return cv2.warpAffine(scene_gray, m, (WINDOW_W, WINDOW_H), flags=cv2.INTER_AREA, borderMode=cv2.BORDER_REFLECT_101)


def make_split(out, split, count, seed, photos_names, positives):
    rng = np.random.default_rng(seed)
    photos = [load_photo(n) for n in photos_names]
    items = load_items(split)
    for sub in ("images", "positives", "negatives") if positives else ("images",):
        os.makedirs(os.path.join(out, sub), exist_ok=True)
    rows, n_pos = [], 0
    for k in range(count):
        scene = background(rng, photos)
        clean = scene.copy()
        boxes = []
        for _ in range(rng.integers(1, 5)):
            height = int(rng.integers(48, 141))
            alpha = render_item(items[rng.integers(len(items))], height)
            h, w = alpha.shape
            for _attempt in range(30):
                x, y = int(rng.integers(0, SCENE_W - w + 1)), int(rng.integers(0, SCENE_H - h + 1))
                grown = (x - 6, y - 6, w + 12, h + 12)
                if all(iou(grown, b[:4]) < 0.05 for b in boxes):
                    break
            else:
                continue
            paste(scene, alpha, x, y, rng)
            occluded = rng.random() < 0.2
            if occluded:
                occlude(scene, x, y, w, h, rng, photos)
            boxes.append((x, y, w, h, occluded))
        name = f"scene_{k:04d}.png"
        img = np.clip(np.round(scene), 0, 255).astype(np.uint8)
        cv2.imwrite(os.path.join(out, "images", name), img[..., ::-1])
        for b in boxes:
            rows.append([f"images/{name}", *b[:4]])
        if positives:
            gray = cv2.cvtColor(img, cv2.COLOR_RGB2GRAY)
            for b in boxes:
                if b[4]:
                    continue
                crop = window_crop(gray, b[:4])
                for variant in (crop, crop[:, ::-1]):
                    cv2.imwrite(os.path.join(out, "positives", f"pos_{n_pos:05d}.png"), variant)
                    n_pos += 1
            if k % 2 == 0:  # a negative image: the same kind of background, no object
                neg = np.clip(np.round(background(rng, photos)), 0, 255).astype(np.uint8)
                cv2.imwrite(os.path.join(out, "negatives", f"neg_{k // 2:03d}.png"), neg[..., ::-1])
    tmp = os.path.join(out, ".annotations.csv.tmp")
    with open(tmp, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["path", "x", "y", "width", "height"])
        w.writerows(rows)
    os.replace(tmp, os.path.join(out, "annotations.csv"))
    return len(rows), n_pos


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--train", type=int, default=200, help="training scenes (default 200)")
    ap.add_argument("--test", type=int, default=100, help="test scenes (default 100)")
    args = ap.parse_args()
    n_train, n_pos = make_split(os.path.join(args.out, "train"), "train", args.train, args.seed, TRAIN_PHOTOS, True)
    n_test, _ = make_split(os.path.join(args.out, "test"), "test", args.test, args.seed + 1000, TEST_PHOTOS, False)
    print(f"make_scenes: {args.train} training scenes ({n_train} objects, {n_pos} positive crops), "
          f"{args.test} test scenes ({n_test} objects) -> {args.out}")


if __name__ == "__main__":
    main()
