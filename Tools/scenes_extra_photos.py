#!/usr/bin/env python3
"""Negatives and validation scenes on photographs that neither split of make_scenes.py uses.

Tools/make_scenes.py cuts its training scenes, negatives and the validation scenes of another
seed from the same 12 training photographs, so a validation split of it cannot tell whether a
detector generalises to unseen backgrounds — which is where its test scenes (9 other
photographs) lose 0.03-0.06 AP. This script uses two further disjoint sets of photos, none of
them a test photo or a near copy of one (no left*/right* chessboards, no graf3), and none with
people:

    OUT/negatives/neg_000.png ...    480x360 crops of set A (extra negatives for training)
    OUT/val/images, annotations.csv  scenes of set B, made by make_scenes.make_split (training
                                     Fashion-MNIST items, the generator's own placement and
                                     occlusion), for validation on unseen backgrounds

The generator and its test split are untouched; nothing here reads a test photo.
Run: nice /work/main/Tools/.venv/bin/python Tools/scenes_extra_photos.py --out extra --negatives 150 --val 200
"""
import argparse
import os
import sys

import cv2
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_scenes  # noqa: E402

SET_A = ["aero3.jpg", "leuvenB.jpg", "blox.jpg", "cards.png", "pic1.png", "pic3.png", "pic5.png", "smarties.png",
         "sudoku.png", "sk:coins", "sk:moon", "sk:brick", "sk:gravel", "sk:clock"]
SET_B = ["Blender_Suzanne1.jpg", "aloeL.jpg", "box_in_scene.png", "chicky_512.png", "ela_original.jpg",
         "licenseplate_motion.jpg", "rubberwhale1.png", "pic2.png", "sk:page", "sk:hubble_deep_field",
         "sk:immunohistochemistry", "sk:grass"]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--negatives", type=int, default=150)
    ap.add_argument("--val", type=int, default=200)
    ap.add_argument("--seed", type=int, default=5)
    args = ap.parse_args()
    assert not set(SET_A) & set(SET_B) and not (set(SET_A) | set(SET_B)) & set(make_scenes.TEST_PHOTOS + make_scenes.TRAIN_PHOTOS)
    neg_dir = os.path.join(args.out, "negatives")
    os.makedirs(neg_dir, exist_ok=True)
    rng = np.random.default_rng(args.seed)
    photos = [make_scenes.load_photo(n) for n in SET_A]
    for k in range(args.negatives):
        neg = np.clip(np.round(make_scenes.background(rng, photos)), 0, 255).astype(np.uint8)
        cv2.imwrite(os.path.join(neg_dir, f"neg_{k:03d}.png"), neg[..., ::-1])
    if args.val > 0:
        n, _ = make_scenes.make_split(os.path.join(args.out, "val"), "train", args.val, args.seed + 1, SET_B, False)
        print(f"{args.negatives} negatives from set A, {args.val} validation scenes ({n} objects) on set B in {args.out}")


if __name__ == "__main__":
    main()
