#!/usr/bin/env python3
"""Error of `cvtool bilateral --fast` against the exact filter (and cv2.bilateralFilter) on
OpenCV's sample photos: PSNR, max and mean absolute difference, share of samples off by > 2.

Usage: Tools/.venv/bin/python Tools/fast_bilateral_error.py --cvtool .build/release/cvtool [--gray]
Prints a Markdown table (the one in docs/fidelity.md, "Fast bilateral").
"""
import argparse, os, subprocess, tempfile
import cv2
import numpy as np

DATA = "/usr/share/doc/opencv-doc/examples/data"
CASES = [(9, 75, 75), (15, 40, 15), (31, 40, 31), (61, 40, 61)]


def run(cvtool, src, out, d, sc, ss, fast):
    cmd = [cvtool, "bilateral", src, "-o", out, "--diameter", str(d), "--sigma-color", str(sc), "--sigma-space", str(ss)]
    subprocess.run(cmd + (["--fast"] if fast else []), check=True, capture_output=True)
    return cv2.imread(out, cv2.IMREAD_UNCHANGED).astype(np.float64)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cvtool", required=True)
    ap.add_argument("--photos", default="fruits.jpg,baboon.jpg")
    ap.add_argument("--gray", action="store_true", help="convert the photos to gray first")
    args = ap.parse_args()
    print("| photo | d, σ_color, σ_space | PSNR | max abs | mean abs | samples off by > 2 |")
    print("|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for name in args.photos.split(","):
            img = cv2.imread(os.path.join(DATA, name), cv2.IMREAD_GRAYSCALE if args.gray else cv2.IMREAD_COLOR)
            src = os.path.join(tmp, "in.png")
            cv2.imwrite(src, img)
            for d, sc, ss in CASES:
                exact = run(args.cvtool, src, os.path.join(tmp, "e.png"), d, sc, ss, False)
                fast = run(args.cvtool, src, os.path.join(tmp, "f.png"), d, sc, ss, True)
                diff = np.abs(exact - fast)
                mse = float(np.mean(diff ** 2))
                psnr = 10 * np.log10(255 ** 2 / mse) if mse > 0 else float("inf")
                h, w = img.shape[:2]
                print(f"| {name} {w}×{h}{' gray' if args.gray else ''} | {d}, {sc}, {ss} | {psnr:.1f} dB | "
                      f"{diff.max():.0f} | {diff.mean():.2f} | {100 * np.mean(diff > 2):.1f}% |", flush=True)


if __name__ == "__main__":
    main()
