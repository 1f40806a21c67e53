#!/usr/bin/env python3
"""Speed of CVLearn (via `cvtool`) against scikit-learn: Naive Bayes fit/predict and PCA fit.

Both sides get the same float32 matrix and time only the computation, in-process (cvtool's
`--json` reports fit_ms / predict_ms measured around the fit or prediction, file I/O
excluded). Median of --repeat runs; 1 and 2 threads (threadpoolctl for scikit-learn's BLAS,
`--threads` for cvtool). Ratio = scikit-learn time / cvtool time (> 1: cvtool is faster).

Data sets:
  hog    HOG features of the Fashion-MNIST training set, float32 60000 x 324 (`cvtool hog`,
         7x7 cells, 2x2 blocks, 9 bins) with its labels; where the data set is not installed,
         seeded synthetic features of that shape (non-negative, 10 class-dependent means)
  pixels raw Fashion-MNIST training pixels 60000 x 784 (float32 0..255) from
         /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz, when present

Usage: Tools/bench_learn.py [--cvtool .build/release/cvtool] [--repeat 5] [--threads 1,2]
       [--data hog,pixels] [--json]
"""
import argparse
import gzip
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np
from sklearn.decomposition import PCA
from sklearn.naive_bayes import ComplementNB, GaussianNB, MultinomialNB
from threadpoolctl import threadpool_limits

FASHION = "/usr/share/datasets/fashion-mnist"


def fashion_hog(cvtool, tmp):
    """HOG features of the 60 000 Fashion-MNIST training images (`cvtool hog`, 7×7 cells,
    2×2 blocks, 9 bins: 324 features), or None when the data set is not installed."""
    images = os.path.join(FASHION, "train-images-idx3-ubyte.gz")
    labels = os.path.join(FASHION, "train-labels-idx1-ubyte.gz")
    if not (os.path.exists(images) and os.path.exists(labels)):
        return None
    out = os.path.join(tmp, "fashion-hog.npy")
    subprocess.run([cvtool, "hog", images, "--labels", labels, "--cell", "7x7", "--block", "2x2", "-o", out],
                   check=True, capture_output=True)
    return np.load(out), np.load(os.path.join(tmp, "fashion-hog.labels.npy"))


def make_hog(n=60000, d=324, classes=10, seed=0):
    """Synthetic HOG-like features (for machines without the Fashion-MNIST package)."""
    rng = np.random.default_rng(seed)
    centers = rng.gamma(2.0, 0.06, size=(classes, d)).astype(np.float32)
    y = rng.integers(0, classes, size=n)
    X = centers[y] + rng.normal(0, 0.05, size=(n, d)).astype(np.float32)
    np.clip(X, 0, None, out=X)
    return X.astype(np.float32), y.astype(np.int64)


def load_pixels():
    with gzip.open(os.path.join(FASHION, "train-images-idx3-ubyte.gz")) as f:
        raw = f.read()
    n = int.from_bytes(raw[4:8], "big")
    X = np.frombuffer(raw, np.uint8, offset=16).reshape(n, -1).astype(np.float32)
    with gzip.open(os.path.join(FASHION, "train-labels-idx1-ubyte.gz")) as f:
        y = np.frombuffer(f.read(), np.uint8, offset=8).astype(np.int64)
    return X, y


def median_time(fn, repeat):
    fn()  # warm-up
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1e3)
    return statistics.median(times)


def cvtool_json(cmd, threads):
    env = dict(os.environ, OPENBLAS_NUM_THREADS=str(threads))
    out = subprocess.run(cmd + ["--threads", str(threads), "--json"], check=True, capture_output=True, text=True, env=env).stdout
    return json.loads(out.strip().splitlines()[-1])


