#!/usr/bin/env python3
"""Before/after comparison of two cvtool builds on `cvtool bench` ops.

    Tools/bench_compare.py OLD_CVTOOL NEW_CVTOOL [ROUNDS]

Makes a 1080p photo (and its JPEG) under .bench/ with NEW_CVTOOL, then times each op at 1 and 2
threads, alternating the two binaries in separate processes ROUNDS times (default 3). Prints a
Markdown table: the median of the per-process medians for each binary and their ratio, then the
best per-process median of each and their ratio (below 1: the new build is faster).
"""
import json
import os
import statistics
import subprocess
import sys

old, new = sys.argv[1], sys.argv[2]
rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 3
root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
work = os.path.join(root, ".bench")
os.makedirs(work, exist_ok=True)
png, jpg = os.path.join(work, "coffee-1080p.png"), os.path.join(work, "coffee-1080p.jpg")
if not os.path.exists(png):
    subprocess.run([new, "resize", os.path.join(root, "Fixtures/images/coffee.jpg"), "--size", "1920x1080", "-o", png],
                   check=True, capture_output=True)
if not os.path.exists(jpg):
    subprocess.run([new, "convert", png, jpg], check=True, capture_output=True)

cases = [
    ("decode-png", png, []), ("decode-jpeg", jpg, []), ("gray", png, []),
    ("blur", png, ["--sigma", "2"]), ("box", png, ["--radius", "5"]),
    ("guided", png, ["--radius", "8", "--eps", "0.01"]), ("sobel", png, ["--dx", "1", "--dy", "0"]),
    ("canny", png, ["--preset", "opencv", "--low", "50", "--high", "150"]),
    ("canny", png, ["--preset", "scikit-image", "--sigma", "2"]),
    ("resize", png, ["--scale", "0.5"]),
    ("resize", png, ["--size", "1280x720", "--compat", "opencv", "--filter", "bilinear"]),
    ("fft", png, []), ("hog", png, []), ("hog-window", png, []),
]

print("| op | threads | before ms | after ms | after/before | best before | best after | ratio |")
print("|---|---|---|---|---|---|---|---|")
for op, path, extra in cases:
    for threads in (1, 2):
        medians = {old: [], new: []}
        for r in range(rounds):
            for binary in ((old, new) if r % 2 == 0 else (new, old)):
                cmd = [binary, "bench", op, path, *extra, "--threads", str(threads), "--json",
                       "--repeat", "15", "--min-time", "0.3"]
                p = subprocess.run(cmd, capture_output=True, text=True)
                if p.returncode != 0:
                    print("failed:", " ".join(cmd), p.stderr.strip(), file=sys.stderr)
                    medians[binary].append(float("nan"))
                    continue
                medians[binary].append(json.loads(p.stdout)["median_ms"])
        o, n = statistics.median(medians[old]), statistics.median(medians[new])
        bo, bn = min(medians[old]), min(medians[new])
        print(f"| {op} {' '.join(extra)} | {threads} | {o:.2f} | {n:.2f} | {n / o:.2f} | {bo:.2f} | {bn:.2f} | {bn / bo:.2f} |",
              flush=True)
