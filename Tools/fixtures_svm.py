#!/usr/bin/env python3
"""Anchor fixtures for CVLearn's SVMs (issue 8) -> Fixtures/svm/.

Deterministic. Run with the anchor venv:  /work/venv-anchors/bin/python Tools/fixtures_svm.py

Data sets (all small):
  * digits: Fixtures/learn/digits.csv (sklearn load_digits, first 1257 rows train, rest test),
    divided by 16 (exact in binary floating point) before fitting.
  * fmnist_hog_{train,test}_q.npy: HOG (skimage.feature.hog, orientations=9,
    pixels_per_cell=(7,7), cells_per_block=(2,2), L2-Hys) of the first 3000 Fashion-MNIST train
    images and the first 1000 test images, quantised to uint8 as q = min(255, round(v*512)).
    The features both sides fit on are exactly q/512 (float32) -- quantising keeps the fixture
    under 2 MB; the data are identical for anchor and Swift.
  * binary.npy / binary_labels.npy: a seeded make_classification problem (float64) for the
    LIBSVM decision-value comparison.
References go to reference.json.
"""
import json
import os
import sys
import gzip

import numpy as np
import sklearn
from sklearn.svm import LinearSVC, SVC
from sklearn.datasets import make_classification

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "Fixtures", "svm")
FM = "/usr/share/datasets/fashion-mnist"


def idx_images(path, n):
    with gzip.open(path, "rb") as f:
        data = f.read()
    return np.frombuffer(data, dtype=np.uint8, offset=16)[: n * 784].reshape(n, 28, 28)


def idx_labels(path, n):
    with gzip.open(path, "rb") as f:
        data = f.read()
    return np.frombuffer(data, dtype=np.uint8, offset=8)[:n].astype(np.int64)


def hog_table(images):
    from skimage.feature import hog
    rows = [hog(im, orientations=9, pixels_per_cell=(7, 7), cells_per_block=(2, 2), block_norm="L2-Hys") for im in images]
    return np.asarray(rows, dtype=np.float64)


def quantise(x):
    return np.minimum(255, np.round(x * 512)).astype(np.uint8)


