#!/usr/bin/env python3
"""The README's picture of SimCLR views: `cvtool augment --simclr` on a photo, tiled.

Runs cvtool (release build path as the first argument, default .build/release/cvtool) on
Fixtures/images/chelsea.png for 15 seeded views of 128x128 and tiles the photo's centre
square (first cell) and the views into docs/images/simclr-views.png. Pillow only tiles; every view is
cvtool's.

Run: Tools/.venv/bin/python Tools/simclr_grid.py [path/to/cvtool]
"""
import os
import subprocess
import sys
import tempfile

from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "..")


def main():
    cvtool = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, ".build", "release", "cvtool")
    photo = os.path.join(ROOT, "Fixtures", "images", "chelsea.png")
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([cvtool, "augment", photo, "--simclr", "--views", "15", "--seed", "2020", "--size", "128x128",
                        "-o", tmp], check=True)
        views = [Image.open(os.path.join(tmp, f"chelsea.view{k}.png")).convert("RGB") for k in range(15)]
    original = Image.open(photo).convert("RGB")
    side = min(original.size)  # the photo's centre square, so every cell is 128x128
    left, top = (original.width - side) // 2, (original.height - side) // 2
    original = original.crop((left, top, left + side, top + side)).resize((128, 128), Image.Resampling.LANCZOS)
    pad, cols = 4, 8
    grid = Image.new("RGB", (cols * (128 + pad) + pad, 2 * (128 + pad) + pad), "white")
    for k, tile in enumerate([original] + views):
        r, c = divmod(k, cols)
        grid.paste(tile, (pad + c * (128 + pad), pad + r * (128 + pad)))
    out = os.path.join(ROOT, "docs", "images", "simclr-views.png")
    grid.save(out, optimize=True)
    print(out, grid.size)


if __name__ == "__main__":
    main()
