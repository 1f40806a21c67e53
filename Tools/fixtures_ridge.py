#!/usr/bin/env python3
"""Reference outputs for RidgeRegression (the box regression of issue 20).

Writes Fixtures/learn/ridge/:
  x.npy           60x7 float64 samples (seeded normal, columns of different scales, one
                  nearly collinear with another so the penalty matters)
  y.npy           60x4 float64 targets: a linear map of x plus noise
  coef_a{A}.npy   scikit-learn Ridge(alpha=A, solver="cholesky").coef_ (4x7), A in 0, 1, 30
  intercept_a{A}.npy  its intercept_ (4)

Run: nice /work/main/Tools/.venv/bin/python Tools/fixtures_ridge.py
"""
import os

import numpy as np
from sklearn.linear_model import Ridge

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "Fixtures", "learn", "ridge")
os.makedirs(OUT, exist_ok=True)

rng = np.random.default_rng(20)
x = rng.normal(size=(60, 7)) * np.array([1.0, 0.1, 5.0, 1.0, 0.01, 2.0, 1.0]) + np.array([0, 3, -1, 0, 0.5, 0, 10])
x[:, 6] = x[:, 0] * 0.9 + rng.normal(size=60) * 0.05 + 10
w = rng.normal(size=(4, 7))
y = x @ w.T + rng.normal(size=(60, 4)) * 0.1 + np.array([1.0, -2.0, 0.5, 0.0])
np.save(os.path.join(OUT, "x.npy"), x)
np.save(os.path.join(OUT, "y.npy"), y)
for alpha in (0, 1, 30):
    model = Ridge(alpha=float(alpha), solver="cholesky").fit(x, y)
    np.save(os.path.join(OUT, f"coef_a{alpha}.npy"), model.coef_.astype(np.float64))
    np.save(os.path.join(OUT, f"intercept_a{alpha}.npy"), np.asarray(model.intercept_, dtype=np.float64))
print("wrote", OUT)
