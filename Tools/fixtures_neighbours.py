#!/usr/bin/env python3
"""scikit-learn reference outputs for CVLearn's neighbours, discriminant and verification tests.

Reads the tables Tools/fixtures_learn.py wrote (Fixtures/learn/digits.csv, blobs.csv) and, when
present, Fashion-MNIST (/usr/share/datasets/fashion-mnist: the first 2,000 training and 500 test
images as raw pixels, and the same images as `cvtool hog --cell 7x7 --block 2x2` float32 features,
for which the script runs cvtool: $CVTOOL, default .build/debug/cvtool). Writes
Fixtures/learn/neighbours.json:

  knn_<set>_<metric>_<weights>_k<k>  predict (all test rows), predict_proba (first 60 rows),
                                     kneighbors distances (first 20 rows); fashion_hog: k = 5 and
                                     k = 10 (an even k: tied votes go to the smaller class)
  lda_<set>_<solver>...              transform (first 100 test rows), predict, predict_proba, decision_function,
                                     explained_variance_ratio_, priors_
  roc_ties                           2,000 scores with ties and labels; roc_curve and roc_auc_score
  verify_<set>_<metric>              roc_curve (every 37th point and the count) / roc_auc_score of
                                     all pairs of the first rows
  retrieve_<set>_<metric>            recall@1/5/10 and mean average_precision_score per query

Run: /work/main/Tools/.venv/bin/python Tools/fixtures_neighbours.py
"""
import gzip
import json
import os
import subprocess
import tempfile

import numpy as np
from sklearn.discriminant_analysis import LinearDiscriminantAnalysis
from sklearn.metrics import average_precision_score, roc_auc_score, roc_curve
from sklearn.neighbors import KNeighborsClassifier

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "Fixtures", "learn")
FASHION = "/usr/share/datasets/fashion-mnist"


def read_csv(name):
    with open(os.path.join(OUT, name)) as f:
        f.readline()
        rows = [line.rstrip("\n").split(",") for line in f]
    y = np.array([r[0] for r in rows])
    X = np.array([[float(v) for v in r[1:]] for r in rows])
    return X, y


def idx(name):
    with gzip.open(os.path.join(FASHION, name)) as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    a = np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)
    return a.reshape(shape[0], -1).astype(np.float64) if dims > 1 else a.astype(np.int64)


def hog(name):
    """`cvtool hog --cell 7x7 --block 2x2` of a Fashion-MNIST image file: float32, 324 per image."""
    cvtool = os.environ.get("CVTOOL", os.path.join(ROOT, ".build", "debug", "cvtool"))
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "hog.npy")
        subprocess.run([cvtool, "hog", os.path.join(FASHION, name), "--cell", "7x7", "--block", "2x2", "-o", out],
                       check=True, capture_output=True)
        return np.load(out)


def fl(a):
    return [float(v) for v in np.asarray(a, dtype=np.float64).ravel()]


ref = {}
sets = {}
X, y = read_csv("digits.csv")
sets["digits"] = (X[:1257], y[:1257].astype(int), X[1257:], y[1257:].astype(int))
B, yb = read_csv("blobs.csv")
classes_b = np.unique(yb)
yb_idx = np.searchsorted(classes_b, yb)
sets["blobs"] = (B[:200], yb_idx[:200], B[200:], yb_idx[200:])
if os.path.isdir(FASHION):
    Ftr, ftr = idx("train-images-idx3-ubyte.gz")[:2000], idx("train-labels-idx1-ubyte.gz")[:2000]
    Fte, fte = idx("t10k-images-idx3-ubyte.gz")[:500], idx("t10k-labels-idx1-ubyte.gz")[:500]
    sets["fashion"] = (Ftr, ftr, Fte, fte)
    sets["fashion_hog"] = (hog("train-images-idx3-ubyte.gz")[:2000], ftr, hog("t10k-images-idx3-ubyte.gz")[:500], fte)

def tied_votes(m, X):
    """Test rows whose largest class share is reached by two or more classes."""
    p = m.predict_proba(X)
    return ((np.abs(p - p.max(1, keepdims=True)) < 1e-12).sum(1) > 1).sum()


# ---- k-nearest neighbours -------------------------------------------------------------------
for name, (Xtr, ytr, Xte, yte) in sets.items():
    for metric in ["euclidean", "cosine"]:
        for weights in ["uniform", "distance"]:
            for k in {"digits": [1, 5, 15], "fashion_hog": [5, 10]}.get(name, [5]):
                m = KNeighborsClassifier(n_neighbors=k, weights=weights, metric=metric, algorithm="brute").fit(Xtr, ytr)
                dist, _ = m.kneighbors(Xte[:20])
                ref[f"knn_{name}_{metric}_{weights}_k{k}"] = {
                    "k": k, "predict": m.predict(Xte).tolist(), "predict_proba": fl(m.predict_proba(Xte[:60])),
                    "distances": fl(dist), "accuracy": float((m.predict(Xte) == yte).mean()),
                    "tied_votes": int(tied_votes(m, Xte))}
# Exact duplicates of training rows among the queries: 'distance' weights give them all the weight.
Xtr, ytr, Xte, _ = sets["digits"]
dup = np.vstack([Xtr[:30], Xte[:30]])
m = KNeighborsClassifier(n_neighbors=7, weights="distance", algorithm="brute").fit(Xtr, ytr)
ref["knn_digits_duplicates"] = {"predict": m.predict(dup).tolist(), "predict_proba": fl(m.predict_proba(dup))}