def cvtool_median(cmd, key, threads, repeat):
    cvtool_json(cmd, threads)  # warm-up (page cache)
    return statistics.median(cvtool_json(cmd, threads)[key] for _ in range(repeat))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cvtool", default=os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), ".build", "release", "cvtool"))
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--data", default="hog,pixels")
    ap.add_argument("--components", type=int, default=50)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    threads = [int(t) for t in args.threads.split(",")]
    tmp = tempfile.mkdtemp(prefix="bench_learn_")
    rows = []
    for name in args.data.split(","):
        if name == "hog":
            data = fashion_hog(args.cvtool, tmp)
            if data is None:
                print("Fashion-MNIST not found: synthetic HOG-like features instead", file=sys.stderr)
                data = make_hog()
            X, y = data
        elif name == "pixels":
            if not os.path.exists(os.path.join(FASHION, "train-images-idx3-ubyte.gz")):
                print("skipping pixels: Fashion-MNIST not found", file=sys.stderr)
                continue
            X, y = load_pixels()
        else:
            sys.exit(f"unknown data set {name}")
        xp = os.path.join(tmp, f"{name}.npy")
        yp = os.path.join(tmp, f"{name}.labels.npy")
        np.save(xp, X)
        np.save(yp, y)
        shape = f"{X.shape[0]}x{X.shape[1]}"
        models = [("gaussian-nb", GaussianNB), ("multinomial-nb", MultinomialNB), ("complement-nb", ComplementNB)]
        for t in threads:
            with threadpool_limits(t):
                for kind, cls in models:
                    mp = os.path.join(tmp, f"{name}.{kind}.json")
                    sk_fit = median_time(lambda: cls().fit(X, y), args.repeat)
                    fitted = cls().fit(X, y)
                    sk_pred = median_time(lambda: fitted.predict(X), args.repeat)
                    cv_fit = cvtool_median([args.cvtool, "train", xp, "--labels", yp, "-o", mp, "--classifier", kind], "fit_ms", t, args.repeat)
                    cv_pred = cvtool_median([args.cvtool, "predict", mp, xp], "predict_ms", t, args.repeat)
                    agree = None
                    out = subprocess.run([args.cvtool, "predict", mp, xp], check=True, capture_output=True, text=True).stdout.split("\n")[1:-1]
                    agree = float(np.mean(np.array([int(v) for v in out]) == fitted.predict(X)))
                    rows.append(dict(data=name, shape=shape, op=f"{kind} fit", threads=t, sklearn_ms=sk_fit, cvtool_ms=cv_fit))
                    rows.append(dict(data=name, shape=shape, op=f"{kind} predict", threads=t, sklearn_ms=sk_pred, cvtool_ms=cv_pred, agreement=agree))
                k = args.components
                sk_pca = median_time(lambda: PCA(n_components=k).fit(X), args.repeat)
                solver = PCA(n_components=k).fit(X)._fit_svd_solver
                pp = os.path.join(tmp, f"{name}.pca.json")
                # In-process warm-up and median, as sklearn's side is timed (a cold process
                # would also pay for OpenBLAS's thread start-up and buffer page faults).
                cv_pca = cvtool_json([args.cvtool, "pca", "fit", xp, "-o", pp, "--components", str(k),
                                      "--repeat", str(args.repeat)], t)["fit_ms"]
                rows.append(dict(data=name, shape=shape, op=f"PCA k={k} fit ({solver})", threads=t, sklearn_ms=sk_pca, cvtool_ms=cv_pca))
    for r in rows:
        r["ratio"] = r["sklearn_ms"] / r["cvtool_ms"] if r["cvtool_ms"] > 0 else float("inf")
    if args.json:
        print(json.dumps(rows, indent=1))
        return
    print(f"{'data':<8}{'shape':<11}{'operation':<34}{'thr':>4}{'sklearn ms':>12}{'cvtool ms':>11}{'ratio':>8}  agreement")
    for r in rows:
        agree = f"{100 * r['agreement']:.2f}%" if r.get("agreement") is not None else ""
        print(f"{r['data']:<8}{r['shape']:<11}{r['op']:<34}{r['threads']:>4}{r['sklearn_ms']:>12.1f}{r['cvtool_ms']:>11.1f}{r['ratio']:>8.2f}  {agree}")
    print("ratio = scikit-learn time / cvtool time (> 1: cvtool faster); agreement = identical predicted labels")


if __name__ == "__main__":
    main()