def main():
    os.makedirs(OUT, exist_ok=True)
    ref = {}

    # --- digits ---------------------------------------------------------------------------
    raw = np.loadtxt(os.path.join(ROOT, "Fixtures", "learn", "digits.csv"), delimiter=",", skiprows=1)
    y = raw[:, 0].astype(np.int64)
    x = raw[:, 1:] / 16.0
    ntr = 1257
    xtr, ytr, xte, yte = x[:ntr], y[:ntr], x[ntr:], y[ntr:]
    d = {}
    for name, clf in [
        ("linear_l2", LinearSVC(C=1.0, dual=True, loss="squared_hinge", tol=1e-4, max_iter=1000, random_state=0)),
        ("linear_l1", LinearSVC(C=1.0, dual=True, loss="hinge", tol=1e-4, max_iter=5000, random_state=0)),
        ("linear_cs", LinearSVC(C=1.0, dual=True, multi_class="crammer_singer", tol=1e-4, max_iter=5000, random_state=0)),
        ("rbf_scale", SVC(C=1.0, kernel="rbf", gamma="scale", tol=1e-3)),
        ("rbf_C10_g0.05", SVC(C=10.0, kernel="rbf", gamma=0.05, tol=1e-3)),
        ("poly3", SVC(C=1.0, kernel="poly", degree=3, gamma="scale", coef0=1.0, tol=1e-3)),
        ("sigmoid", SVC(C=1.0, kernel="sigmoid", gamma=0.01, coef0=0.0, tol=1e-3)),
        ("linear_kernel", SVC(C=1.0, kernel="linear", tol=1e-3)),
    ]:
        clf.fit(xtr, ytr)
        pred = clf.predict(xte)
        e = {"accuracy": float((pred == yte).mean()), "predictions": pred.tolist()}
        if isinstance(clf, SVC):
            e["n_support"] = clf.n_support_.tolist()
            e["gamma"] = float(clf._gamma)
        d[name] = e
        print("digits", name, e["accuracy"], file=sys.stderr)
    ref["digits"] = d

    # --- Fashion-MNIST HOG ----------------------------------------------------------------
    tr_img = idx_images(os.path.join(FM, "train-images-idx3-ubyte.gz"), 3000)
    te_img = idx_images(os.path.join(FM, "t10k-images-idx3-ubyte.gz"), 1000)
    ftr_y = idx_labels(os.path.join(FM, "train-labels-idx1-ubyte.gz"), 3000)
    fte_y = idx_labels(os.path.join(FM, "t10k-labels-idx1-ubyte.gz"), 1000)
    qtr, qte = quantise(hog_table(tr_img)), quantise(hog_table(te_img))
    np.save(os.path.join(OUT, "fmnist_hog_train_q.npy"), qtr)
    np.save(os.path.join(OUT, "fmnist_hog_test_q.npy"), qte)
    np.save(os.path.join(OUT, "fmnist_train_labels.npy"), ftr_y)
    np.save(os.path.join(OUT, "fmnist_test_labels.npy"), fte_y)
    ftr = (qtr.astype(np.float32) / np.float32(512))
    fte = (qte.astype(np.float32) / np.float32(512))
    f = {}
    for name, clf in [
        ("linear_l2", LinearSVC(C=1.0, dual=True, tol=1e-4, max_iter=1000, random_state=0)),
        ("rbf_scale", SVC(C=10.0, kernel="rbf", gamma="scale", tol=1e-3)),
    ]:
        clf.fit(ftr, ftr_y)
        pred = clf.predict(fte)
        e = {"accuracy": float((pred == fte_y).mean()), "predictions": pred.tolist()}
        if isinstance(clf, SVC):
            e["n_support"] = clf.n_support_.tolist()
            e["gamma"] = float(clf._gamma)
        f[name] = e
        print("fmnist", name, e["accuracy"], file=sys.stderr)
    ref["fmnist"] = f

    # --- binary RBF problem ---------------------------------------------------------------
    xb, yb = make_classification(n_samples=600, n_features=12, n_informative=6, n_redundant=2, flip_y=0.05,
                                 class_sep=0.8, random_state=7)
    np.save(os.path.join(OUT, "binary.npy"), xb.astype(np.float64))
    np.save(os.path.join(OUT, "binary_labels.npy"), yb.astype(np.int64))
    xbtr, ybtr, xbte = xb[:400], yb[:400], xb[400:]
    b = {}
    for name, C, g in [("rbf_C1_g0.1", 1.0, 0.1), ("rbf_C10_g0.05", 10.0, 0.05)]:
        clf = SVC(C=C, kernel="rbf", gamma=g, tol=1e-3, shrinking=True).fit(xbtr, ybtr)
        # sklearn flips LIBSVM's sign for binary problems: positive = classes_[1].
        b[name] = {"C": C, "gamma": g, "decision": clf.decision_function(xbte).tolist(),
                   "n_support": int(clf.n_support_.sum()), "intercept": float(clf.intercept_[0]),
                   "predictions": clf.predict(xbte).tolist()}
        try:
            from libsvm import svmutil
            m = svmutil.svm_train(ybtr.tolist(), xbtr.tolist(), f"-s 0 -t 2 -c {C} -g {g} -e 0.001 -h 1 -q")
            _, _, dv = svmutil.svm_predict([0] * len(xbte), xbte.tolist(), m, "-q")
            lab0 = m.get_labels()[0]
            sign = 1.0 if lab0 == 1 else -1.0  # make positive = class 1, as sklearn
            b[name]["libsvm_decision"] = [sign * v[0] for v in dv]
            b[name]["libsvm_n_support"] = int(m.get_nr_sv())
            if name == "rbf_C1_g0.1":
                svmutil.svm_save_model(os.path.join(OUT, "binary_rbf.libsvm.model"), m)
        except ImportError:
            pass
    ref["binary"] = b

    with open(os.path.join(OUT, "reference.json"), "w") as fh:
        json.dump(ref, fh)
    versions = [f"scikit-learn {sklearn.__version__}", f"numpy {np.__version__}"]
    try:
        import skimage
        versions.append(f"scikit-image {skimage.__version__}")
    except ImportError:
        pass
    try:
        import importlib.metadata as md
        versions.append(f"libsvm-official {md.version('libsvm-official')}")
    except Exception:
        pass
    with open(os.path.join(OUT, "VERSIONS.txt"), "w") as fh:
        fh.write("\n".join(versions) + "\n")


if __name__ == "__main__":
    main()
