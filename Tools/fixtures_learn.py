#!/usr/bin/env python3
"""Reference outputs of scikit-learn for CVLearn's tests (deterministic, seeded).

Writes into Fixtures/learn/:
  digits.csv      scikit-learn's bundled digits (1797x64, `label,f0..f63`); rows 0..1256 train, the rest test
  blobs.csv       300x8 Gaussian blobs with string labels (cat/dog/bird); rows 0..199 train, the rest test
  scaler_set.csv  200x12 random set with a constant and a near-constant column (no labels)
  wide.csv        60x150 random low-rank+noise set (no labels), for the full and randomized PCA solvers
  reference.json  every fitted attribute and prediction the tests compare against
  VERSIONS.txt    anchor versions

Run: /work/venv-anchors/bin/python Tools/fixtures_learn.py
"""
import json
import os
import platform
import sys

import numpy as np
import sklearn
from sklearn.datasets import load_digits
from sklearn.decomposition import PCA
from sklearn.metrics import accuracy_score, confusion_matrix, precision_recall_fscore_support
from sklearn.model_selection import StratifiedKFold
from sklearn.naive_bayes import ComplementNB, GaussianNB, MultinomialNB
from sklearn.preprocessing import MinMaxScaler, StandardScaler

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "Fixtures", "learn")
os.makedirs(OUT, exist_ok=True)


def arr(a):
    a = np.asarray(a)
    if a.dtype.kind in "iub":
        return a.tolist()
    if a.dtype.kind in "UO":
        return [str(v) for v in a.ravel()]
    if a.ndim == 0:
        return float(a)
    return [float(v) if np.isfinite(v) else str(v) for v in a.ravel()] if a.ndim == 1 else [arr(r) for r in a]


def write_csv(path, X, y=None, fmt="%d"):
    with open(path, "w") as f:
        cols = ([] if y is None else ["label"]) + [f"f{j}" for j in range(X.shape[1])]
        f.write(",".join(cols) + "\n")
        for i in range(X.shape[0]):
            vals = [fmt % v if fmt != "repr" else repr(float(v)) for v in X[i]]
            f.write(",".join(([] if y is None else [str(y[i])]) + vals) + "\n")


ref = {}

# ---- digits -------------------------------------------------------------------------------
digits = load_digits()
X = digits.data.astype(np.float64)
y = digits.target
write_csv(os.path.join(OUT, "digits.csv"), X.astype(int), y)
ntr = 1257
Xtr, ytr, Xte, yte = X[:ntr], y[:ntr], X[ntr:], y[ntr:]


NPROBA = 120  # probabilities are stored for the first NPROBA test rows (keeps the fixture small)


def nb_ref(model, Xtr, ytr, Xte, extra, log_proba=False):
    model.fit(Xtr, ytr)
    d = {k: arr(getattr(model, k)) for k in extra}
    d["predict"] = arr(model.predict(Xte))
    d["predict_proba"] = arr(model.predict_proba(Xte[:NPROBA]))
    if log_proba:
        d["predict_log_proba"] = arr(model.predict_log_proba(Xte[:NPROBA]))
    return d


ref["gnb_digits"] = nb_ref(GaussianNB(), Xtr, ytr, Xte, ["theta_", "var_", "class_prior_", "epsilon_", "class_count_"], log_proba=True)
pri = np.array([0.05, 0.15, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1])
ref["gnb_digits_priors"] = nb_ref(GaussianNB(priors=pri, var_smoothing=1e-6), Xtr, ytr, Xte, ["var_", "class_prior_"])
ref["gnb_digits_priors"]["priors"] = arr(pri)
g = GaussianNB()
for chunk in (slice(0, 400), slice(400, 900), slice(900, ntr)):
    g.partial_fit(Xtr[chunk], ytr[chunk], classes=np.arange(10))
ref["gnb_digits_partial"] = {"theta_": arr(g.theta_), "var_": arr(g.var_), "epsilon_": float(g.epsilon_),
                             "class_count_": arr(g.class_count_), "predict": arr(g.predict(Xte)),
                             "predict_proba": arr(g.predict_proba(Xte[:NPROBA]))}
ref["mnb_digits"] = nb_ref(MultinomialNB(), Xtr, ytr, Xte, ["feature_log_prob_", "class_log_prior_", "feature_count_"], log_proba=True)
ref["mnb_digits_a05_noprior"] = nb_ref(MultinomialNB(alpha=0.5, fit_prior=False), Xtr, ytr, Xte, ["feature_log_prob_", "class_log_prior_"])
ref["cnb_digits"] = nb_ref(ComplementNB(), Xtr, ytr, Xte, ["feature_log_prob_"])
ref["cnb_digits_norm"] = nb_ref(ComplementNB(norm=True, alpha=0.3), Xtr, ytr, Xte, ["feature_log_prob_"])

# metrics on the GaussianNB predictions
pred = GaussianNB().fit(Xtr, ytr).predict(Xte)
p, r, f, s = precision_recall_fscore_support(yte, pred, zero_division=0)
pm, rm, fm, _ = precision_recall_fscore_support(yte, pred, average="macro", zero_division=0)
pw, rw, fw, _ = precision_recall_fscore_support(yte, pred, average="weighted", zero_division=0)
ref["metrics_gnb_digits"] = {"accuracy": float(accuracy_score(yte, pred)), "confusion": arr(confusion_matrix(yte, pred)),
                             "precision": arr(p), "recall": arr(r), "f1": arr(f), "support": arr(s),
                             "macro": [float(pm), float(rm), float(fm)], "weighted": [float(pw), float(rw), float(fw)]}
folds = np.empty(len(y), dtype=int)
for k, (_, test) in enumerate(StratifiedKFold(n_splits=5).split(X, y)):
    folds[test] = k
