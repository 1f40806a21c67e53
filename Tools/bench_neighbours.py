#!/usr/bin/env python3
"""Speed of CVLearn's k-nearest neighbours, LDA and verification (via `cvtool`) against
scikit-learn, side by side in one run.

Data: HOG features of Fashion-MNIST (`cvtool hog`, 7x7 cells, 2x2 blocks, 9 bins: 324 float32
features) — the 60,000 training rows and the 10,000 test rows; where the data set is not
installed, seeded synthetic features of those shapes.

Ops (both sides time only the computation, in-process; cvtool's --json reports it, file I/O
and model loading excluded):
  knn predict   k=5 uniform Euclidean, brute force: 60,000 training rows, 10,000 queries
                (sklearn KNeighborsClassifier(algorithm="brute").predict; cvtool predict_ms)
  lda fit       svd solver, and eigen with shrinkage="auto", on the 60,000 rows
  lda transform the 60,000 rows projected (9 components)
  verify        all 49,995,000 pairs of the 10,000 test rows, cosine: scores, roc_curve and
                roc_auc_score (sklearn: cosine_similarity, the upper triangle, roc_curve,
                roc_auc_score; cvtool verify's ms)

Threads: 1 and 2 (threadpoolctl limits scikit-learn's BLAS and OpenMP; --threads for cvtool).
Ratio = scikit-learn time / cvtool time (> 1: cvtool is faster). Median of --repeat runs
(after one warm-up) for each side, the two sides alternating.

Usage: Tools/bench_neighbours.py [--cvtool .build/release/cvtool] [--repeat 3] [--threads 1,2]
       [--ops knn,lda,verify] [--queries 10000] [--json]
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np
from sklearn.discriminant_analysis import LinearDiscriminantAnalysis
from sklearn.metrics import roc_auc_score, roc_curve
from sklearn.metrics.pairwise import cosine_similarity
from sklearn.neighbors import KNeighborsClassifier
from threadpoolctl import threadpool_limits

FASHION = "/usr/share/datasets/fashion-mnist"


def hog(cvtool, tmp, split):
    """`cvtool hog` of a Fashion-MNIST split (train or t10k), or None without the data set."""
    images = os.path.join(FASHION, f"{split}-images-idx3-ubyte.gz")
    labels = os.path.join(FASHION, f"{split}-labels-idx1-ubyte.gz")
    if not os.path.exists(images):
        return None
    out = os.path.join(tmp, f"{split}.npy")
    subprocess.run([cvtool, "hog", images, "--labels", labels, "--cell", "7x7", "--block", "2x2", "-o", out], check=True, capture_output=True)
    return out, np.load(out), np.load(os.path.join(tmp, f"{split}.labels.npy"))


def synthetic(tmp, split, n, seed):
    rng = np.random.default_rng(seed)
    centers = np.random.default_rng(0).gamma(2.0, 0.06, size=(10, 324)).astype(np.float32)
    y = rng.integers(0, 10, size=n)
    X = np.clip(centers[y] + rng.normal(0, 0.05, size=(n, 324)).astype(np.float32), 0, None).astype(np.float32)
    out = os.path.join(tmp, f"{split}.npy")
    np.save(out, X)
    np.save(os.path.join(tmp, f"{split}.labels.npy"), y)
    return out, X, y


def cvtool_json(cmd, threads):
    env = dict(os.environ, OPENBLAS_NUM_THREADS=str(threads))
    out = subprocess.run(cmd + ["--threads", str(threads), "--json"], check=True, capture_output=True, text=True, env=env).stdout
    return json.loads(out.strip().splitlines()[-1])


def alternate(sk, cv, repeat):
    """Medians of `repeat` runs of each side, alternating, after one warm-up each."""
    sk(), cv()
    a, b = [], []
    for _ in range(repeat):
        a.append(sk())
        b.append(cv())
    return statistics.median(a), statistics.median(b)


def timed(fn):
    t = time.perf_counter()
    fn()
    return (time.perf_counter() - t) * 1e3


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cvtool", default=os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), ".build", "release", "cvtool"))
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--ops", default="knn,lda,verify")
    ap.add_argument("--queries", type=int, default=10000)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="bench_neighbours_")
    train = hog(args.cvtool, tmp, "train") or synthetic(tmp, "train", 60000, 1)
    test = hog(args.cvtool, tmp, "t10k") or synthetic(tmp, "t10k", 10000, 2)
    trp, Xtr, ytr = train
    tep, Xte, yte = test
    if args.queries < len(Xte):
        Xte, yte = Xte[:args.queries], yte[:args.queries]
        tep = os.path.join(tmp, "queries.npy")
        np.save(tep, Xte)
        np.save(os.path.join(tmp, "queries.labels.npy"), yte)
    ops = args.ops.split(",")

    class Rows(list):
        """The table, each row echoed to stderr with its ratio as soon as it is measured."""
        def append(self, r):
            r["ratio"] = r["sklearn_ms"] / r["cvtool_ms"]
            print(f"{r['op']} threads={r['threads']}: sklearn {r['sklearn_ms']:.1f} ms, cvtool {r['cvtool_ms']:.1f} ms, ratio {r['ratio']:.2f}",
                  file=sys.stderr, flush=True)
            super().append(r)

    rows = Rows()
    knn_model = os.path.join(tmp, "knn.json")
    if "knn" in ops:
        subprocess.run([args.cvtool, "train", trp, "--classifier", "knn", "-o", knn_model], check=True, capture_output=True)
    for t in [int(v) for v in args.threads.split(",")]:
        with threadpool_limits(t):
            if "knn" in ops:
                m = KNeighborsClassifier(n_neighbors=5, algorithm="brute", n_jobs=t).fit(Xtr, ytr)
                sk, cv = alternate(lambda: timed(lambda: m.predict(Xte)),
                                   lambda: cvtool_json([args.cvtool, "predict", knn_model, tep], t)["predict_ms"], args.repeat)
                out = subprocess.run([args.cvtool, "predict", knn_model, tep], check=True, capture_output=True, text=True).stdout.split("\n")[1:-1]
                agree = float(np.mean(np.array([int(v) for v in out]) == m.predict(Xte)))
                rows.append(dict(op=f"knn predict k=5 ({len(Xtr)}x{Xtr.shape[1]}, {len(Xte)} queries)", threads=t, sklearn_ms=sk, cvtool_ms=cv, agreement=agree))
            if "lda" in ops:
                for solver, extra, skw in [("svd", [], {}), ("eigen auto", ["--solver", "eigen", "--shrinkage", "auto"], {"solver": "eigen", "shrinkage": "auto"})]:
                    lp = os.path.join(tmp, "lda.json")
                    cmd = [args.cvtool, "lda", "fit", trp, "-o", lp] + extra
                    results = []
                    sk, cv = alternate(lambda: timed(lambda: LinearDiscriminantAnalysis(**skw).fit(Xtr, ytr)),
                                       lambda: results.append(cvtool_json(cmd, t)) or results[-1]["fit_ms"], args.repeat)
                    rows.append(dict(op=f"lda fit {solver} ({len(Xtr)}x{Xtr.shape[1]})", threads=t, sklearn_ms=sk, cvtool_ms=cv))
                    fitted = LinearDiscriminantAnalysis(**skw).fit(Xtr, ytr)
                    sk_t = statistics.median(timed(lambda: fitted.transform(Xtr)) for _ in range(args.repeat + 1))
                    cv_t = statistics.median(r["transform_ms"] for r in results)
                    rows.append(dict(op=f"lda transform {solver} ({len(Xtr)} rows)", threads=t, sklearn_ms=sk_t, cvtool_ms=cv_t))
            if "verify" in ops:
                def sk_verify():
                    S = cosine_similarity(Xte)
                    iu = np.triu_indices(len(Xte), 1)
                    same = yte[iu[0]] == yte[iu[1]]
                    s = S[iu]
                    roc_curve(same, s)
                    return roc_auc_score(same, s)
                sk, cv = alternate(lambda: timed(sk_verify),
                                   lambda: cvtool_json([args.cvtool, "verify", tep, "--metric", "cosine"], t)["ms"], args.repeat)
                n = len(Xte)
                rows.append(dict(op=f"verify all pairs cosine ({n} rows, {n * (n - 1) // 2} pairs)", threads=t, sklearn_ms=sk, cvtool_ms=cv))
    if args.json:
        print(json.dumps(rows, indent=1))
        return
    print(f"{'operation':<58}{'thr':>4}{'sklearn ms':>12}{'cvtool ms':>11}{'ratio':>8}  agreement")
    for r in rows:
        agree = f"{100 * r['agreement']:.2f}%" if r.get("agreement") is not None else ""
        print(f"{r['op']:<58}{r['threads']:>4}{r['sklearn_ms']:>12.1f}{r['cvtool_ms']:>11.1f}{r['ratio']:>8.2f}  {agree}")
    print("ratio = scikit-learn time / cvtool time (> 1: cvtool faster); agreement = identical predicted labels")


if __name__ == "__main__":
    main()
