#!/usr/bin/env python3
"""Side-by-side SVM timings: cvtool (release) vs scikit-learn's LinearSVC (LIBLINEAR) and SVC (LIBSVM).

Usage:
  swift build -c release --product cvtool
  /work/venv-anchors/bin/python Tools/bench_svm.py [--cvtool .build/release/cvtool] [--sizes 10000,60000]
         [--threads 1,2] [--C 10] [--cache-mb 200] [--skip-sklearn-above 20000]

Data: Fashion-MNIST HOG (skimage.feature.hog, orientations=9, pixels_per_cell=(7,7),
cells_per_block=(2,2), L2-Hys; 324 float32 features), the first N training images; prediction
on the 10k test images. The tables are cached in /tmp/fmnist-hog-*.npy.

Times are in-process (fit_ms / predict_ms reported by cvtool --json; time.perf_counter around
fit/predict in Python), file I/O excluded. Ratios are anchor time / cvtool time (> 1: cvtool
faster). LIBSVM and LIBLINEAR are single-threaded; their figure is repeated for each thread count.
"""
import argparse
import gzip
import json
import os
import subprocess
import sys
import time

import numpy as np

FM = "/usr/share/datasets/fashion-mnist"


def idx(path, kind):
    with gzip.open(path, "rb") as f:
        data = f.read()
    if kind == "images":
        n = int.from_bytes(data[4:8], "big")
        return np.frombuffer(data, dtype=np.uint8, offset=16).reshape(n, 28, 28)
    return np.frombuffer(data, dtype=np.uint8, offset=8).astype(np.int64)


def hog_table(split):
    out = f"/tmp/fmnist-hog-{split}.npy"
    lab = f"/tmp/fmnist-hog-{split}-labels.txt"
    if not os.path.exists(out):
        from skimage.feature import hog
        prefix = "train" if split == "train" else "t10k"
        ims = idx(os.path.join(FM, f"{prefix}-images-idx3-ubyte.gz"), "images")
        x = np.asarray([hog(im, orientations=9, pixels_per_cell=(7, 7), cells_per_block=(2, 2), block_norm="L2-Hys") for im in ims],
                       dtype=np.float32)
        np.save(out, x)
        y = idx(os.path.join(FM, f"{prefix}-labels-idx1-ubyte.gz"), "labels")
        with open(lab, "w") as fh:
            fh.write("\n".join(str(v) for v in y) + "\n")
    x = np.load(out)
    y = np.array([int(v) for v in open(lab).read().split()])
    return x, y


def subset(x, y, n):
    path = f"/tmp/fmnist-hog-train-{n}.npy"
    lab = f"/tmp/fmnist-hog-train-{n}-labels.txt"
    if not os.path.exists(path):
        np.save(path, x[:n])
        with open(lab, "w") as fh:
            fh.write("\n".join(str(v) for v in y[:n]) + "\n")
    return path, lab


def cvtool(tool, args):
    r = subprocess.run([tool] + args, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"cvtool {' '.join(args)} failed: {r.stderr}")
    return json.loads(r.stdout.strip().splitlines()[-1])


def timed(fn, repeat=1):
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best * 1000


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cvtool", default=".build/release/cvtool")
    ap.add_argument("--sizes", default="10000,60000")
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--C", type=float, default=10.0)
    ap.add_argument("--cache-mb", type=float, default=200.0)
    ap.add_argument("--skip-sklearn-above", type=int, default=10 ** 9)
    ap.add_argument("--linear-only", action="store_true")
    ap.add_argument("--rbf-only", action="store_true")
    a = ap.parse_args()
    from sklearn.svm import LinearSVC, SVC
    import sklearn

    xtr, ytr = hog_table("train")
    xte, yte = hog_table("test")
    test_path, test_lab = "/tmp/fmnist-hog-test.npy", "/tmp/fmnist-hog-test-labels.txt"
    threads = [int(t) for t in a.threads.split(",")]
    rows = []
    for n in [int(s) for s in a.sizes.split(",")]:
        path, lab = subset(xtr, ytr, n)
        x, y = xtr[:n], ytr[:n]
        if not a.rbf_only:
            ms_ll = timed(lambda: LinearSVC(C=1.0, dual=True, tol=1e-4, max_iter=1000, random_state=0).fit(x, y))
            for t in threads:
                r = cvtool(a.cvtool, ["train", path, "--labels", lab, "-o", "/tmp/bench-lin.json", "--classifier", "linear-svm",
                                      "-C", "1", "--threads", str(t), "--json"])
                rows.append((f"linear-svm train n={n}", t, "LIBLINEAR (LinearSVC dual=True)", ms_ll, r["fit_ms"]))
        if a.linear_only:
            continue
        ms_svc = None
        if n <= a.skip_sklearn_above:
            svc = SVC(C=a.C, kernel="rbf", gamma="scale", tol=1e-3, cache_size=a.cache_mb)
            ms_svc = timed(lambda: svc.fit(x, y))
            ms_pred = timed(lambda: svc.predict(xte))
            acc_svc = float((svc.predict(xte) == yte).mean())
        for t in threads:
            r = cvtool(a.cvtool, ["train", path, "--labels", lab, "-o", f"/tmp/bench-svm-{n}.json", "--classifier", "svm",
                                  "-C", str(a.C), "--gamma", "scale", "--cache-mb", str(a.cache_mb), "--threads", str(t), "--json"])
            rows.append((f"rbf svm train n={n}", t, "LIBSVM (SVC, cache %g MB)" % a.cache_mb, ms_svc, r["fit_ms"]))
            p = cvtool(a.cvtool, ["predict", f"/tmp/bench-svm-{n}.json", test_path, "--threads", str(t), "--json"])
            rows.append((f"rbf svm predict 10k (model n={n})", t, "LIBSVM (SVC.predict)", ms_pred if ms_svc else None, p["predict_ms"]))
            if ms_svc and t == threads[0]:
                e = cvtool(a.cvtool, ["evaluate", f"/tmp/bench-svm-{n}.json", test_path, "--labels", test_lab, "--json"])
                print(f"# n={n}: test accuracy cvtool {e.get('accuracy')} vs SVC {acc_svc:.4f}", file=sys.stderr)
    print(f"scikit-learn {sklearn.__version__}; times in ms (in-process); ratio = anchor / cvtool")
    print(f"| operation | threads | anchor | anchor ms | cvtool ms | ratio |")
    print(f"|---|---|---|---|---|---|")
    for op, t, anchor, ams, cms in rows:
        ratio = f"{ams / cms:.2f}" if ams else "n/a"
        print(f"| {op} | {t} | {anchor} | {ams:.0f} | {cms:.0f} | {ratio} |" if ams else f"| {op} | {t} | {anchor} | not run | {cms:.0f} | n/a |")


if __name__ == "__main__":
    main()
