"""Anchor side of the FFT bench ops (CVTransform, issue 5), picked up by Tools/bench.

Every entry times the same work as `cvtool bench OP IMAGE ARGS`; with "gray": True, `make`
receives the gray uint8 image (cv2 RGB2GRAY), otherwise the RGB uint8 image. Set-up (dtype
conversion of the input, planning on our side) happens outside the timed callable.

- fft: 2-D real-to-complex DFT of the gray image in single precision. NumPy >= 2 computes
  float32 input in float32 (pocketfft); cv2.dft on a float32 image without
  DFT_COMPLEX_OUTPUT returns the packed CCS half spectrum (its real-input transform).
  numpy.fft.rfft2 on float64 is listed too (the `--precision double` variant of ours).
  Ours: `cvtool bench fft IMAGE --effort measure` (FFTW_MEASURE plan, planned in the warm-up;
  planning alone: `cvtool bench fft-plan IMAGE`). Raw FFTW on the same plan: `cvtool bench
  fft-raw IMAGE` or Tools/fftw_baseline.c (see its header).
- fft-filter: Butterworth low-pass (cut-off 0.05 cycles/px, order 2) of the gray image against
  skimage.filters.butterworth, which computes in float64 as ours does; the result is rounded
  back to uint8 on both sides.
"""
import numpy as np
import cv2
import skimage.filters


def _f32(gray):
    return np.ascontiguousarray(gray, dtype=np.float32)


def _f64(gray):
    return np.ascontiguousarray(gray, dtype=np.float64)


def _skimage_butterworth(gray):
    def run():
        y = skimage.filters.butterworth(gray, 0.05, high_pass=False, order=2.0)
        return np.clip(np.rint(y), 0, 255).astype(np.uint8)
    return run


# The sizes: a power-of-two square, 1080p, an awkward (prime) width, and 4K.
FFT_IMAGES = ["coffee-1024sq.png", "coffee-1080p.png", "coffee-awkward.png", "coffee-4k.png"]

OPS = [
    {"op": "fft", "args": ["--effort", "measure"], "label": "rfft2 float32", "anchor": "numpy",
     "gray": True, "images": FFT_IMAGES, "make": lambda gray: (lambda x=_f32(gray): np.fft.rfft2(x))},
    {"op": "fft", "args": ["--effort", "measure"], "label": "cv2.dft float32 (CCS)", "anchor": "opencv",
     "gray": True, "images": FFT_IMAGES, "make": lambda gray: (lambda x=_f32(gray): cv2.dft(x))},
    {"op": "fft", "args": ["--effort", "measure", "--precision", "double"], "label": "rfft2 float64", "anchor": "numpy",
     "gray": True, "images": FFT_IMAGES, "make": lambda gray: (lambda x=_f64(gray): np.fft.rfft2(x))},
    {"op": "fft-filter", "args": ["--lowpass", "0.05", "--kind", "butterworth"], "label": "butterworth low-pass 0.05",
     "anchor": "scikit-image", "gray": True, "make": _skimage_butterworth},
]
