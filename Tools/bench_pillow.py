#!/usr/bin/env python3
"""cvtool's Pillow-compatible resize against whatever `PIL` this Python imports.

Tools/bench already compares against stock Pillow (from Tools/.venv). Pillow-SIMD replaces the
`PIL` package, so it cannot live in the same environment; Tools/bench_pillow_simd builds it in
Tools/.venv-simd and runs this script there. Needs only PIL, NumPy and a cvtool binary.

Timing is Tools/bench's: one warm-up call, then N timed calls, median; cvtool runs
`cvtool bench resize IMAGE --threads 1 --repeat N --json ...` (Pillow's resize is
single-threaded, so only 1-thread rows are compared).

Usage: bench_pillow.py --cvtool PATH [--image .bench/coffee-1080p.png] [--repeat 15] [--json]
"""
import argparse
import importlib.metadata
import json
import statistics
import subprocess
import sys
import time

import PIL
from PIL import Image

FILTERS = {"bilinear": Image.Resampling.BILINEAR, "bicubic": Image.Resampling.BICUBIC,
           "lanczos3": Image.Resampling.LANCZOS}
TARGETS = {"thumb": ["--fit", "160x160"], "half": ["--scale", "0.5"], "double": ["--scale", "2"]}


def target_size(w, h, target):
    if target == "thumb":
        s = min(160 / w, 160 / h)
        return min(160, max(1, round(w * s))), min(160, max(1, round(h * s)))
    f = 0.5 if target == "half" else 2.0
    return round(w * f), round(h * f)


def median_ms(fn, repeat):
    fn()
    samples = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t) * 1e3)
    return statistics.median(samples)


def cvtool_ms(cvtool, image, args, repeat):
    cmd = [cvtool, "bench", "resize", image, "--threads", "1", "--repeat", str(repeat), "--json", *args]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return float(json.loads([l for l in out.splitlines() if l.startswith("{")][-1])["median_ms"])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cvtool", required=True)
    ap.add_argument("--image", default=".bench/coffee-1080p.png")
    ap.add_argument("--repeat", type=int, default=15)
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    im = Image.open(a.image).convert("RGB")
    im.load()
    try:
        importlib.metadata.distribution("pillow-simd")
        lib = f"Pillow-SIMD {PIL.__version__}"
    except importlib.metadata.PackageNotFoundError:
        lib = f"Pillow {PIL.__version__}"
    rows = []
    for target, targs in TARGETS.items():
        size = target_size(im.width, im.height, target)
        for name, filt in FILTERS.items():
            theirs = median_ms(lambda: im.resize(size, filt), a.repeat)
            ours = cvtool_ms(a.cvtool, a.image, targs + ["--compat", "pillow", "--filter", name], a.repeat)
            rows.append(dict(target=target, filter=name, size=f"{size[0]}x{size[1]}", ours_ms=ours, pillow_ms=theirs,
                             ratio=ours / theirs))
        # The antialiased default (Lanczos-3 family) against Pillow's LANCZOS.
        theirs = median_ms(lambda: im.resize(size, Image.Resampling.LANCZOS), a.repeat)
        ours = cvtool_ms(a.cvtool, a.image, targs, a.repeat)
        rows.append(dict(target=target, filter="quality default vs lanczos3", size=f"{size[0]}x{size[1]}",
                         ours_ms=ours, pillow_ms=theirs, ratio=ours / theirs))
    if a.json:
        print(json.dumps({"library": lib, "rows": rows}, indent=1))
        return 0
    print(f"| target | filter | ours ms | {lib} ms | ours / theirs |")
    print("|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['target']} {r['size']} | {r['filter']} | {r['ours_ms']:.3f} | {r['pillow_ms']:.3f} | {r['ratio']:.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