ref["skfold5_digits"] = arr(folds)

# PCA on digits (auto -> covariance_eigh)
pca = PCA().fit(Xtr)
assert pca._fit_svd_solver == "covariance_eigh"
ref["pca_digits"] = {"components_": arr(pca.components_), "explained_variance_": arr(pca.explained_variance_),
                     "explained_variance_ratio_": arr(pca.explained_variance_ratio_), "singular_values_": arr(pca.singular_values_),
                     "mean_": arr(pca.mean_), "noise_variance_": float(pca.noise_variance_)}
p20 = PCA(n_components=20, whiten=True).fit(Xtr)
ref["pca_digits_20_whiten"] = {"transform": arr(p20.transform(Xte[:40])), "inverse": arr(p20.inverse_transform(p20.transform(Xte[:40]))),
                               "noise_variance_": float(p20.noise_variance_)}
p10 = PCA(n_components=10).fit(Xtr)
ref["pca_digits_10"] = {"transform": arr(p10.transform(Xte[:40])), "inverse": arr(p10.inverse_transform(p10.transform(Xte[:40])))}
p90 = PCA(n_components=0.9).fit(Xtr)
ref["pca_digits_frac90"] = {"n_components_": int(p90.n_components_), "explained_variance_ratio_": arr(p90.explained_variance_ratio_)}

# wide set: full and randomized solvers
rng = np.random.RandomState(7)
W = rng.normal(size=(60, 5)) @ (rng.normal(size=(5, 150)) * np.array([10, 7, 5, 3, 2.0])[:, None]) + 0.1 * rng.normal(size=(60, 150))
W = np.round(W, 6)  # short decimals keep the CSV small; the references use the rounded values
write_csv(os.path.join(OUT, "wide.csv"), W, None, fmt="repr")
pf = PCA(svd_solver="full").fit(W)
ref["pca_wide_full"] = {"components_": arr(pf.components_[:10]), "explained_variance_ratio_": arr(pf.explained_variance_ratio_),
                        "explained_variance_": arr(pf.explained_variance_), "noise_variance_": float(PCA(n_components=5, svd_solver="full").fit(W).noise_variance_)}
pr = PCA(n_components=5, svd_solver="randomized", random_state=0).fit(W)
ref["pca_wide_randomized5"] = {"components_": arr(pr.components_), "explained_variance_ratio_": arr(pr.explained_variance_ratio_),
                               "explained_variance_": arr(pr.explained_variance_), "noise_variance_": float(pr.noise_variance_)}

# ---- blobs with string labels ---------------------------------------------------------------
rng = np.random.RandomState(3)
names = np.array(["cat", "dog", "bird"])
centers = rng.uniform(0, 6, size=(3, 8))
lab = rng.randint(0, 3, size=300)
B = np.abs(centers[lab] + rng.normal(scale=1.3, size=(300, 8)))
yb = names[lab]
write_csv(os.path.join(OUT, "blobs.csv"), B, yb, fmt="repr")
Btr, ybtr, Bte = B[:200], yb[:200], B[200:]
ref["gnb_blobs"] = nb_ref(GaussianNB(), Btr, ybtr, Bte, ["theta_", "var_", "classes_"])
ref["gnb_blobs"]["predict"] = [str(v) for v in GaussianNB().fit(Btr, ybtr).predict(Bte)]
ref["gnb_blobs"]["classes_"] = [str(v) for v in GaussianNB().fit(Btr, ybtr).classes_]
m = MultinomialNB(alpha=0.7).fit(Btr, ybtr)
ref["mnb_blobs"] = {"predict": [str(v) for v in m.predict(Bte)], "predict_proba": arr(m.predict_proba(Bte))}

# ---- scalers ----------------------------------------------------------------------------------
rng = np.random.RandomState(11)
S = rng.normal(loc=rng.uniform(-50, 50, 12), scale=rng.uniform(0.01, 20, 12), size=(200, 12))
S[:, 3] = 4.25                      # constant
S[:, 7] = 1e8 + rng.normal(size=200) * 1e-9   # constant within rounding
S[:, 9] = rng.randint(0, 3, size=200) * 1e-3
write_csv(os.path.join(OUT, "scaler_set.csv"), S, None, fmt="repr")
ss = StandardScaler().fit(S)
mm = MinMaxScaler().fit(S)
mm2 = MinMaxScaler(feature_range=(-1, 3)).fit(S)
ref["standard_scaler"] = {"mean_": arr(ss.mean_), "var_": arr(ss.var_), "scale_": arr(ss.scale_), "transform": arr(ss.transform(S[:60])),
                          "inverse": arr(ss.inverse_transform(ss.transform(S[:60])))}
ref["minmax_scaler"] = {"scale_": arr(mm.scale_), "min_": arr(mm.min_), "transform": arr(mm.transform(S[:60]))}
ref["minmax_scaler_m1_3"] = {"scale_": arr(mm2.scale_), "min_": arr(mm2.min_), "transform": arr(mm2.transform(S[:60]))}
ss_d = StandardScaler().fit(Xtr)
ref["standard_scaler_digits"] = {"mean_": arr(ss_d.mean_), "var_": arr(ss_d.var_), "scale_": arr(ss_d.scale_),
                                 "transform": arr(ss_d.transform(Xte[:30]))}

with open(os.path.join(OUT, "reference.json"), "w") as f:
    json.dump(ref, f, separators=(",", ":"))
with open(os.path.join(OUT, "VERSIONS.txt"), "w") as f:
    f.write(f"python {platform.python_version()}\nscikit-learn {sklearn.__version__}\nnumpy {np.__version__}\n")
print("wrote", OUT, file=sys.stderr)
