"""Anchor side of the arbitrary-kernel, LoG/DoG and guided-application benchmarks (Tools/bench).

filter2d ops time cv2.filter2D / cv2.sepFilter2D with the same kernels as `cvtool bench filter2d`
(`--random K` is the K×K kernel ((7i + 3j) mod 11 − 5.5) / K²); LoG against
scipy.ndimage.gaussian_laplace on the float64 gray image (what cvtool's raw-value LoG computes),
DoG against skimage.filters.difference_of_gaussians. The fused-kernel demonstration times OpenCV's
two-pass chain (GaussianBlur then Sobel, Float32) and its one-pass filter2D with the composed 7×7
kernel (OpenCV has no kernel algebra; the composition is done here, once, outside the timing).
"""
import cv2
import numpy as np
import scipy.ndimage as ndi
import scipy.signal
import skimage.filters


def bench_kernel(k):
    i, j = np.mgrid[0:k, 0:k]
    return (((7 * i + 3 * j) % 11) - 5.5) / (k * k)


def _chain():
    g = cv2.getGaussianKernel(5, 1.2)
    sobel = np.array([[-1.0, 0, 1], [-2, 0, 2], [-1, 0, 1]])
    # Correlating with a and then with b is correlating with their full convolution (7×7 here).
    return g, scipy.signal.convolve2d(g @ g.T, sobel, mode="full")


IMAGES = ["coffee-1080p.png"]
OPS = []
for k in (3, 5, 15):
    kern = bench_kernel(k)
    OPS.append({"op": "filter2d", "args": ["--random", str(k), "--gray"], "label": f"filter2D {k}x{k} (gray)",
                "anchor": "opencv", "gray": True, "images": IMAGES,
                "make": (lambda kern: lambda g: (lambda: cv2.filter2D(g, -1, kern)))(kern)})
    OPS.append({"op": "filter2d", "args": ["--random", str(k)], "label": f"filter2D {k}x{k} (rgb)",
                "anchor": "opencv", "images": IMAGES,
                "make": (lambda kern: lambda rgb: (lambda: cv2.filter2D(rgb, -1, kern)))(kern)})
OPS.append({"op": "filter2d", "args": ["--random", "5", "--gray", "--method", "auto"], "label": "filter2D 5x5 full rank, --method auto (gray)",
            "anchor": "opencv", "gray": True, "images": IMAGES,
            "make": lambda g: (lambda: cv2.filter2D(g, -1, bench_kernel(5)))})
_sep_row, _sep_col = np.array([1.0, 4, 6, 4, 1]) / 16, np.array([-1.0, -2, 0, 2, 1]) / 8
OPS.append({"op": "filter2d", "args": ["--separable", "0.0625,0.25,0.375,0.25,0.0625;-0.125,-0.25,0,0.25,0.125",
                                       "--depth", "f32", "--gray"], "label": "sepFilter2D 5+5 → f32 (gray)",
            "anchor": "opencv", "gray": True, "images": IMAGES,
            "make": lambda g: (lambda: cv2.sepFilter2D(g, cv2.CV_32F, _sep_row, _sep_col))})
OPS.append({"op": "filter2d", "args": ["--separable", "0.0625,0.25,0.375,0.25,0.0625;0.0625,0.25,0.375,0.25,0.0625"],
            "label": "sepFilter2D binomial 5+5 (rgb, 8-bit fixed point)", "anchor": "opencv", "images": IMAGES,
            "make": lambda rgb: (lambda: cv2.sepFilter2D(rgb, -1, np.array([1.0, 4, 6, 4, 1]) / 16, np.array([1.0, 4, 6, 4, 1]) / 16))})
_g, _fused = _chain()
OPS.append({"op": "chain-fused", "args": [], "label": "Gaussian→Sobel fused (ours: one rank-1 kernel) vs cv2 two passes",
            "anchor": "opencv", "gray": True, "images": IMAGES,
            "make": lambda g: (lambda: cv2.Sobel(cv2.GaussianBlur(g.astype(np.float32), (5, 5), 1.2), cv2.CV_32F, 1, 0))})
OPS.append({"op": "chain-fused", "args": [], "label": "Gaussian→Sobel fused vs cv2 filter2D 7x7 composite",
            "anchor": "opencv", "gray": True, "images": IMAGES,
            "make": lambda g: (lambda: cv2.filter2D(g, cv2.CV_32F, _fused))})
OPS.append({"op": "chain-two-pass", "args": [], "label": "Gaussian then Sobel, two passes (ours) vs cv2 two passes",
            "anchor": "opencv", "gray": True, "images": IMAGES,
            "make": lambda g: (lambda: cv2.Sobel(cv2.GaussianBlur(g.astype(np.float32), (5, 5), 1.2), cv2.CV_32F, 1, 0))})
for s in (1.0, 3.0):
    OPS.append({"op": "log", "args": ["--sigma", str(s), "--gray"], "label": f"LoG σ={s:g} (gray)", "anchor": "scipy",
                "gray": True, "images": IMAGES,
                "make": (lambda s: lambda g: (lambda: ndi.gaussian_laplace(g.astype(np.float64), s)))(s)})
    OPS.append({"op": "dog", "args": ["--low", str(s), "--gray"], "label": f"DoG σ={s:g}/{1.6 * s:g} (gray)",
                "anchor": "scikit-image", "gray": True, "images": IMAGES,
                "make": (lambda s: lambda g: (lambda: skimage.filters.difference_of_gaussians(g, s)))(s)})