# ---- linear discriminant analysis -----------------------------------------------------------
TRANSFORM_ROWS = 100  # transforms are stored for the first test rows (keeps the fixture small)

def lda_ref(key, data, **kw):
    Xtr, ytr, Xte, _ = data
    m = LinearDiscriminantAnalysis(**kw).fit(Xtr, ytr)
    t = m.transform(Xte[:TRANSFORM_ROWS])
    ref[key] = {"transform": fl(t), "components": int(t.shape[1]), "predict": m.predict(Xte).tolist(),
                "predict_proba": fl(m.predict_proba(Xte[:60])), "decision_function": fl(m.decision_function(Xte[:60])),
                "explained_variance_ratio_": fl(m.explained_variance_ratio_), "priors_": fl(m.priors_),
                "params": {k: (v if not isinstance(v, np.ndarray) else fl(v)) for k, v in kw.items()}}


lda_ref("lda_digits_svd", sets["digits"])
lda_ref("lda_digits_svd_3", sets["digits"], n_components=3)
lda_ref("lda_digits_eigen_auto", sets["digits"], solver="eigen", shrinkage="auto")
lda_ref("lda_digits_eigen_0.2", sets["digits"], solver="eigen", shrinkage=0.2)
lda_ref("lda_blobs_svd", sets["blobs"])
lda_ref("lda_blobs_eigen", sets["blobs"], solver="eigen")
lda_ref("lda_blobs_svd_priors", sets["blobs"], priors=[0.5, 0.3, 0.2])
two = (sets["blobs"][0][sets["blobs"][1] < 2], sets["blobs"][1][sets["blobs"][1] < 2], sets["blobs"][2], sets["blobs"][3])
lda_ref("lda_blobs2_svd", two)
lda_ref("lda_blobs2_eigen_auto", two, solver="eigen", shrinkage="auto")
if "fashion" in sets:
    lda_ref("lda_fashion_eigen_auto", sets["fashion"], solver="eigen", shrinkage="auto")

# ---- ROC on scores with ties ----------------------------------------------------------------
rng = np.random.RandomState(24)
lab = rng.rand(2000) < 0.3
sc = np.round(rng.randn(2000) + 1.2 * lab, 1)
fpr, tpr, thr = roc_curve(lab, sc)
fpr_all, tpr_all, thr_all = roc_curve(lab, sc, drop_intermediate=False)
ref["roc_ties"] = {"scores": fl(sc), "labels": lab.astype(int).tolist(), "fpr": fl(fpr), "tpr": fl(tpr),
                   "thresholds": [str(v) if not np.isfinite(v) else float(v) for v in thr],
                   "fpr_all": fl(fpr_all), "tpr_all": fl(tpr_all), "auc": float(roc_auc_score(lab, sc))}


# ---- verification and retrieval on all pairs ------------------------------------------------
def pair_scores(X, metric):
    if metric == "cosine":
        Z = X / np.sqrt((X * X).sum(1))[:, None]
        return Z @ Z.T
    return -np.sqrt(((X[:, None, :] - X[None, :, :]) ** 2).sum(-1))


CURVE_STRIDE = 37

for name, rows, metric in [("digits", 400, "euclidean"), ("blobs", 300, "cosine"), ("blobs", 300, "euclidean")]:
    Xall = np.vstack([sets[name][0], sets[name][2]])[:rows]
    yall = np.concatenate([sets[name][1], sets[name][3]])[:rows]
    S = pair_scores(Xall, metric)
    iu = np.triu_indices(rows, 1)
    same = yall[iu[0]] == yall[iu[1]]
    fpr, tpr, thr = roc_curve(same, S[iu])
    every = np.arange(0, len(fpr), CURVE_STRIDE)  # every CURVE_STRIDE-th point of the curve
    ref[f"verify_{name}_{metric}"] = {"rows": rows, "points": len(fpr), "stride": CURVE_STRIDE, "fpr": fl(fpr[every]),
                                      "tpr": fl(tpr[every]), "thresholds": fl(thr[every][1:]),
                                      "auc": float(roc_auc_score(same, S[iu])), "positives": int(same.sum()),
                                      "negatives": int((~same).sum())}
    aps, hits = [], {1: [], 5: [], 10: []}
    for i in range(rows):
        others = np.array([j for j in range(rows) if j != i])
        rel = yall[others] == yall[i]
        if not rel.any():
            continue
        aps.append(average_precision_score(rel, S[i, others]))
        order = others[np.lexsort((others, -S[i, others]))]
        for k in hits:
            hits[k].append(bool((yall[order[:k]] == yall[i]).any()))
    ref[f"retrieve_{name}_{metric}"] = {"rows": rows, "map": float(np.mean(aps)), "queries": len(aps),
                                        "recall": {str(k): float(np.mean(v)) for k, v in hits.items()}}

with open(os.path.join(OUT, "neighbours.json"), "w") as f:
    json.dump(ref, f, separators=(",", ":"))
print("wrote", os.path.join(OUT, "neighbours.json"), os.path.getsize(os.path.join(OUT, "neighbours.json")), "bytes")
