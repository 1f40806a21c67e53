#!/usr/bin/env python3
"""Which summation order reproduces cv2.sepFilter2D's Float path to 8 bits on the "shifted"
fixtures (row [0.5, 0.3, 0.2, 0.1] anchored at 0, column [0.25, 0.5, 0.25] centred), where
ours differs by 1 on 10 of 27,332 samples (docs/fidelity.md, "sepFilter2D's Float path").

Models, emulated in float32 with NumPy (an FMA is the float64 product-sum rounded once):
- row pass: FMA accumulation from 0 over the first RS·⌊n/RS⌋ samples of a row (OpenCV's
  vector loop: 32 lanes with AVX2), plain multiply-then-add from k0·S0 in the scalar tail;
- column pass: OpenCV's symmetric pairs, s = k0·S0 + δ, s += k·(S_k + S_−k), FMA over the
  first CS·⌊n/CS⌋ samples, plain in the tail.
Prints, per (RS, CS), the samples that still differ from the committed references.

Usage: Tools/.venv/bin/python Tools/sep_float_summation_order.py   (from the repository root)
"""
import cv2
import numpy as np

FIX = "Fixtures/filters/"
BORDERS = {"reflect101": cv2.BORDER_REFLECT_101, "reflect": cv2.BORDER_REFLECT,
           "replicate": cv2.BORDER_REPLICATE, "constant": cv2.BORDER_CONSTANT}
f32 = np.float32
ROW, COL = [0.5, 0.3, 0.2, 0.1], [0.25, 0.5, 0.25]


def fma(a, b, c):
    return (a.astype(np.float64) * np.float64(b) + np.asarray(c).astype(np.float64)).astype(f32)


def row_pass(p, w, cn, rs):
    h2, n = p.shape[0], w * cn
    vec = np.zeros((h2, w, cn), f32)
    for k in range(len(ROW)):
        vec = fma(p[:, k:k + w, :], f32(ROW[k]), vec)
    tail = (p[:, 0:w, :] * f32(ROW[0])).astype(f32)
    for k in range(1, len(ROW)):
        tail = (tail + (p[:, k:k + w, :] * f32(ROW[k])).astype(f32)).astype(f32)
    vec, tail = vec.reshape(h2, n), tail.reshape(h2, n)
    cut = rs * (n // rs) if rs else 0
    vec[:, cut:] = tail[:, cut:]
    return vec


def column_pass(r, h, n, delta, cs):
    s_up, s0, s_dn = r[0:h], r[1:h + 1], r[2:h + 2]
    pairs = (s_up + s_dn).astype(f32)
    vec = fma(pairs, f32(COL[0]), fma(s0, f32(COL[1]), np.full_like(s0, f32(delta))))
    tail = ((f32(COL[1]) * s0 + f32(delta)).astype(f32) + (f32(COL[0]) * pairs).astype(f32)).astype(f32)
    cut = cs * (n // cs) if cs else 0
    vec[:, cut:] = tail[:, cut:]
    return vec


def main():
    for rs, cs in [(32, 32), (32, 0), (16, 32), (0, 32)]:
        differing = {}
        for img, delta in [("gray", 0.0), ("rgb", 3.0)]:
            x = np.load(FIX + f"in_{img}.npy")
            x = x[:, :, None] if x.ndim == 2 else x
            h, w, cn = x.shape
            for name, border in BORDERS.items():
                ref = np.load(FIX + f"k_sep_shifted_{img}_u8_{name}.npy").reshape(h, w * cn).astype(np.float64)
                p = cv2.copyMakeBorder(x, 1, 1, 0, len(ROW) - 1, border, value=0)
                p = (p[:, :, None] if p.ndim == 2 else p).astype(f32)
                out = column_pass(row_pass(p, w, cn, rs), h, w * cn, delta, cs)
                differing[f"{img}/{name}"] = int((np.clip(np.rint(out), 0, 255) != ref).sum())
        print(f"row vector span {rs}, column vector span {cs}: {sum(differing.values())} samples differ",
              {k: v for k, v in differing.items() if v})


if __name__ == "__main__":
    main()
