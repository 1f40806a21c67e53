// Direct 2-D correlation, one kernel row at a time (Filter2D.swift drives it).
//
// OpenCV's Filter2D (filter.simd.hpp) starts every sum at `delta` and adds the kernel's
// non-zero coefficients in row-major order, each as one fused multiply-add in its AVX2 build.
// Keeping that order (and the fusion) makes the Float sums identical, so 8-bit outputs round
// the same way. A block of outputs stays in registers while the taps of one kernel row are
// applied, so each padded input row is streamed once per kernel row.
#include "kernels.h"
#include "ck_dispatch.h"

enum { CK_F2D_BLOCK = 32 };

CK_INLINE void ck_f2d_row_f32_body(float *restrict acc, const float *restrict src, size_t n,
                                   const float *restrict k, const int32_t *restrict offsets, int taps) {
    size_t i = 0;
    for (; i + CK_F2D_BLOCK <= n; i += CK_F2D_BLOCK) {
        float a[CK_F2D_BLOCK];
        for (int j = 0; j < CK_F2D_BLOCK; j++) a[j] = acc[i + j];
        for (int t = 0; t < taps; t++) {
            const float kt = k[t];
            const float *s = src + i + offsets[t];
            for (int j = 0; j < CK_F2D_BLOCK; j++) a[j] = a[j] + kt * s[j];
        }
        for (int j = 0; j < CK_F2D_BLOCK; j++) acc[i + j] = a[j];
    }
    for (; i < n; i++) {
        float a = acc[i];
        for (int t = 0; t < taps; t++) a = a + k[t] * src[i + offsets[t]];
        acc[i] = a;
    }
}
CK_MULTIVERSION_FMA(void, ck_f2d_row_f32,
                    (float *acc, const float *src, size_t n, const float *k, const int32_t *offsets, int taps),
                    (acc, src, n, k, offsets, taps))
