#!/usr/bin/env python3
"""The fast bilateral's radius sweep: `cvtool bench bilateral --fast` against our exact filter
and cv2.bilateralFilter (exact; OpenCV has no fast bilateral with the same meaning) at
d = 5, 9, 15, 31, 61, σ_color 40, σ_space = d, on a 1080p photo, gray and RGB, 1 and 2 threads.
The three are run alternately, `--rounds` times; the table shows the medians.

Usage: Tools/.venv/bin/python Tools/bench_fast_bilateral.py --cvtool .build/release/cvtool \
           --image coffee-1080p.png [--rounds 3] [--exact-max 31]
"""
import argparse, json, statistics, subprocess, time
import cv2


def ours(cvtool, image, d, gray, threads, fast, repeat):
    cmd = [cvtool, "bench", "bilateral", image, "--diameter", str(d), "--sigma-color", "40", "--sigma-space", str(d),
           "--threads", str(threads), "--repeat", str(repeat), "--json"] + (["--gray"] if gray else []) + (["--fast"] if fast else [])
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return json.loads(out)["median_ms"]


def opencv(img, d, threads, repeat):
    cv2.setNumThreads(threads)
    cv2.bilateralFilter(img, d, 40, d)
    times = []
    for _ in range(repeat):
        t = time.perf_counter(); cv2.bilateralFilter(img, d, 40, d); times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cvtool", required=True)
    ap.add_argument("--image", required=True)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--diameters", default="5,9,15,31,61")
    ap.add_argument("--exact-max", type=int, default=61, help="largest d for which the exact filters are timed")
    ap.add_argument("--threads", default="1,2")
    args = ap.parse_args()
    rgb = cv2.cvtColor(cv2.imread(args.image, cv2.IMREAD_COLOR), cv2.COLOR_BGR2RGB)
    gray = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    print("| image | d | threads | fast ms | our exact ms | cv2 exact ms | fast / cv2 exact |")
    print("|---|---|---|---|---|---|---|")
    for is_gray in (True, False):
        img = gray if is_gray else rgb
        for d in [int(x) for x in args.diameters.split(",")]:
            for th in [int(t) for t in args.threads.split(",")]:
                exact = d <= args.exact_max
                rep = 5 if d <= 15 else 1
                f, e, c = [], [], []
                for _ in range(args.rounds):
                    f.append(ours(args.cvtool, args.image, d, is_gray, th, True, 5))
                    if exact:
                        e.append(ours(args.cvtool, args.image, d, is_gray, th, False, rep))
                        c.append(opencv(img, d, th, rep))
                fm = statistics.median(f)
                em = f"{statistics.median(e):.1f}" if e else "–"
                cm = statistics.median(c) if c else None
                print(f"| {'gray' if is_gray else 'RGB'} | {d} | {th} | {fm:.1f} | {em} | "
                      f"{f'{cm:.1f}' if cm else '–'} | {f'{fm / cm:.2f}' if cm else '–'} |", flush=True)


if __name__ == "__main__":
    main()
