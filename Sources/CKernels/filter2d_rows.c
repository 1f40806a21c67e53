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

// OpenCV's bit-exact 8-bit separable path (SeparableFilter.swift): taps scaled by 2^8.
CK_INLINE void ck_sep_fixed8_h_body(const uint8_t *restrict pad, int32_t *restrict dst, size_t n, size_t cn,
                                    const int32_t *restrict k, int taps) {
    for (size_t i = 0; i < n; i++) dst[i] = 0;
    for (int t = 0; t < taps; t++) {
        const int32_t kt = k[t];
        const uint8_t *s = pad + (size_t)t * cn;
        for (size_t i = 0; i < n; i++) dst[i] += kt * (int32_t)s[i];
    }
}
CK_MULTIVERSION(void, ck_sep_fixed8_h,
                (const uint8_t *pad, int32_t *dst, size_t n, size_t cn, const int32_t *k, int taps),
                (pad, dst, n, cn, k, taps))

// s = delta + Σ k[t]·rows[t][i] in 32 bits (exact: ≤ 255·2^16 plus delta); then s / 2^16
// rounded half to even for i < span (OpenCV's Float vector loop, exact for these sums) and
// half up beyond (its scalar tail, (s + 2^15) >> 16); saturated to 0…255. Blocks of 64 sums
// stay in registers/L1 while the taps are added.
enum { CK_FIXED8_BLOCK = 64 };

CK_INLINE void ck_sep_fixed8_v_body(const int32_t *const *rows, uint8_t *restrict dst, size_t n, size_t span,
                                    const int32_t *restrict k, int taps, int32_t delta) {
    for (size_t i0 = 0; i0 < n; i0 += CK_FIXED8_BLOCK) {
        const size_t len = n - i0 < CK_FIXED8_BLOCK ? n - i0 : CK_FIXED8_BLOCK;
        int32_t acc[CK_FIXED8_BLOCK];
        for (size_t j = 0; j < len; j++) acc[j] = delta;
        for (int t = 0; t < taps; t++) {
            const int32_t kt = k[t];
            const int32_t *r = rows[t] + i0;
            for (size_t j = 0; j < len; j++) acc[j] += kt * r[j];
        }
        for (size_t j = 0; j < len; j++) {
            const int32_t s = acc[j];
            const int32_t q = s >> 16, rem = s & 0xFFFF;
            const int32_t up = i0 + j < span ? (rem > 0x8000 || (rem == 0x8000 && (q & 1))) : (rem >= 0x8000);
            const int32_t v = q + up;
            dst[i0 + j] = (uint8_t)(v < 0 ? 0 : v > 255 ? 255 : v);
        }
    }
}
CK_MULTIVERSION(void, ck_sep_fixed8_v,
                (const int32_t *const *rows, uint8_t *dst, size_t n, size_t span, const int32_t *k, int taps,
                 int32_t delta),
                (rows, dst, n, span, k, taps, delta))
